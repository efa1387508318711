/**
 * optimize: recommendations predicted by the simulator from measured history, then
 * applied and rerun for real on the real clock. The measured change must follow the
 * prediction (generous ratio: at least half the predicted gain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimateFromHistory, loadHistory, recordRun } from '../../src/engine/state/history/index.js';
import type { History } from '../../src/engine/state/history/types.js';
import { optimizeWorkflow } from '../../src/engine/insight/optimize.js';
import { applyChange } from '../../src/engine/insight/optimize-changes.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { WorkflowSpec } from '../../src/engine/model/model.js';
import { lit, ref, step, workflow } from './helpers.js';

let dir: string;
const registry = new ToolRegistry();

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-optimize-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"level": 3}');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function measure(wf: WorkflowSpec, times = 1): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
        const report = await runWorkflow(wf, { registry, root: dir });
        expect(report.status).toBe('succeeded');
        await recordRun(dir, wf, report);
        out.push(report.durationMs);
    }
    return out;
}

describe('optimize', () => {
    // fetch waits for prep without reading anything from it; wrap_up's after is implied.
    const chain = workflow([
        step('prep', 'delay', { ms: lit(250) }),
        step('fetch', 'delay', { ms: lit(250) }, { after: ['prep'] }),
        step('wrap_up', 'log', { message: ref('fetch', 'status') }, { after: ['prep'] }),
        step('summary', 'log', { message: ref('fetch', 'status') }, { after: ['fetch'] }),
    ], {}, { id: 'chain' });

    it('drops a needless after, and the real rerun gains what the simulator predicted', async () => {
        const before = await measure(chain);
        const result = await optimizeWorkflow(chain, registry, await loadHistory(dir));
        expect(result.measuredSteps).toEqual(['prep', 'fetch', 'wrap_up', 'summary']);
        // The baseline prediction is the measured run, near enough.
        expect(result.baseline.makespanMs / before[0]!).toBeGreaterThan(0.8);
        expect(result.baseline.makespanMs / before[0]!).toBeLessThan(1.25);
        const drop = result.recommendations.find((r) => r.kind === 'remove-after' && r.change.kind === 'remove-after' && r.change.step === 'fetch')!;
        expect(drop).toBeDefined();
        expect(drop.caution).toMatch(/side effect/);
        expect(drop.predicted.deltaMs).toBeLessThan(-200);
        // Implied ones are named with their reason and change nothing.
        const implied = result.recommendations.filter((r) => r.kind === 'remove-after' && r.evidence.implied !== undefined);
        expect(implied.map((r) => r.change)).toEqual(expect.arrayContaining([
            { kind: 'remove-after', step: 'wrap_up', after: 'prep' },
            { kind: 'remove-after', step: 'summary', after: 'fetch' },
        ]));
        for (const r of implied) {
            expect(Math.abs(r.predicted.deltaMs)).toBeLessThan(5);
        }
        // Data references are never dropped: summary still reads fetch.
        const changed = applyChange(chain, drop.change);
        expect(changed.steps[1]!.after).toEqual([]);
        const after = await measure(changed);
        const measuredGain = before[0]! - after[0]!;
        expect(measuredGain).toBeGreaterThanOrEqual(0.5 * -drop.predicted.deltaMs);
    });

    it('under contention the gain needs the same estimates in the run as in the simulation', async () => {
        // With two slots, dropping `after prepare` pays only if the scheduler knows
        // prepare and fetch are the long ones: priorities from measured history.
        const contended = workflow([
            step('prepare', 'delay', { ms: lit(240) }),
            step('fetch', 'delay', { ms: lit(240) }, { after: ['prepare'] }),
            step('warm_a', 'delay', { ms: lit(80) }), step('warm_b', 'delay', { ms: lit(80) }), step('warm_c', 'delay', { ms: lit(80) }),
            step('summary', 'log', { message: ref('fetch', 'status') }, { after: ['fetch', 'warm_a', 'warm_b', 'warm_c'] }),
        ], { maxParallel: 2 }, { id: 'contended' });
        const before = await measure(contended, 2);
        const history = await loadHistory(dir);
        const result = await optimizeWorkflow(contended, registry, history);
        const drop = result.recommendations.find((r) => r.change.kind === 'remove-after' && r.change.step === 'fetch')!;
        expect(drop.predicted.deltaPct).toBeLessThan(-0.1);
        const report = await runWorkflow(applyChange(contended, drop.change), { registry, root: dir, estimateMs: estimateFromHistory(history, 'contended') });
        expect(Math.min(...before) - report.durationMs).toBeGreaterThanOrEqual(0.5 * -drop.predicted.deltaMs);
    });

    it('raises a max_parallel that serialises independent work, and the rerun speeds up', async () => {
        const wide = workflow(Array.from({ length: 4 }, (_, i) => step(`w${i}`, 'delay', { ms: lit(120) })), { maxParallel: 1 }, { id: 'wide' });
        const before = await measure(wide);
        const result = await optimizeWorkflow(wide, registry, await loadHistory(dir));
        const raise = result.recommendations.find((r) => r.kind === 'max-parallel')!;
        expect(raise.change).toEqual({ kind: 'settings', settings: { maxParallel: 4 } });
        expect(raise.predicted.deltaPct).toBeLessThan(-0.6);
        const after = await measure(applyChange(wide, raise.change));
        expect(before[0]! - after[0]!).toBeGreaterThanOrEqual(0.5 * -raise.predicted.deltaMs);
        // The mode change is predicted too: sequential would not help, so it is not offered.
        expect(result.recommendations.some((r) => r.kind === 'mode' && r.change.kind === 'settings' && r.change.settings.mode === 'sequential')).toBe(false);
    });

    it('lowers an unbounded max_parallel to what the graph can use, at the same makespan', async () => {
        const twoLanes = workflow([
            step('a1', 'delay', { ms: lit(60) }), step('a2', 'delay', { ms: lit(60) }, { after: ['a1'] }),
            step('b1', 'delay', { ms: lit(60) }), step('b2', 'delay', { ms: lit(60) }, { after: ['b1'] }),
            step('c', 'log', { message: lit('x') }),
        ], {}, { id: 'lanes' });
        await measure(twoLanes, 2);
        const result = await optimizeWorkflow(twoLanes, registry, await loadHistory(dir));
        const lower = result.recommendations.find((r) => r.kind === 'max-parallel')!;
        expect(lower.change).toEqual({ kind: 'settings', settings: { maxParallel: 2 } });
        expect(lower.predicted.deltaPct).toBeGreaterThanOrEqual(-0.01);
        expect(lower.predicted.deltaUtilization).toBeGreaterThan(0);
    });

    it('recommends cache on for a read-only step with the same parameters every run', async () => {
        const reader = workflow([
            step('settings', 'file.read', { path: lit('settings.json') }),
            step('wait', 'delay', { ms: lit(30) }, { after: ['settings'] }),
            step('show', 'log', { message: ref('settings', 'output', 'content') }),
        ], {}, { id: 'reader' });
        await measure(reader, 2);
        const result = await optimizeWorkflow(reader, registry, await loadHistory(dir));
        const cache = result.recommendations.find((r) => r.kind === 'cache')!;
        expect(cache.change).toEqual({ kind: 'cache-step', step: 'settings', strategy: 'intelligent' });
        expect(cache.predicted.deltaMs).toBeLessThan(0);
        expect(cache.evidence.runs).toBe(2);
        // The delay has fixed parameters too, but nobody reads its output: it runs for its wait.
        expect(result.recommendations.filter((r) => r.kind === 'cache')).toHaveLength(1);
        expect(applyChange(reader, cache.change).settings.cache).toBe('intelligent');
    });

    it('recommends parallel over sequential for independent work', async () => {
        const seq = workflow(Array.from({ length: 3 }, (_, i) => step(`s${i}`, 'delay', { ms: lit(50) })), { mode: 'sequential' }, { id: 'seq' });
        await measure(seq);
        const result = await optimizeWorkflow(seq, registry, await loadHistory(dir));
        const modes = result.recommendations.filter((r) => r.kind === 'mode').map((r) => r.change.kind === 'settings' && r.change.settings.mode);
        expect(modes).toEqual(expect.arrayContaining(['parallel', 'adaptive']));
    });
});

describe('optimize without the simulations the baseline rules out', () => {
    /** A random DAG of `n` steps of varied measured durations, each after up to three earlier ones. */
    function randomWorkflow(n: number, seed: number, settings: Partial<WorkflowSpec['settings']>): { wf: WorkflowSpec; history: History } {
        let x = seed;
        const next = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
        const steps = Array.from({ length: n }, (_, i) => {
            const after = [...new Set(Array.from({ length: i === 0 ? 0 : 1 + Math.floor(next() * 3) }, () => `s${Math.floor(next() * i)}`))];
            return step(`s${i}`, 'log', { message: lit('x') }, { after });
        });
        const wf = workflow(steps, settings, { id: `random${seed}` });
        const history: History = { tools: {}, workflows: {}, runs: [], steps: Object.fromEntries(steps.map((s) => [`${wf.id}/${s.id}`, {
            workflow: wf.id, step: s.id, tool: 'log', runs: 3, p50Ms: 10 + Math.floor(next() * 20) * 10, p95Ms: 400, failures: 0, timeouts: 0, retries: 0, criticalRuns: 0, criticalShare: 0,
        }])) };
        return { wf, history };
    }

    it('recommends what simulating every after recommends, with the same predictions', async () => {
        let speedUps = 0;
        const cases: Array<Partial<WorkflowSpec['settings']>> = [{ mode: 'parallel' }, { mode: 'parallel', maxParallel: 3 }, { mode: 'adaptive' }, { mode: 'pipeline' }];
        for (const [k, settings] of cases.entries()) {
            for (const seed of [1, 2, 3]) {
                const { wf, history } = randomWorkflow(30, seed * 10 + k, settings);
                const quick = await optimizeWorkflow(wf, registry, history, { minGain: 0.01 });
                const full = await optimizeWorkflow(wf, registry, history, { minGain: 0.01, exhaustive: true });
                expect(quick.recommendations, `${JSON.stringify(settings)} seed ${seed}`).toEqual(full.recommendations);
                expect(quick.baseline).toEqual(full.baseline);
                speedUps += full.recommendations.filter((r) => r.kind === 'remove-after' && r.evidence.implied === undefined).length;
            }
        }
        // Not vacuous: some removals do speed these up.
        expect(speedUps).toBeGreaterThan(3);
    });
});

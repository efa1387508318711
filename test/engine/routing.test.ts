/**
 * Capability routing: manual, intelligent (declared until measured, then history),
 * adaptive (re-scored after every measured call) and ml_optimized (EWMA). Runs are
 * real runWorkflow runs on the real clock through a connector whose tools really take
 * different times; the router is never stubbed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sleep } from '../../src/engine/run/clock.js';
import { loadHistory, recordRun } from '../../src/engine/state/history/index.js';
import { ToolRegistry, type Connector } from '../../src/engine/tools/registry.js';
import { bindCapabilities } from '../../src/engine/insight/route-workflow.js';
import { chooseTool, createRouter, recordingCalls, RoutingStats } from '../../src/engine/insight/routing.js';
import { selectTool } from '../../src/engine/run/run-setup.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { SelectionStrategy, WorkflowSettings } from '../../src/engine/model/model.js';
import { tool, workflow } from './helpers.js';

/** Really takes `ms` per call, as its name says; `flaky` fails every other call. */
const REAL_MS: Record<string, number> = { slowpoke: 60, steady: 10, flaky: 5 };
function timedConnector(): Connector {
    let flakyCalls = 0;
    return {
        async call(t, _params, ctx) {
            await sleep(ctx.clock!, REAL_MS[t.via!.tool]!, ctx.signal);
            if (t.via!.tool === 'flaky' && flakyCalls++ % 2 === 0) {
                throw new Error('flaky failed');
            }
            return { output: t.id };
        },
        async close() { /* nothing held */ },
    };
}

// slowpoke claims to be the fastest; steady is honest; cheap uses the fewest resources.
const registry = new ToolRegistry([
    tool('slowpoke', { capabilities: ['lookup'], performance: { responseTimeMs: 5, reliability: 0.99 }, resources: { cpu: 0.5 }, via: { server: 'lab', tool: 'slowpoke' } }),
    tool('steady', { capabilities: ['lookup'], performance: { responseTimeMs: 20, reliability: 0.95 }, resources: { cpu: 0.3 }, via: { server: 'lab', tool: 'steady' } }),
    tool('cheap', { capabilities: ['lookup'], performance: { responseTimeMs: 30, reliability: 0.9 }, resources: { cpu: 0.1 }, via: { server: 'lab', tool: 'steady' } }),
]);
const lookupWorkflow = (selection: SelectionStrategy, target: WorkflowSettings['target'] = 'performance') =>
    workflow([{ id: 'find', capability: 'lookup', with: { kind: 'object', entries: [] }, after: [], requires: [], ensures: [] }], { selection, target }, { id: 'routed' });

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-routing-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('capability routing', () => {
    it('manual takes the first declared provider, whatever the target', async () => {
        for (const target of ['performance', 'reliability', 'cost'] as const) {
            expect(selectTool('lookup', registry, { ...lookupWorkflow('manual').settings, target })!.id).toBe('slowpoke');
        }
        const report = await runWorkflow(lookupWorkflow('manual'), { registry, connectors: new Map([['lab', timedConnector()]]) });
        expect(report.steps[0]).toMatchObject({ tool: 'slowpoke', status: 'succeeded' });
    });

    it('intelligent scores declared figures against the target before anything is measured', () => {
        const pick = (target: WorkflowSettings['target']) => selectTool('lookup', registry, lookupWorkflow('intelligent', target).settings)!.id;
        expect(pick('performance')).toBe('slowpoke');
        expect(pick('user_experience')).toBe('slowpoke');
        expect(pick('reliability')).toBe('slowpoke');
        expect(pick('cost')).toBe('cheap');
        expect(pick('efficiency')).toBe('cheap');
    });

    it('intelligent switches to measured history once it exists', async () => {
        const connectors = new Map([['lab', timedConnector()]]);
        // Measure both tools for real (manual routing pins each in turn).
        for (const id of ['slowpoke', 'steady', 'slowpoke', 'steady']) {
            const wf = { ...lookupWorkflow('manual'), steps: [{ ...lookupWorkflow('manual').steps[0]!, tool: id, capability: undefined }] };
            await recordRun(dir, wf, await runWorkflow(wf, { registry, connectors }));
        }
        const history = await loadHistory(dir);
        expect(history.tools.slowpoke!.p50Ms).toBeGreaterThan(history.tools.steady!.p50Ms);
        const router = createRouter(new RoutingStats(history));
        const wf = bindCapabilities(lookupWorkflow('intelligent'), registry, router);
        const report = await runWorkflow(wf, { registry, connectors });
        expect(report.steps[0]!.tool).toBe('steady');
        // Without history the same strategy still believes the declaration.
        expect(bindCapabilities(lookupWorkflow('intelligent'), registry, createRouter(new RoutingStats())).steps[0]!.tool).toBe('slowpoke');
    });

    it('adaptive re-scores after every measured call; intelligent keeps the start-of-run figures', async () => {
        const stats = new RoutingStats();
        const connectors = new Map([['lab', timedConnector()]]);
        const router = createRouter(stats);
        const picks: string[] = [];
        for (let i = 0; i < 2; i++) {
            const report = await runWorkflow(bindCapabilities(lookupWorkflow('adaptive'), registry, router), { registry, connectors, onCall: recordingCalls(stats) });
            picks.push(report.steps[0]!.tool);
        }
        // First call: slowpoke on its declaration; measured at ~60 ms, it loses to steady's 20.
        expect(picks).toEqual(['slowpoke', 'steady']);
        expect(stats.liveCalls('slowpoke')).toBe(1);
        expect(stats.liveCalls('steady')).toBe(1);
        expect(chooseTool(registry.byCapability('lookup'), { selection: 'intelligent', target: 'performance' }, stats)!.id).toBe('slowpoke');
    });

    it('is told of every call by the run (onCall), failed ones too', async () => {
        const stats = new RoutingStats();
        const told: Array<[string, boolean]> = [];
        const onCall = (t: { id: string }, ms: number, ok: boolean): void => {
            told.push([t.id, ok]);
            stats.record(t.id, ms, ok);
        };
        const connectors = new Map([['lab', timedConnector()]]);
        const router = createRouter(stats);
        const picks: string[] = [];
        for (let i = 0; i < 2; i++) {
            const report = await runWorkflow(bindCapabilities(lookupWorkflow('adaptive'), registry, router), { registry, connectors, onCall });
            picks.push(report.steps[0]!.tool);
        }
        expect(picks).toEqual(['slowpoke', 'steady']);
        expect(told).toEqual([['slowpoke', true], ['steady', true]]);
        const flakyRegistry = new ToolRegistry([tool('flaky', { capabilities: ['lookup'], performance: { reliability: 0.99 }, via: { server: 'lab', tool: 'flaky' } })]);
        await runWorkflow(bindCapabilities(lookupWorkflow('adaptive', 'reliability'), flakyRegistry, createRouter(stats)), { registry: flakyRegistry, connectors, onCall });
        expect(told.at(-1)).toEqual(['flaky', false]);
    });

    it('adaptive under reliability moves away from a tool as its calls fail', async () => {
        const flakyRegistry = new ToolRegistry([
            tool('flaky', { capabilities: ['lookup'], performance: { reliability: 0.99 }, via: { server: 'lab', tool: 'flaky' } }),
            tool('steady', { capabilities: ['lookup'], performance: { reliability: 0.95 }, via: { server: 'lab', tool: 'steady' } }),
        ]);
        const stats = new RoutingStats();
        const connectors = new Map([['lab', timedConnector()]]);
        const wf = bindCapabilities(lookupWorkflow('adaptive', 'reliability'), flakyRegistry, createRouter(stats));
        const first = await runWorkflow(wf, { registry: flakyRegistry, connectors, onCall: recordingCalls(stats) });
        expect(first.steps[0]).toMatchObject({ tool: 'flaky', status: 'failed' });
        const next = bindCapabilities(lookupWorkflow('adaptive', 'reliability'), flakyRegistry, createRouter(stats));
        expect(next.steps[0]!.tool).toBe('steady');
    });

    it('ml_optimized follows an exponentially weighted average seeded by history', () => {
        const history = { tools: { slowpoke: { p50Ms: 10, p95Ms: 12, successRate: 1, calls: 20, samples: 20 } } };
        const stats = new RoutingStats(history, 0.5);
        const settings = { selection: 'ml_optimized' as const, target: 'performance' as const };
        const candidates = registry.byCapability('lookup');
        expect(chooseTool(candidates, settings, stats)!.id).toBe('slowpoke'); // 10 ms measured < steady's declared 20
        stats.record('slowpoke', 40, true); // ewma 25
        expect(stats.figures('slowpoke', 'ml_optimized')!.p50Ms).toBe(25);
        expect(chooseTool(candidates, settings, stats)!.id).toBe('steady');
        stats.record('slowpoke', 5, true); // ewma 15: recent calls count most
        expect(chooseTool(candidates, settings, stats)!.id).toBe('slowpoke');
        // adaptive over the same calls: the live window's median (40 or 5 -> 5)
        expect(stats.figures('slowpoke', 'adaptive')!.p50Ms).toBe(5);
        // intelligent ignores live calls altogether
        expect(stats.figures('slowpoke', 'intelligent')!.p50Ms).toBe(10);
    });

    it('keeps the last 200 calls of a tool for the adaptive percentiles, however many there were', () => {
        const stats = new RoutingStats();
        const calls = (n: number, ms: number): void => {
            for (let i = 0; i < n; i++) {
                stats.record('t', ms, true);
            }
        };
        calls(150, 1000);
        calls(100, 10); // the window: 100 of 1000, 100 of 10
        expect(stats.figures('t', 'adaptive')).toMatchObject({ p95Ms: 1000 });
        calls(100, 10); // only 10s left
        expect(stats.figures('t', 'adaptive')).toMatchObject({ p50Ms: 10, p95Ms: 10 });
        calls(199, 7);
        expect(stats.figures('t', 'adaptive')).toMatchObject({ p50Ms: 7, p95Ms: 7 });
        calls(1, 7); // one 10 was left; now none
        expect(stats.figures('t', 'adaptive')!.p95Ms).toBe(7);
        expect(stats.liveCalls('t')).toBe(550);
    });
});

describe('re-selection within one run', () => {
    // Two lookups in a row: the second is chosen when it becomes ready, after the first
    // has shown that the tool claiming to be fastest is not.
    const twoLookups = (selection: SelectionStrategy) => workflow([
        { id: 'first', capability: 'lookup', with: { kind: 'object', entries: [] }, after: [], requires: [], ensures: [] },
        { id: 'second', capability: 'lookup', with: { kind: 'object', entries: [] }, after: ['first'], requires: [], ensures: [] },
    ], { selection, target: 'performance' }, { id: 'twice' });

    async function run(selection: SelectionStrategy): Promise<string[]> {
        const stats = new RoutingStats();
        const report = await runWorkflow(twoLookups(selection), {
            registry,
            connectors: new Map([['lab', timedConnector()]]),
            onCall: recordingCalls(stats),
            selectTool: createRouter(stats),
        });
        expect(report.status).toBe('succeeded');
        return report.steps.map((s) => s.tool);
    }

    it('adaptive chooses again as each capability step becomes ready, on what the run measured', async () => {
        expect(await run('adaptive')).toEqual(['slowpoke', 'steady']);
    });

    it('intelligent keeps the choice made when the run started', async () => {
        expect(await run('intelligent')).toEqual(['slowpoke', 'slowpoke']);
    });
});

/**
 * The one estimate and the one critical path: `estimateStep` says where each figure
 * comes from; `plan`, `analyze` and `predictWorkflow` give the same estimates and the
 * same predicted path, before a run (declared and default) and after a real one is
 * recorded (measured); the run report's path is the measured one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/engine/graph/critical-path.js';
import { buildGraph } from '../../src/engine/graph/graph.js';
import { analyzeWorkflow } from '../../src/engine/insight/analyze.js';
import { DEFAULT_STEP_MS, estimateMs, estimateStep } from '../../src/engine/insight/estimate.js';
import { planWorkflow } from '../../src/engine/insight/plan.js';
import { predictWorkflow } from '../../src/engine/insight/predicted-path.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { estimateFromHistory, loadHistory, recordRun, type EstimateMs } from '../../src/engine/state/history/index.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { lit, step, tool, workflow } from './helpers.js';

describe('estimateStep', () => {
    const declared = tool('slow', { performance: { responseTimeMs: 250 } });
    const measured: EstimateMs = (s) => (s.id === 'seen' ? 420 : undefined);

    it('takes measured history, else the declared response time, else the default, and says which', () => {
        expect(estimateStep(step('seen', 'slow'), declared, measured)).toEqual({ ms: 420, source: 'measured' });
        expect(estimateStep(step('new', 'slow'), declared, measured)).toEqual({ ms: 250, source: 'declared' });
        expect(estimateStep(step('new', 'x'), tool('x'), measured)).toEqual({ ms: DEFAULT_STEP_MS, source: 'default' });
        expect(estimateStep(step('unknown', 'ghost'), undefined, measured)).toEqual({ ms: DEFAULT_STEP_MS, source: 'default' });
    });

    it('is never longer than the step\'s timeout', () => {
        expect(estimateStep(step('seen', 'slow', {}, { timeoutMs: 300 }), declared, measured)).toEqual({ ms: 300, source: 'measured' });
    });

    it('gives the scheduler the same milliseconds without the objects (estimateMs)', () => {
        const cases: Array<Parameters<typeof estimateStep>> = [
            [step('seen', 'slow'), declared, measured],
            [step('new', 'slow'), declared, measured],
            [step('new', 'x'), tool('x'), measured],
            [step('unknown', 'ghost'), undefined, measured],
            [step('seen', 'slow', {}, { timeoutMs: 300 }), declared, measured],
            [step('new', 'slow', {}, { timeoutMs: 50 }), declared, undefined],
        ];
        expect(cases.map((c) => estimateMs(...c))).toEqual([420, 250, DEFAULT_STEP_MS, DEFAULT_STEP_MS, 300, 50]);
        expect(cases.map((c) => estimateMs(...c))).toEqual(cases.map((c) => estimateStep(...c).ms));
    });
});

describe('criticalPath', () => {
    it('counts a streamed fan-out only past its source\'s end', () => {
        const wf = workflow([step('a', 't'), step('b', 't', {}, { after: ['a'] }), step('c', 't')]);
        const g = buildGraph(wf);
        expect(criticalPath(g, [100, 80, 150], 'measured')).toEqual({ steps: ['a', 'b'], lengthMs: 180, kind: 'measured' });
        const streamed = [undefined, { source: 0, pastSourceMs: 10 }, undefined];
        expect(criticalPath(g, [100, 80, 150], 'measured', { streamed })).toEqual({ steps: ['c'], lengthMs: 150, kind: 'measured' });
    });
});

describe('plan, analyze and predictWorkflow agree', () => {
    // Declared figures make `ingest_*` critical; what a run measures makes `export_a` critical.
    const registry = new ToolRegistry([tool('exporter', { performance: { responseTimeMs: 20 }, via: { server: 'builtin', tool: 'delay' } })]);
    const wf = workflow([
        step('ingest_a', 'delay', { ms: lit(2) }),
        step('ingest_b', 'delay', { ms: lit(3) }, { after: ['ingest_a'] }),
        step('export_a', 'exporter', { ms: lit(120) }),
        step('done', 'log', { message: lit('done') }, { after: ['ingest_b', 'export_a'] }),
    ], { mode: 'parallel' }, { id: 'agree' });
    let dir: string;

    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-estimate-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function views(measured?: EstimateMs) {
        const prediction = predictWorkflow(wf, registry, measured);
        const plan = await planWorkflow(wf, { registry, estimateMs: measured });
        const analysis = analyzeWorkflow(wf, { registry, estimateMs: measured });
        expect(plan.criticalPath).toEqual(prediction.criticalPath);
        expect(analysis.graph.criticalPath).toEqual(prediction.criticalPath);
        expect(plan.steps.map((s) => s.estimate)).toEqual(prediction.estimates);
        expect(Object.values(analysis.graph.estimates)).toEqual(prediction.estimates);
        expect(plan.steps.filter((s) => s.onCriticalPath).map((s) => s.id).sort()).toEqual([...prediction.criticalPath.steps].sort());
        return { prediction, plan };
    }

    it('before any run, on declared and default estimates', async () => {
        const { prediction, plan } = await views();
        expect(prediction.criticalPath).toEqual({ steps: ['ingest_a', 'ingest_b', 'done'], lengthMs: 300, kind: 'predicted' });
        expect(prediction.estimates.map((e) => e.source)).toEqual(['default', 'default', 'declared', 'default']);
        // The makespan stays the simulation's.
        expect(plan.predictedMakespanMs).toBe(300);
    });

    it('after a recorded run, on the measured estimates; the report has the measured path', async () => {
        const report = await runWorkflow(wf, { registry, root: dir });
        expect(report.status).toBe('succeeded');
        const byId = new Map(report.steps.map((s) => [s.id, s.durationMs]));
        expect(report.criticalPath).toEqual(['export_a', 'done']);
        expect(report.criticalPathMs).toBeCloseTo(byId.get('export_a')! + byId.get('done')!, 2);
        await recordRun(dir, wf, report);
        const history = await loadHistory(dir);
        expect(history.runs[0]!.criticalPath).toEqual(report.criticalPath);
        const { prediction } = await views(estimateFromHistory(history, wf.id));
        expect(prediction.criticalPath.steps).toEqual(['export_a', 'done']);
        expect(prediction.estimates.every((e) => e.source === 'measured')).toBe(true);
        // The measured 120 ms delay, not the declared 20 ms (Node's timers run on libuv's millisecond
        // clock, so a 120 ms delay can measure 119.98 ms by performance.now()).
        expect(prediction.estimates[2]!.ms).toBeGreaterThan(119);
    });
});

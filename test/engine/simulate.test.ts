/**
 * The simulator runs the real scheduler on a fake clock: its predicted makespan is what a
 * real run on the same durations measures, including `pipeline` streaming.
 */
import { describe, expect, it } from 'vitest';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { simulateRun } from '../../src/engine/insight/simulate.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { Expr, ExecutionMode, StepSpec } from '../../src/engine/model/model.js';
import { step, tool, workflow } from './helpers.js';

const ms = (n: number): Expr => ({ kind: 'literal', value: n });
const registry = new ToolRegistry([
    tool('stage_a', { performance: { responseTimeMs: 60 }, via: { server: 'builtin', tool: 'delay' } }),
    tool('stage_b', { performance: { responseTimeMs: 30 }, via: { server: 'builtin', tool: 'delay' } }),
]);

function twoStages(mode: ExecutionMode) {
    const items: Expr = { kind: 'list', items: [1, 2, 3, 4].map(ms) };
    const a: StepSpec = step('a', 'stage_a', { ms: ms(60) }, { each: { name: 'x', items } });
    const b: StepSpec = step('b', 'stage_b', { ms: ms(30) }, {
        each: { name: 'y', items: { kind: 'ref', root: 'step', name: 'a', path: [{ field: 'output' }] } },
    });
    return workflow([a, b], { mode, maxParallel: 2 });
}

describe('simulateRun', () => {
    it('predicts pipeline streaming as the real scheduler runs it', async () => {
        const predicted = await simulateRun(twoStages('pipeline'), { registry });
        const batch = await simulateRun(twoStages('parallel'), { registry });
        // Batch: a's 4 items two at a time (120 ms), then b's (60 ms). Streamed: b's items
        // slot in as a's finish; the same two slots, so no longer than batch.
        expect(batch.makespanMs).toBe(180);
        expect(predicted.makespanMs).toBeLessThanOrEqual(batch.makespanMs);
        const b = predicted.steps.find((s) => s.id === 'b')!;
        const a = predicted.steps.find((s) => s.id === 'a')!;
        expect(b.startMs).toBeLessThan(a.endMs);
        expect(b.items).toBe(4);
        const real = await runWorkflow(twoStages('pipeline'), { registry });
        expect(real.status).toBe('succeeded');
        // Real timers add a little per call; the shape is the prediction's.
        expect(real.durationMs / predicted.makespanMs).toBeGreaterThan(0.9);
        expect(real.durationMs / predicted.makespanMs).toBeLessThan(1.6);
        // Streamed stages overlap: the measured critical path runs from a's start to b's
        // end, never the sum of both stages' spans (which would exceed the run itself).
        expect(real.criticalPathMs).toBeLessThanOrEqual(real.durationMs);
        const sa = real.steps[0]!;
        const sb = real.steps[1]!;
        expect(real.criticalPathMs).toBeCloseTo(Date.parse(sb.endedAt!) - Date.parse(sa.startedAt!), -1);
    });
});

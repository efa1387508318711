/** The run report's health score is defined for every outcome (docs/orchestration.md). */
import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../src/engine/run/clock.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, setup, step, tool, workflow } from './helpers.js';

function tools() {
    return setup([tool('ok', { performance: { responseTimeMs: 1000 } }), tool('bad'), tool('slow')], {
        ok: () => null,
        bad: () => { throw new ToolError('tool-error', 'no', { retryable: false }); },
        slow: async (_p, ctx) => { await sleep(ctx.clock!, 10_000, ctx.signal); return null; },
    });
}

describe('health score', () => {
    it('is 100 for a clean run, and counts a step skipped by its own when as done', async () => {
        const { registry, connectors } = tools();
        const wf = workflow([step('a', 'ok'), step('b', 'ok', {}, { when: lit(false) })]);
        const report = await runWorkflow(wf, { registry, connectors });
        expect(report.status).toBe('succeeded');
        expect(report.metrics.healthScore).toBe(100);
    });

    it('weighs failed calls and the steps that never completed in a partial run', async () => {
        const { registry, connectors } = tools();
        const wf = workflow([step('a', 'ok'), step('b', 'bad'), step('c', 'ok', { x: { kind: 'ref', root: 'step', name: 'b', path: [{ field: 'output' }] } })], { errors: 'resilient' });
        const report = await runWorkflow(wf, { registry, connectors });
        expect(report.status).toBe('partial');
        // 2 calls, 1 error; latency 1; 1 of 3 steps done: 100 × (0.5 × 0.5 + 0.2 + 0.3 / 3).
        expect(report.metrics.healthScore).toBe(55);
    });

    it('is not 100 for a cancelled run that called nothing', async () => {
        const { registry, connectors } = tools();
        const controller = new AbortController();
        const wf = workflow([step('a', 'slow'), step('b', 'ok', {}, { after: ['a'] })]);
        const report = await runWorkflow(wf, {
            registry, connectors, clock: new FakeClock(0), signal: controller.signal,
            onEvent: (e) => { if (e.type === 'step-started') { controller.abort(); } },
        });
        expect(report.status).toBe('cancelled');
        // No call completed (callSuccess and latency 1), no step completed: 100 × (0.5 + 0.2 + 0).
        expect(report.metrics.healthScore).toBe(70);
    });
});

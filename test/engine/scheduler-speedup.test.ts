/**
 * Real time: parallel mode really overlaps work. Generous ratios only; no tight timing.
 */
import { describe, expect, it } from 'vitest';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { lit, step, workflow } from './helpers.js';

describe('real parallel speed-up', () => {
    it('parallel delay steps finish several times faster than sequential ones', async () => {
        const steps = Array.from({ length: 8 }, (_, i) => step(`d${i}`, 'delay', { ms: lit(80) }));
        const registry = new ToolRegistry();
        const sequential = await runWorkflow(workflow(steps, { mode: 'sequential' }), { registry });
        const parallel = await runWorkflow(workflow(steps, { mode: 'parallel' }), { registry });
        expect(sequential.status).toBe('succeeded');
        expect(parallel.status).toBe('succeeded');
        expect(sequential.durationMs).toBeGreaterThanOrEqual(8 * 80 - 5);
        expect(sequential.metrics.maxConcurrency).toBe(1);
        expect(parallel.metrics.maxConcurrency).toBe(8);
        expect(sequential.durationMs / parallel.durationMs).toBeGreaterThan(3);
        // Measured, not estimated: each step took at least its delay.
        for (const s of parallel.steps) {
            expect(s.durationMs).toBeGreaterThanOrEqual(79);
        }
        expect(parallel.criticalPathMs).toBeGreaterThanOrEqual(79);
        expect(parallel.metrics.utilization).toBeGreaterThan(0.5);
    });
});

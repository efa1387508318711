/** The report's queue-wait bottlenecks: the three steps that waited longest for a slot. */
import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../src/engine/run/clock.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { setup, step, tool, workflow } from './helpers.js';

describe('queue-wait bottlenecks', () => {
    it('name the three longest waits, longest first and earlier steps first among equals', async () => {
        const { registry, connectors } = setup([tool('work')], {
            work: async (_p, ctx) => { await sleep(ctx.clock!, 100, ctx.signal); return null; },
        });
        // Two slots, eight 100 ms steps: s2 and s3 wait 100 ms (no longer than they run:
        // not a bottleneck), s4 and s5 200 ms, s6 and s7 300 ms.
        const steps = Array.from({ length: 8 }, (_, i) => step(`s${i}`, 'work'));
        const report = await runWorkflow(workflow(steps, { maxParallel: 2 }), { registry, connectors, clock: new FakeClock(0) });
        const waits = report.bottlenecks.filter((b) => b.kind === 'queue-wait');
        expect(waits.map((b) => [b.step, b.impactMs])).toEqual([['s6', 300], ['s7', 300], ['s4', 200]]);
    });
});

/** `runWorkflows`: several workflows on one shared pool and concurrency limit. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { runWorkflows } from '../../src/engine/run/scheduler.js';
import { lit, setup, step, tool, wait, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);

describe('runWorkflows', () => {
    it('overlaps the workflows, never exceeding the shared pool; one report each', async () => {
        const clock = new FakeClock(t0);
        const { registry, connectors, connector } = setup([tool('w', { resources: { cpu: 0.3 } })], { w: wait });
        const spans: Array<{ wf: string; from: number; to: number }> = [];
        const mk = (id: string) => workflow(Array.from({ length: 6 }, (_, i) => step(`${id}${i}`, 'w', { ms: lit(10 + i) })), { resources: 'balanced' }, { id });
        const reports = await runWorkflows([mk('a'), mk('b')], { registry, connectors, clock });
        expect(reports.map((r) => [r.workflow, r.status])).toEqual([['a', 'succeeded'], ['b', 'succeeded']]);
        for (const r of reports) {
            for (const s of r.steps) {
                spans.push({ wf: r.workflow, from: Date.parse(s.startedAt!), to: Date.parse(s.endedAt!) });
            }
        }
        // Pool 1.0, demand 0.3: at most 3 at once across both workflows.
        expect(connector.peak.get('cpu')).toBeLessThanOrEqual(1.0 + 1e-9);
        expect(connector.maxRunning).toBe(3);
        const overlap = spans.some((x) => x.wf === 'a' && spans.some((y) => y.wf === 'b' && x.from < y.to && y.from < x.to));
        expect(overlap).toBe(true);
        // Round-robin admission: both started at time 0.
        expect(reports.map((r) => Math.min(...r.steps.map((s) => Date.parse(s.startedAt!))))).toEqual([t0, t0]);
    });

    it('bounds the total by maxParallel, each workflow by its own max_parallel', async () => {
        const clock = new FakeClock(t0);
        const { registry, connectors, connector } = setup([tool('w')], { w: wait });
        const mk = (id: string, maxParallel?: number) => workflow(Array.from({ length: 8 }, (_, i) => step(`${id}${i}`, 'w', { ms: lit(5) })), { maxParallel }, { id });
        await runWorkflows([mk('a', 1), mk('b')], { registry, connectors, clock, maxParallel: 4 });
        expect(connector.maxRunning).toBe(4);
        // Workflow a never had two at once.
        const aCalls = connector.calls.filter((c, i) => connector.started[i]!.startsWith('a'));
        const times = aCalls.map((c) => c.at);
        expect(new Set(times).size).toBe(times.length);
    });

    it('takes the most conservative pool of the workflows by default', async () => {
        const clock = new FakeClock(t0);
        const { registry, connectors, connector } = setup([tool('w', { resources: { cpu: 0.25 } })], { w: wait });
        const a = workflow([step('a0', 'w', { ms: lit(5) }), step('a1', 'w', { ms: lit(5) })], { resources: 'conservative' }, { id: 'a' });
        const b = workflow([step('b0', 'w', { ms: lit(5) }), step('b1', 'w', { ms: lit(5) })], { resources: 'aggressive' }, { id: 'b' });
        await runWorkflows([a, b], { registry, connectors, clock });
        expect(connector.peak.get('cpu')).toBeLessThanOrEqual(0.5 + 1e-9);
    });
});

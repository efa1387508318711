/**
 * Order and concurrency under a deterministic fake clock: every time below is exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { criticalPath } from '../../src/engine/graph/critical-path.js';
import { buildGraph } from '../../src/engine/graph/graph.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { lit, setup, step, tool, wait, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
const startOf = (report: Awaited<ReturnType<typeof runWorkflow>>, id: string) => Date.parse(report.steps.find((s) => s.id === id)!.startedAt!) - t0;

describe('scheduler order and concurrency (fake clock)', () => {
    it('runs a diamond in dependency order with exact timings', async () => {
        const { registry, connectors, connector } = setup([tool('w')], { w: wait });
        const wf = workflow([
            step('a', 'w', { ms: lit(10) }),
            step('b', 'w', { ms: lit(30) }, { after: ['a'] }),
            step('c', 'w', { ms: lit(20) }, { after: ['a'] }),
            step('d', 'w', { ms: lit(5) }, { after: ['b', 'c'] }),
        ]);
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('succeeded');
        expect(connector.started).toEqual(['a', 'b', 'c', 'd']);
        expect([startOf(report, 'a'), startOf(report, 'b'), startOf(report, 'c'), startOf(report, 'd')]).toEqual([0, 10, 10, 40]);
        expect(report.durationMs).toBe(45);
        expect(report.criticalPathMs).toBe(45);
        expect(report.metrics.maxConcurrency).toBe(2);
        expect(report.metrics.tools.w).toMatchObject({ calls: 4, errors: 0, p50Ms: 10, p95Ms: 30 });
    });

    it('starts what is ready critical path first when a pool can hold tasks back, and all at once, in turn, when none can', async () => {
        const started = async (resources: Record<string, number>) => {
            const { registry, connectors, connector } = setup([tool('w', { resources })], { w: wait });
            const wf = workflow([
                step('a', 'w', { ms: lit(10) }),
                step('b', 'w', { ms: lit(10) }),
                step('c', 'w', { ms: lit(30) }, { after: ['b'] }),
            ], { resources: 'balanced' });
            const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
            expect([startOf(report, 'a'), startOf(report, 'b'), startOf(report, 'c')]).toEqual([0, 0, 10]);
            return connector.started;
        };
        // b leads the longer path: with a demand on the pool it goes first.
        expect(await started({ cpu: 0.1 })).toEqual(['b', 'a', 'c']);
        // No step has a demand: the pool holds nothing back, so no order is computed.
        expect(await started({})).toEqual(['a', 'b', 'c']);
    });

    it('sequential mode runs one at a time in file order, parallel_group members together', async () => {
        const { registry, connectors, connector } = setup([tool('w')], { w: wait });
        const wf = workflow(
            [
                step('z', 'w', { ms: lit(10) }),
                step('a', 'w', { ms: lit(10) }),
                step('g1', 'w', { ms: lit(10) }, { parallelGroup: 'g' }),
                step('g2', 'w', { ms: lit(10) }, { parallelGroup: 'g' }),
                step('after', 'w', { ms: lit(10) }, { after: ['z'] }),
            ],
            { mode: 'sequential' },
        );
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(connector.started).toEqual(['z', 'a', 'g1', 'g2', 'after']);
        expect(report.steps.map((s) => startOf(report, s.id))).toEqual([0, 10, 20, 20, 30]);
        expect(report.durationMs).toBe(40);
        expect(report.metrics.maxConcurrency).toBe(2);
    });

    it('parallel mode starts the longest remaining path first', async () => {
        const { registry, connectors, connector } = setup(
            [tool('short', { performance: { responseTimeMs: 10 } }), tool('long', { performance: { responseTimeMs: 100 } })],
            { short: wait, long: wait },
        );
        const wf = workflow(
            [
                step('s1', 'short', { ms: lit(10) }),
                step('s2', 'short', { ms: lit(10) }),
                step('l1', 'long', { ms: lit(100) }),
                step('l2', 'short', { ms: lit(10) }, { after: ['l1'] }),
            ],
            { maxParallel: 1 },
        );
        await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(connector.started[0]).toBe('l1');
    });

    it('respects max_parallel', async () => {
        const { registry, connectors, connector } = setup([tool('w')], { w: wait });
        const steps = Array.from({ length: 12 }, (_, i) => step(`s${i}`, 'w', { ms: lit(10) }));
        const report = await runWorkflow(workflow(steps, { maxParallel: 3 }), { registry, connectors, clock: new FakeClock(t0) });
        expect(connector.maxRunning).toBe(3);
        expect(report.metrics.maxConcurrency).toBe(3);
        expect(report.durationMs).toBe(40);
    });

    it('keeps resource demands within the pool', async () => {
        const { registry, connectors, connector } = setup(
            [tool('heavy', { resources: { cpu: 0.4, memory: 0.1 } }), tool('light', { resources: { cpu: 0.1 } })],
            { heavy: wait, light: wait },
        );
        const steps = [
            ...Array.from({ length: 6 }, (_, i) => step(`h${i}`, 'heavy', { ms: lit(10) })),
            ...Array.from({ length: 6 }, (_, i) => step(`l${i}`, 'light', { ms: lit(10) })),
        ];
        for (const [strategy, capacity] of [['conservative', 0.5], ['balanced', 1.0], ['aggressive', 2.0]] as const) {
            connector.peak.clear();
            const report = await runWorkflow(workflow(steps, { resources: strategy }), { registry, connectors, clock: new FakeClock(t0) });
            expect(report.status).toBe('succeeded');
            expect(connector.peak.get('cpu')!).toBeLessThanOrEqual(capacity + 1e-9);
            expect(connector.peak.get('cpu')!).toBeGreaterThan(capacity - 0.2); // and uses it
        }
        connector.maxRunning = 0;
        await runWorkflow(workflow(steps, { resources: 'unlimited' }), { registry, connectors, clock: new FakeClock(t0) });
        expect(connector.maxRunning).toBe(12);
    });

    it('runs a step asking more than the pool alone instead of deadlocking', async () => {
        const { registry, connectors, connector } = setup(
            [tool('huge', { resources: { cpu: 1 } }), tool('small', { resources: { cpu: 0.2 } })],
            { huge: wait, small: wait },
        );
        const wf = workflow([step('big', 'huge', { ms: lit(10) }), step('s1', 'small', { ms: lit(10) }), step('s2', 'small', { ms: lit(10) })], {
            resources: 'conservative',
        });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('succeeded');
        const big = startOf(report, 'big');
        for (const id of ['s1', 's2']) {
            const s = startOf(report, id);
            expect(s >= big + 10 || s + 10 <= big).toBe(true);
        }
        expect(connector.maxRunning).toBe(2);
    });

    it("Graham's bound holds on random DAGs with m unit slots", async () => {
        const { registry, connectors } = setup([tool('w')], { w: wait });
        await fc.assert(
            fc.asyncProperty(
                fc.integer({ min: 1, max: 4 }),
                fc.array(fc.record({ ms: fc.integer({ min: 1, max: 50 }), deps: fc.array(fc.nat(), { maxLength: 3 }) }), { minLength: 1, maxLength: 25 }),
                async (m, spec) => {
                    const steps = spec.map((s, i) =>
                        step(`s${i}`, 'w', { ms: lit(s.ms) }, { after: i === 0 ? [] : [...new Set(s.deps.map((d) => `s${d % i}`))] }),
                    );
                    const wf = workflow(steps, { maxParallel: m });
                    const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
                    const durations = spec.map((s) => s.ms);
                    const cp = criticalPath(buildGraph(wf), durations, 'predicted').lengthMs;
                    const work = durations.reduce((a, b) => a + b, 0);
                    expect(report.status).toBe('succeeded');
                    expect(report.metrics.maxConcurrency).toBeLessThanOrEqual(m);
                    expect(report.durationMs).toBeLessThanOrEqual((1 - 1 / m) * cp + work / m + 1e-9);
                    expect(report.durationMs).toBeGreaterThanOrEqual(Math.max(cp, work / m) - 1e-9);
                },
            ),
            { numRuns: 60, seed: 20250101 },
        );
    });
});

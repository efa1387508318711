/**
 * `mode adaptive` (the AIMD concurrency limit) and `mode pipeline` (item-wise
 * streaming between fan-outs), on a FakeClock.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../src/engine/run/clock.js';
import type { Expr } from '../../src/engine/model/model.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, root, setup, step, tool, wait, workflow, type Handler } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
const list = (n: number): Expr => ({ kind: 'list', items: Array.from({ length: n }, (_, i) => lit(i)) });
const stepOutput = (id: string): Expr => ({ kind: 'ref', root: 'step', name: id, path: [{ field: 'output' }] });

describe('mode adaptive', () => {
    /** A backend that slows down past 4 concurrent calls, as a saturated server does. */
    function saturating(clock: () => FakeClock): { handler: Handler; inFlight: () => number; peak: () => number } {
        let running = 0;
        let peak = 0;
        return {
            handler: async (_p, ctx) => {
                running++;
                peak = Math.max(peak, running);
                try {
                    await sleep(clock(), 10 * Math.max(1, running / 4), ctx.signal);
                } finally {
                    running--;
                }
                return null;
            },
            inFlight: () => running,
            peak: () => peak,
        };
    }

    it('starts at 2, raises the limit while latency holds and stops raising when it degrades', async () => {
        const clock = new FakeClock(t0);
        const backend = saturating(() => clock);
        const { registry, connectors } = setup([tool('w')], { w: backend.handler });
        const steps = Array.from({ length: 60 }, (_, i) => step(`s${i}`, 'w'));
        const report = await runWorkflow(workflow(steps, { mode: 'adaptive' }), { registry, connectors, clock });
        expect(report.status).toBe('succeeded');
        const course = report.metrics.concurrencyLimit!;
        expect(course[0]).toEqual({ at: 0, limit: 2 });
        const limits = course.map((c) => c.limit);
        const top = Math.max(...limits);
        expect(top).toBeGreaterThan(2);
        // Latency passes 1.5x its best at 7 concurrent calls. Calls already in flight
        // when it did still add one each (AIMD's slow-start overshoot), but the limit
        // stops far below the 60 a plain parallel run would start.
        expect(top).toBeGreaterThanOrEqual(6);
        expect(top).toBeLessThanOrEqual(16);
        expect(backend.peak()).toBeLessThanOrEqual(top);
        expect(report.metrics.maxConcurrency).toBeLessThanOrEqual(top);
        // Times are ms since the start, non-decreasing.
        for (let i = 1; i < course.length; i++) {
            expect(course[i]!.at).toBeGreaterThanOrEqual(course[i - 1]!.at);
        }
    });

    it('halves the limit on errors and never goes below 1', async () => {
        const clock = new FakeClock(t0);
        let n = 0;
        const { registry, connectors } = setup([tool('w')], {
            w: async (_p, ctx) => {
                n++;
                await sleep(ctx.clock!, 10, ctx.signal);
                if (n > 30) {
                    throw new ToolError('disconnected', 'backend overloaded');
                }
                return null;
            },
        });
        const steps = Array.from({ length: 40 }, (_, i) => step(`s${i}`, 'w'));
        const report = await runWorkflow(workflow(steps, { mode: 'adaptive', errors: 'resilient' }), { registry, connectors, clock });
        const limits = report.metrics.concurrencyLimit!.map((c) => c.limit);
        const peakIndex = limits.indexOf(Math.max(...limits));
        // After the peak, errors cut it multiplicatively, down to 1, never below.
        const after = limits.slice(peakIndex);
        expect(Math.min(...after)).toBe(1);
        expect(Math.min(...limits)).toBeGreaterThanOrEqual(1);
        for (let i = 1; i < after.length; i++) {
            const prev = after[i - 1]!;
            const next = after[i]!;
            expect(next === prev + 1 || next === Math.max(1, Math.floor(prev / 2))).toBe(true);
        }
    });

    it('never exceeds max_parallel', async () => {
        const clock = new FakeClock(t0);
        const { registry, connectors, connector } = setup([tool('w')], { w: (p, ctx) => wait({ ms: 5 }, ctx) });
        const steps = Array.from({ length: 50 }, (_, i) => step(`s${i}`, 'w'));
        const report = await runWorkflow(workflow(steps, { mode: 'adaptive', maxParallel: 5 }), { registry, connectors, clock });
        expect(Math.max(...report.metrics.concurrencyLimit!.map((c) => c.limit))).toBe(5);
        expect(connector.maxRunning).toBe(5);
    });

    it('is absent from the report of other modes', async () => {
        const { registry, connectors } = setup([tool('w')], { w: () => null });
        const report = await runWorkflow(workflow([step('a', 'w')]), { registry, connectors, clock: new FakeClock(t0) });
        expect(report.metrics.concurrencyLimit).toBeUndefined();
    });
});

describe('mode pipeline', () => {
    const N = 6;
    /** Item i of `up` takes 10·(i+1) ms; items of `down` 1 ms. */
    function stages(mode: 'pipeline' | 'parallel', extra: Partial<Parameters<typeof step>[3]> = {}) {
        const clock = new FakeClock(t0);
        const starts: Array<{ id: string; item: unknown; at: number }> = [];
        const ends: Array<{ id: string; item: unknown; at: number }> = [];
        const handler: Handler = async (p, ctx) => {
            starts.push({ id: ctx.stepId!, item: p.i, at: clock.now() });
            await sleep(clock, Number(p.ms), ctx.signal);
            ends.push({ id: ctx.stepId!, item: p.i, at: clock.now() });
            if (p.fail === true) {
                throw new ToolError('tool-error', 'bad item', { retryable: false });
            }
            return { i: p.i };
        };
        const { registry, connectors } = setup([tool('w')], { w: handler });
        const item = (name: string, ...f: string[]): Expr => root('item', name, ...f);
        const up = step('up', 'w', { i: item('x'), ms: { kind: 'binary', op: '*', left: lit(10), right: { kind: 'binary', op: '+', left: item('x'), right: lit(1) } } }, { each: { name: 'x', items: list(N) } });
        const down = step('down', 'w', { i: item('y', 'i'), ms: lit(1) }, { each: { name: 'y', items: stepOutput('up') }, ...extra });
        const last = step('last', 'w', { i: item('z', 'i'), ms: lit(1) }, { each: { name: 'z', items: stepOutput('down') } });
        return { clock, starts, ends, registry, connectors, wf: workflow([up, down, last], { mode, errors: 'resilient' }) };
    }

    it('starts a downstream item when its own upstream item is done', async () => {
        const s = stages('pipeline');
        const report = await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: s.clock });
        expect(report.status).toBe('succeeded');
        const at = (list: typeof s.starts, id: string, i: number) => list.find((e) => e.id === id && e.item === i)!.at - t0;
        // down[0] starts when up[0] ends (10 ms), long before up[N-1] ends (60 ms).
        expect(at(s.starts, 'down', 0)).toBe(at(s.ends, 'up', 0));
        expect(at(s.starts, 'down', 0)).toBeLessThan(at(s.ends, 'up', N - 1));
        // Chains stream through: last[0] follows down[0].
        expect(at(s.starts, 'last', 0)).toBe(at(s.ends, 'down', 0));
        expect(at(s.starts, 'last', 0)).toBeLessThan(at(s.ends, 'up', N - 1));
        // Outputs keep item order.
        expect(report.steps.find((x) => x.id === 'last')!.output).toEqual(Array.from({ length: N }, (_, i) => ({ i })));
    });

    it('in parallel mode the same workflow waits for the whole batch', async () => {
        const s = stages('parallel');
        await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: s.clock });
        const downStart = Math.min(...s.starts.filter((e) => e.id === 'down').map((e) => e.at));
        const upEnd = Math.max(...s.ends.filter((e) => e.id === 'up').map((e) => e.at));
        expect(downStart).toBe(upEnd);
    });

    it('does not stream when the downstream step also reads the upstream step as a whole', async () => {
        const s = stages('pipeline', { after: ['up'] });
        await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: s.clock });
        const downStart = Math.min(...s.starts.filter((e) => e.id === 'down').map((e) => e.at));
        const upEnd = Math.max(...s.ends.filter((e) => e.id === 'up').map((e) => e.at));
        expect(downStart).toBe(upEnd);
    });

    it('a failed upstream item fails only its own downstream item', async () => {
        const clock = new FakeClock(t0);
        const ran: unknown[] = [];
        const { registry, connectors } = setup([tool('up'), tool('down')], {
            up: async (p) => {
                await sleep(clock, 5);
                if (p.i === 2) {
                    throw new ToolError('tool-error', 'no', { retryable: false });
                }
                return p.i;
            },
            down: (p) => {
                ran.push(p.v);
                return p.v;
            },
        });
        const wf = workflow([
            step('a', 'up', { i: root('item', 'x') }, { each: { name: 'x', items: list(4) } }),
            step('b', 'down', { v: root('item', 'y') }, { each: { name: 'y', items: stepOutput('a') } }),
        ], { mode: 'pipeline', errors: 'resilient' });
        const report = await runWorkflow(wf, { registry, connectors, clock });
        expect(ran.sort()).toEqual([0, 1, 3]);
        const b = report.steps.find((x) => x.id === 'b')!;
        expect(b.status).toBe('failed');
        expect(b.error).toMatchObject({ code: 'dependency-failed' });
        expect(b.output).toEqual([0, 1, null, 3]);
    });

    it('admits streamed items in item order under a small max_parallel', async () => {
        const s = stages('pipeline');
        s.wf.settings.maxParallel = 2;
        const report = await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: s.clock });
        expect(report.status).toBe('succeeded');
        const downStart = s.starts.find((e) => e.id === 'down' && e.item === 0)!.at;
        const upLastEnd = s.ends.find((e) => e.id === 'up' && e.item === N - 1)!.at;
        expect(downStart).toBeLessThan(upLastEnd);
    });
});

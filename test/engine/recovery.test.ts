/** `errors recovery` (compensation in reverse completion order) and `errors adaptive`. */
import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../src/engine/run/clock.js';
import type { RunEvent } from '../../src/engine/run/run-types.js';
import { RunSetupError } from '../../src/engine/run/run-setup.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, obj, ref, root, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
const undo = (what: string) => ({ tool: 'undo', with: obj({ what: lit(what) }) });

function saga(failing: { fail?: boolean; undoFails?: string } = {}) {
    const undone: unknown[] = [];
    const { registry, connectors, connector } = setup([tool('do'), tool('undo'), tool('boom')], {
        do: async (p, ctx) => {
            await sleep(ctx.clock!, Number(p.ms ?? 1), ctx.signal);
            return { did: p.what };
        },
        undo: (p) => {
            if (p.what === failing.undoFails) {
                throw new ToolError('tool-error', `cannot undo ${String(p.what)}`, { retryable: false });
            }
            undone.push(p.what);
            return null;
        },
        boom: () => {
            if (failing.fail !== false) {
                throw new ToolError('tool-error', 'payment declined', { retryable: false });
            }
            return null;
        },
    });
    const wf = workflow([
        step('reserve', 'do', { what: lit('reserve'), ms: lit(5) }, { compensate: undo('reserve') }),
        step('charge', 'do', { what: lit('charge'), ms: lit(1) }, { compensate: { tool: 'undo', with: obj({ what: ref('charge', 'output', 'did') }) } }),
        step('log', 'do', { what: lit('log'), ms: lit(2) }),
        step('ship', 'boom', {}, { after: ['reserve', 'charge'], compensate: undo('ship') }),
    ], { errors: 'recovery' });
    return { wf, registry, connectors, connector, undone };
}

describe('errors recovery', () => {
    it('compensates completed steps in reverse completion order and reports rolled_back', async () => {
        const s = saga();
        const events: RunEvent[] = [];
        const report = await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), onEvent: (e) => events.push(e) });
        // charge (1 ms) completed before reserve (5 ms): undone after it, i.e. reserve first.
        expect(s.undone).toEqual(['reserve', 'charge']);
        expect(report.status).toBe('rolled_back');
        const status = Object.fromEntries(report.steps.map((x) => [x.id, x.status]));
        expect(status).toEqual({ reserve: 'compensated', charge: 'compensated', log: 'succeeded', ship: 'failed' });
        const finished = events.filter((e) => e.type === 'step-finished' && e.status === 'compensated').map((e) => (e as { stepId: string }).stepId);
        expect(finished).toEqual(['reserve', 'charge']);
    });

    it('a failed compensation is reported on its step, which stays succeeded, and fails the run', async () => {
        const s = saga({ undoFails: 'reserve' });
        const report = await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0) });
        expect(s.undone).toEqual(['charge']); // the others still run
        const reserve = report.steps.find((x) => x.id === 'reserve')!;
        expect(reserve.status).toBe('succeeded');
        expect(reserve.compensationError).toMatchObject({ code: 'tool-error', message: 'cannot undo reserve' });
        expect(report.status).toBe('failed');
    });

    it('compensates nothing when nothing failed', async () => {
        const s = saga({ fail: false });
        const report = await runWorkflow(s.wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('succeeded');
        expect(s.undone).toEqual([]);
    });

    it('compensates each item of a fan-out, last first, with the item bound', async () => {
        const undone: unknown[] = [];
        const { registry, connectors } = setup([tool('do'), tool('undo'), tool('boom')], {
            do: () => null,
            undo: (p) => void undone.push(p.what),
            boom: () => Promise.reject(new ToolError('tool-error', 'no', { retryable: false })),
        });
        const wf = workflow([
            step('files', 'do', { f: root('item', 'f') }, { each: { name: 'f', items: { kind: 'list', items: [lit('a'), lit('b')] } }, compensate: { tool: 'undo', with: obj({ what: root('item', 'f') }) } }),
            step('fail', 'boom', {}, { after: ['files'] }),
        ], { errors: 'recovery' });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(undone).toEqual(['b', 'a']);
        expect(report.status).toBe('rolled_back');
    });

    it('refuses to start when a compensation tool is unknown', async () => {
        const { registry, connectors } = setup([tool('do')], { do: () => null });
        const wf = workflow([step('a', 'do', {}, { compensate: { tool: 'nope', with: obj() } })], { errors: 'recovery' });
        await expect(runWorkflow(wf, { registry, connectors })).rejects.toBeInstanceOf(RunSetupError);
    });
});

describe('errors adaptive', () => {
    /** Each step fails twice with `error`, then succeeds. */
    function flaky(error: ToolError) {
        const calls = new Map<string, number>();
        return setup([tool('f')], {
            f: (_p, ctx) => {
                const n = (calls.get(ctx.stepId!) ?? 0) + 1;
                calls.set(ctx.stepId!, n);
                if (n < 3) {
                    throw error;
                }
                return 'ok';
            },
        });
    }
    const run = (s: ReturnType<typeof flaky>) =>
        runWorkflow(workflow([step('s', 'f', {}, { retry: { retries: 3, backoffMs: 10 } }), step('t', 'f', {}, { retry: { retries: 3, backoffMs: 10 } })], { errors: 'adaptive' }), {
            registry: s.registry,
            connectors: s.connectors,
            clock: new FakeClock(t0),
        });

    it.each([
        ['timeout', new ToolError('timeout', 'slow')],
        ['disconnected', new ToolError('disconnected', 'reset')],
    ])('retries transient errors (%s)', async (_name, error) => {
        const s = flaky(error);
        const report = await run(s);
        expect(report.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    });

    it('retries an error its tool marked retryable (MCP isError with _meta.retryable)', async () => {
        const report = await run(flaky(new ToolError('tool-error', 'busy, try again', { retryable: true })));
        expect(report.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    });

    it('does not retry an error retryable only by default, nor invalid parameters even if marked', async () => {
        const s = flaky(new Error('plain failure') as ToolError);
        const report = await run(s);
        expect(report.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
        // Resilient: the independent step still runs (and fails the same way).
        expect(report.steps[1]).toMatchObject({ status: 'failed', attempts: 1 });
        expect(report.status).toBe('failed');
        const bad = flaky(new ToolError('invalid-param', 'bad', { retryable: true }));
        const r2 = await run(bad);
        expect(r2.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('a parameter that breaks the schema fails once, never retried', async () => {
        const { registry, connectors, connector } = setup([tool('typed', { inputSchema: { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false } })], { typed: () => null });
        const wf = workflow([step('s', 'typed', { n: lit('x') }, { retry: { retries: 3, backoffMs: 1 } })], { errors: 'adaptive' });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(report.steps[0]).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'invalid-param' } });
        expect(connector.calls).toHaveLength(0);
    });
});

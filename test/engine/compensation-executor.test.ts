/**
 * `errors recovery`: compensations run through the executor steps run through — the
 * step's timeout bounds each attempt, its retry policy and backoff apply on the run's
 * clock, cancellation aborts them, errors are shaped and masked alike.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../src/engine/run/clock.js';
import type { StepSpec } from '../../src/engine/model/model.js';
import { backoffDelay, seededRandom } from '../../src/engine/run/retry.js';
import type { RunEvent, RunOptions } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { ToolContext } from '../../src/engine/tools/registry.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { type Handler, lit, obj, root, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
type Report = Awaited<ReturnType<typeof runWorkflow>>;
const byId = (report: Report, id: string) => report.steps.find((s) => s.id === id)!;

/**
 * `made` (with `extra`: timeout, retry) is compensated by `undo` after `broke` fails;
 * `first`, which completes before it, is compensated after it, by the same tool.
 */
function saga(undo: Handler, extra: Partial<StepSpec> = {}, options: Partial<RunOptions> = {}) {
    const undone: string[] = [];
    const s = setup([tool('do'), tool('undo'), tool('boom')], {
        do: (p, ctx) => sleep(ctx.clock!, Number(p.ms), ctx.signal).then(() => ({ did: ctx.stepId })),
        undo: async (p, ctx) => {
            const out = await undo(p, ctx);
            undone.push(String(p.what));
            return out;
        },
        boom: () => {
            throw new ToolError('tool-error', 'payment declined', { retryable: false });
        },
    });
    const compensate = (what: string) => ({ tool: 'undo', with: obj({ what: lit(what) }) });
    const wf = workflow([
        step('first', 'do', { ms: lit(1) }, { compensate: compensate('first') }),
        step('made', 'do', { ms: lit(2) }, { compensate: compensate('made'), ...extra }),
        step('broke', 'boom', {}, { after: ['first', 'made'] }),
    ], { errors: 'recovery' });
    const events: RunEvent[] = [];
    const clock = new FakeClock(t0);
    const run = () => runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock, runId: 'r1', seed: 7, onEvent: (e) => events.push(e), ...options });
    return { ...s, run, undone, events, clock };
}

/** The handler fails for `made` while `failures` lasts, with `error`; `first` always succeeds. */
function failing(failures: number, error: () => ToolError): Handler & { calls: number[] } {
    const calls: number[] = [];
    const handler = (p: Record<string, unknown>, ctx: ToolContext) => {
        if (p.what === 'made') {
            calls.push(ctx.clock!.now());
            if (calls.length <= failures) {
                throw error();
            }
        }
        return null;
    };
    return Object.assign(handler, { calls });
}

describe('a compensation that hangs', () => {
    it('times out like a step: its signal is aborted at the step timeout, code timeout', async () => {
        let calledAt = -1;
        let abortedAt = -1;
        let reason: unknown;
        // Hangs, ignoring its signal: only the executor's timer can end the wait.
        const s = saga((p, ctx) => {
            if (p.what !== 'made') {
                return null;
            }
            calledAt = ctx.clock!.now();
            ctx.signal.addEventListener('abort', () => {
                abortedAt = ctx.clock!.now();
                reason = ctx.signal.reason;
            });
            return new Promise(() => undefined);
        }, { timeoutMs: 100 });
        const report = await s.run();
        expect(abortedAt - calledAt).toBe(100);
        expect(reason).toMatchObject({ code: 'timeout' });
        const made = byId(report, 'made');
        expect(made.status).toBe('succeeded');
        expect(made.compensationError).toEqual({ code: 'timeout', message: "compensation of step 'made' timed out after 100 ms", retryable: true });
        // The saga goes on (first is undone), but something could not be undone.
        expect(s.undone).toEqual(['first']);
        expect(byId(report, 'first').status).toBe('compensated');
        expect(report.status).toBe('failed');
        expect(s.events).toContainEqual(expect.objectContaining({ type: 'log', stepId: 'made', level: 'error', message: "compensation of step 'made' failed: compensation of step 'made' timed out after 100 ms" }));

        // The same hang as the step's own call fails it the same way.
        const stepHang = setup([tool('hang')], { hang: () => new Promise(() => undefined) });
        const direct = await runWorkflow(workflow([step('made', 'hang', {}, { timeoutMs: 100 })]), { registry: stepHang.registry, connectors: stepHang.connectors, clock: new FakeClock(t0) });
        expect(byId(direct, 'made').error).toEqual({ ...made.compensationError, message: "step 'made' timed out after 100 ms" });
        expect(byId(direct, 'made').durationMs).toBe(100);
    });

    it('retries a timed-out attempt under the step retry, each attempt bounded by the timeout', async () => {
        let n = 0;
        const s = saga(async (p, ctx) => {
            if (p.what === 'made' && ++n === 1) {
                await sleep(ctx.clock!, 10_000, ctx.signal);
            }
            return null;
        }, { timeoutMs: 100, retry: { retries: 1, backoffMs: 10 } });
        const report = await s.run();
        expect(n).toBe(2);
        expect(byId(report, 'made').status).toBe('compensated');
        expect(report.status).toBe('rolled_back');
    });

    it('after a workflow timeout still runs, under its own signal', async () => {
        const s = saga(async (p, ctx) => {
            expect(ctx.signal.aborted).toBe(false);
            await sleep(ctx.clock!, 5, ctx.signal);
            return null;
        });
        const wf = workflow([
            step('made', 'do', { ms: lit(1) }, { compensate: { tool: 'undo', with: obj({ what: lit('made') }) } }),
            step('slow', 'do', { ms: lit(1000) }, { after: ['made'] }),
        ], { errors: 'recovery', timeoutMs: 50 });
        const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock: s.clock });
        expect(byId(report, 'slow').error).toMatchObject({ code: 'timeout' });
        expect(byId(report, 'made').status).toBe('compensated');
        expect(report.status).toBe('rolled_back');
    });
});

describe('a compensation that fails', () => {
    it('with a retryable error is retried with the step retry policy: same backoff, on the run clock', async () => {
        const undo = failing(2, () => new ToolError('disconnected', 'connection reset'));
        const s = saga(undo, { retry: { retries: 3, backoffMs: 100 } });
        const report = await s.run();
        expect(byId(report, 'made').status).toBe('compensated');
        expect(report.status).toBe('rolled_back');
        // Equal jitter from the run's seeded generator, as a step's retries (nothing else drew
        // from it; epoch milliseconds keep ~4 decimals).
        const random = seededRandom(7);
        const delays = [backoffDelay(100, 0, random), backoffDelay(100, 1, random)];
        expect(undo.calls.length).toBe(3);
        expect(undo.calls[1]! - undo.calls[0]!).toBeCloseTo(delays[0]!, 3);
        expect(undo.calls[2]! - undo.calls[1]!).toBeCloseTo(delays[1]!, 3);
        // The report's attempts and the tool metrics count the step's own calls only; a
        // compensation is reported once, when it is over (no step-retrying event).
        expect(byId(report, 'made').attempts).toBe(1);
        expect(report.metrics.tools.undo).toBeUndefined();
        expect(s.events.filter((e) => e.type === 'step-retrying')).toEqual([]);
        expect(s.undone).toEqual(['made', 'first']);
    });

    it('gives up after N retries, keeping the last error with its code, advice and details', async () => {
        const undo = failing(Infinity, () => new ToolError('http-status', 'HTTP 503', { advice: 'try later', details: { status: 503 } }));
        const s = saga(undo, { retry: { retries: 2, backoffMs: 10 } });
        const report = await s.run();
        expect(undo.calls.length).toBe(3);
        expect(byId(report, 'made').compensationError).toEqual({ code: 'http-status', message: 'HTTP 503', retryable: true, advice: 'try later', details: { status: 503 } });
        expect(report.status).toBe('failed');
    });

    it('with an error that cannot heal is not retried', async () => {
        const undo = failing(Infinity, () => new ToolError('denied', 'no'));
        const s = saga(undo, { retry: { retries: 5, backoffMs: 10 } });
        const report = await s.run();
        expect(undo.calls.length).toBe(1);
        expect(byId(report, 'made').compensationError).toMatchObject({ code: 'denied', retryable: false });
    });

    it('with parameters its tool schema refuses is never called nor retried', async () => {
        const s = setup([tool('do'), tool('typed', { inputSchema: { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false } }), tool('boom')], {
            do: () => null,
            typed: () => null,
            boom: () => Promise.reject(new ToolError('tool-error', 'no', { retryable: false })),
        });
        const wf = workflow([
            step('made', 'do', {}, { retry: { retries: 3, backoffMs: 1 }, compensate: { tool: 'typed', with: obj({ n: lit('x') }) } }),
            step('broke', 'boom', {}, { after: ['made'] }),
        ], { errors: 'recovery' });
        const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0) });
        expect(byId(report, 'made').compensationError).toMatchObject({ code: 'invalid-param', message: expect.stringMatching(/^compensation of step 'made': tool 'typed': /) });
        expect(s.connector.calls.map((c) => c.tool)).toEqual(['do', 'boom']);
    });

    it('masks secret values in its error, events and journal, as a step error is', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-compensation-'));
        try {
            const s = setup([tool('do'), tool('undo'), tool('boom')], {
                do: () => null,
                undo: (p) => Promise.reject(new ToolError('tool-error', `bad token ${String(p.token)}`, { retryable: false, advice: `rotate ${String(p.token)}` })),
                boom: () => Promise.reject(new ToolError('tool-error', 'no', { retryable: false })),
            });
            const wf = workflow([
                step('made', 'do', {}, { compensate: { tool: 'undo', with: obj({ token: root('secret', 'TOKEN') }) } }),
                step('broke', 'boom', {}, { after: ['made'] }),
            ], { errors: 'recovery' });
            const events: RunEvent[] = [];
            const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), env: { TOKEN: 'hunter2' }, journalDir: dir, runId: 'r1', onEvent: (e) => events.push(e) });
            expect(byId(report, 'made').compensationError).toMatchObject({ message: 'bad token ***', advice: 'rotate ***' });
            expect(JSON.stringify(events)).not.toContain('hunter2');
            const journal = fs.readFileSync(path.join(dir, 'r1.jsonl'), 'utf8');
            expect(journal).toContain('"type":"step-compensated"');
            expect(journal).not.toContain('hunter2');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('cancelling the run while it compensates', () => {
    /**
     * `made`'s compensation waits 10 s on its signal (or ignoring it, `hang`), or fails
     * and backs off 10 s (`backoff`); the run is cancelled 10 ms after it starts.
     */
    function cancelled(extra: Partial<StepSpec>, how: 'wait' | 'hang' | 'backoff' = 'wait') {
        const controller = new AbortController();
        const seen = { calledAt: -1, reason: undefined as unknown };
        const s = saga(async (p, ctx) => {
            if (p.what === 'made') {
                if (seen.calledAt < 0) {
                    seen.calledAt = ctx.clock!.now();
                    ctx.clock!.setTimer(() => controller.abort(), 10);
                }
                ctx.signal.addEventListener('abort', () => (seen.reason = ctx.signal.reason));
                if (how === 'backoff') {
                    throw new ToolError('disconnected', 'connection reset');
                }
                await (how === 'hang' ? new Promise(() => undefined) : sleep(ctx.clock!, 10_000, ctx.signal));
            }
            return null;
        }, extra, { signal: controller.signal });
        return { ...s, seen };
    }

    it.each([
        ['without a timeout (the compensations\' signal)', {}],
        ['with a timeout (the call\'s own signal)', { timeoutMs: 60_000 }],
    ])('stops the running compensation through its AbortSignal and starts no other one, %s', async (_name, extra) => {
        const s = cancelled(extra);
        const report = await s.run();
        expect(s.seen.reason).toMatchObject({ code: 'cancelled' });
        expect(report.status).toBe('cancelled');
        expect(byId(report, 'made')).toMatchObject({ status: 'succeeded', compensationError: { code: 'cancelled', message: 'the run was cancelled', retryable: false } });
        // `first` is left as it is: whoever cancels decides what to undo.
        expect(byId(report, 'first')).toMatchObject({ status: 'succeeded' });
        expect(byId(report, 'first').compensationError).toBeUndefined();
        expect(s.undone).toEqual([]);
        expect(s.connector.calls.filter((c) => c.tool === 'undo')).toHaveLength(1);
        // Stopped at once, not at the end of the 10 s wait (nor of the timeout).
        expect(Date.parse(report.endedAt) - s.seen.calledAt).toBe(10);
        expect(s.events).toContainEqual(expect.objectContaining({ type: 'log', stepId: 'made', level: 'error', message: "compensation of step 'made' failed: the run was cancelled" }));
        expect(s.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'cancelled' });
    });

    it('stops one that ignores its signal, and one waiting to retry', async () => {
        for (const how of ['hang', 'backoff'] as const) {
            const s = cancelled({ retry: { retries: 3, backoffMs: 10_000 } }, how);
            const report = await s.run();
            expect(report.status).toBe('cancelled');
            expect(byId(report, 'made').compensationError).toMatchObject({ code: 'cancelled' });
            expect(s.connector.calls.filter((c) => c.tool === 'undo')).toHaveLength(1);
            expect(Date.parse(report.endedAt) - s.seen.calledAt).toBe(10);
            expect(s.clock.pending).toBe(0);
        }
    });

    it('compensates nothing when the run was cancelled before', async () => {
        const controller = new AbortController();
        controller.abort();
        const s = saga(() => null, {}, { signal: controller.signal });
        const report = await s.run();
        expect(report.status).toBe('cancelled');
        expect(s.undone).toEqual([]);
    });
});

/**
 * Retries, timeouts, cancellation, error policies, `when`, `each`, parameter checks,
 * setup errors and secret redaction.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import type { Expr } from '../../src/engine/model/model.js';
import { RunSetupError } from '../../src/engine/run/run-setup.js';
import type { RunEvent } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { bin, lit, ref, root, setup, step, tool, wait, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
const byId = (report: Awaited<ReturnType<typeof runWorkflow>>, id: string) => report.steps.find((s) => s.id === id)!;

describe('retries', () => {
    it('recovers after transient failures and counts attempts, backing off exponentially', async () => {
        let calls = 0;
        const { registry, connectors, connector } = setup([tool('flaky')], {
            flaky: () => {
                calls++;
                if (calls < 3) {
                    throw new ToolError('disconnected', 'connection reset');
                }
                return 'ok';
            },
        });
        const events: RunEvent[] = [];
        const wf = workflow([step('s', 'flaky', {}, { retry: { retries: 3, backoffMs: 100 } })]);
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0), seed: 7, onEvent: (e) => events.push(e) });
        expect(report.status).toBe('succeeded');
        expect(byId(report, 's')).toMatchObject({ status: 'succeeded', attempts: 3, output: 'ok' });
        const retries = events.filter((e) => e.type === 'step-retrying') as Array<Extract<RunEvent, { type: 'step-retrying' }>>;
        expect(retries.map((e) => e.attempt)).toEqual([1, 2]);
        // Equal jitter: between half and all of backoff·2^k.
        expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(50);
        expect(retries[0]!.delayMs).toBeLessThanOrEqual(100);
        expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(100);
        expect(retries[1]!.delayMs).toBeLessThanOrEqual(200);
        expect(connector.calls[2]!.at - connector.calls[0]!.at).toBeCloseTo(retries[0]!.delayMs + retries[1]!.delayMs, 2);
        expect(report.metrics.tools.flaky).toMatchObject({ calls: 3, errors: 2 });
    });

    it('gives up after N retries', async () => {
        const { registry, connectors } = setup([tool('bad')], { bad: () => Promise.reject(new Error('boom')) });
        const report = await runWorkflow(workflow([step('s', 'bad', {}, { retry: { retries: 2, backoffMs: 10 } })]), { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 's')).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'tool-error', message: 'boom', retryable: true } });
        expect(report.status).toBe('failed');
    });

    it('does not retry errors that cannot heal', async () => {
        const { registry, connectors } = setup([tool('deny')], { deny: () => Promise.reject(new ToolError('denied', 'no')) });
        const report = await runWorkflow(workflow([step('s', 'deny', {}, { retry: { retries: 5, backoffMs: 10 } })]), { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 's')).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'denied', retryable: false } });
    });
});

describe('timeouts and cancellation', () => {
    it('a step timeout aborts a real delay and fails with code timeout', async () => {
        const wf = workflow([step('slow', 'delay', { ms: lit(10_000) }, { timeoutMs: 50 })]);
        const started = performance.now();
        const report = await runWorkflow(wf, { registry: new ToolRegistry() });
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(byId(report, 'slow')).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        expect(byId(report, 'slow').durationMs).toBeGreaterThanOrEqual(45);
    });

    it('retries a timed-out attempt', async () => {
        let n = 0;
        const { registry, connectors } = setup([tool('w')], { w: (p, ctx) => wait({ ms: ++n === 1 ? 1000 : 5 }, ctx) });
        const wf = workflow([step('s', 'w', {}, { timeoutMs: 100, retry: { retries: 1, backoffMs: 10 } })]);
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 's')).toMatchObject({ status: 'succeeded', attempts: 2 });
    });

    it('a workflow timeout fails the run and stops running steps', async () => {
        const { registry, connectors } = setup([tool('w')], { w: wait });
        const wf = workflow([step('a', 'w', { ms: lit(50) }), step('b', 'w', { ms: lit(1000) }), step('c', 'w', { ms: lit(10) }, { after: ['b'] })], { timeoutMs: 200 });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('failed');
        expect(report.durationMs).toBe(200);
        expect(byId(report, 'a').status).toBe('succeeded');
        expect(byId(report, 'b')).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        expect(byId(report, 'c').status).toBe('skipped');
    });

    it('external cancellation cancels running steps, skips the rest and still reports', async () => {
        const controller = new AbortController();
        let aborted = false;
        const { registry, connectors } = setup([tool('w')], {
            w: async (p, ctx) => {
                ctx.signal.addEventListener('abort', () => (aborted = true));
                return wait(p, ctx);
            },
        });
        const wf = workflow([step('a', 'w', { ms: lit(10_000) }), step('b', 'w', { ms: lit(1) }, { after: ['a'] })]);
        setTimeout(() => controller.abort(), 30);
        const report = await runWorkflow(wf, { registry, connectors, signal: controller.signal });
        expect(report.status).toBe('cancelled');
        expect(byId(report, 'a')).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
        expect(byId(report, 'b').status).toBe('skipped');
        expect(aborted).toBe(true);
    });

    it('a tool that ignores its signal cannot hang a cancelled run', async () => {
        const controller = new AbortController();
        const { registry, connectors } = setup([tool('hang')], { hang: () => new Promise(() => undefined) });
        setTimeout(() => controller.abort(), 20);
        const report = await runWorkflow(workflow([step('a', 'hang')]), { registry, connectors, signal: controller.signal });
        expect(report.status).toBe('cancelled');
    });
});

describe('error policies', () => {
    const steps = () => [
        step('bad', 'fail', {}),
        step('long', 'w', { ms: lit(100) }),
        step('child', 'w', { ms: lit(1) }, { after: ['bad'] }),
        step('grandchild', 'w', { ms: lit(1) }, { after: ['child'] }),
        step('other', 'w', { ms: lit(1) }, { after: ['long'] }),
    ];
    const handlers = { fail: () => Promise.reject(new ToolError('exit', 'exit 1', { retryable: false })), w: wait };

    it('fail_fast cancels running steps and skips the rest', async () => {
        const { registry, connectors } = setup([tool('fail'), tool('w')], handlers);
        const report = await runWorkflow(workflow(steps(), { errors: 'fail_fast' }), { registry, connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('failed');
        expect(report.steps.map((s) => [s.id, s.status])).toEqual([
            ['bad', 'failed'],
            ['long', 'cancelled'],
            ['child', 'skipped'],
            ['grandchild', 'skipped'],
            ['other', 'skipped'],
        ]);
        expect(byId(report, 'child').error).toMatchObject({ code: 'dependency-failed' });
    });

    it('resilient skips only the dependants of a failure', async () => {
        const { registry, connectors } = setup([tool('fail'), tool('w')], handlers);
        const report = await runWorkflow(workflow(steps(), { errors: 'resilient' }), { registry, connectors, clock: new FakeClock(t0) });
        expect(report.status).toBe('partial');
        expect(report.steps.map((s) => [s.id, s.status])).toEqual([
            ['bad', 'failed'],
            ['long', 'succeeded'],
            ['child', 'skipped'],
            ['grandchild', 'skipped'],
            ['other', 'succeeded'],
        ]);
    });
});

describe('when and each', () => {
    it('when false skips the step; its dependants still run; a failed when-expression fails', async () => {
        const { registry, connectors, connector } = setup([tool('echo')], { echo: (p) => p });
        const wf = workflow([
            step('count', 'echo', { n: lit(0) }),
            step('report', 'echo', {}, { when: bin('>', ref('count', 'output', 'n'), lit(0)) }),
            step('after', 'echo', { reportStatus: ref('report', 'status'), ok: ref('report', 'ok') }),
            step('broken', 'echo', {}, { when: bin('<', lit('x'), lit(1)) }),
        ], { errors: 'resilient' });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 'report')).toMatchObject({ status: 'skipped', attempts: 0, startedAt: null, output: null });
        expect(byId(report, 'after')).toMatchObject({ status: 'succeeded', output: { reportStatus: 'skipped', ok: false } });
        expect(byId(report, 'broken')).toMatchObject({ status: 'failed', error: { code: 'expression' } });
        expect(connector.calls.map((c) => c.tool)).toEqual(['echo', 'echo']);
    });

    it('each fans out one call per item, bounded by max_parallel', async () => {
        const { registry, connectors, connector } = setup([tool('list'), tool('w')], {
            list: () => ({ items: [10, 20, 30, 40, 50] }),
            w: async (p, ctx) => {
                await wait({ ms: p.ms }, ctx);
                return (p.ms as number) * 2;
            },
        });
        const item: Expr = root('item', 'x');
        const wf = workflow(
            [step('list', 'list'), step('each', 'w', { ms: item }, { each: { name: 'x', items: ref('list', 'output', 'items') } }), step('sum', 'list', {}, { after: ['each'] })],
            { maxParallel: 2 },
        );
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 'each')).toMatchObject({ status: 'succeeded', items: 5, attempts: 5, output: [20, 40, 60, 80, 100] });
        expect(connector.maxRunning).toBe(2);
        expect(byId(report, 'each').durationMs).toBe(90); // 10|20 -> 30|40 -> 50 on two slots: 10+30+50
        expect(byId(report, 'sum').status).toBe('succeeded');
    });

    it('each over an empty list succeeds with an empty output; over a non-list fails', async () => {
        const { registry, connectors } = setup([tool('echo')], { echo: (p) => p });
        const wf = workflow([
            step('none', 'echo', {}, { each: { name: 'x', items: { kind: 'list', items: [] } } }),
            step('bad', 'echo', {}, { each: { name: 'x', items: lit(3) } }),
        ], { errors: 'resilient' });
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 'none')).toMatchObject({ status: 'succeeded', items: 0, output: [] });
        expect(byId(report, 'bad')).toMatchObject({ status: 'failed', error: { code: 'expression' } });
    });
});

describe('parameters and setup', () => {
    it('invalid params fail before the call, not retried', async () => {
        const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'], additionalProperties: false };
        const { registry, connectors, connector } = setup([tool('typed', { inputSchema: schema })], { typed: () => 1 });
        const wf = workflow([step('s', 'typed', { n: lit('three'), extra: lit(1) }, { retry: { retries: 3, backoffMs: 1 } })]);
        const report = await runWorkflow(wf, { registry, connectors, clock: new FakeClock(t0) });
        expect(byId(report, 's')).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'invalid-param', retryable: false } });
        expect(byId(report, 's').error!.message).toMatch(/unknown parameter 'extra'/);
        expect(connector.calls).toHaveLength(0);
    });

    it('a missing required input stops the run before it starts, naming it', async () => {
        const { registry, connectors, connector } = setup([tool('echo')], { echo: (p) => p });
        const wf = workflow([step('s', 'echo', { g: root('input', 'group') })], {}, { inputs: [{ name: 'group', type: 'string', hasDefault: false }] });
        await expect(runWorkflow(wf, { registry, connectors })).rejects.toThrow(/needs input 'group'/);
        await expect(runWorkflow(wf, { registry, connectors, inputs: { group: 1 } })).rejects.toThrow(RunSetupError);
        const ok = await runWorkflow(wf, { registry, connectors, inputs: { group: 'Home' } });
        expect(ok.steps[0]!.output).toEqual({ g: 'Home' });
        expect(connector.calls).toHaveLength(1);
    });

    it('a tool without via, or a server without connector, stops the run naming it', async () => {
        const registry = new ToolRegistry([tool('planned', { via: undefined }), tool('remote', { via: { server: 'km', tool: 'x' } })]);
        await expect(runWorkflow(workflow([step('s', 'planned')]), { registry })).rejects.toThrow(/tool 'planned'.*no implementation/);
        await expect(runWorkflow(workflow([step('s', 'remote')]), { registry })).rejects.toThrow(/server 'km'/);
        await expect(runWorkflow(workflow([step('s', 'nope')]), { registry })).rejects.toThrow(/unknown tool 'nope'/);
    });
});

describe('secrets', () => {
    it('no secret value appears in the report or the events', async () => {
        const secret = 'hunter2-very-secret';
        const { registry, connectors } = setup([tool('leaky')], {
            leaky: (p, ctx) => {
                ctx.log(`using token ${p.token as string}`);
                if (p.fail) {
                    throw new Error(`auth failed for ${p.token as string}`);
                }
                return { echoed: p.token, nested: [{ [p.token as string]: `Bearer ${p.token as string}` }] };
            },
        });
        const events: RunEvent[] = [];
        const wf = workflow(
            [
                // `public`: shown, with the secret's value masked wherever it appears.
                step('a', 'leaky', { token: root('secret', 'API_TOKEN') }, { public: true }),
                step('b', 'leaky', { token: root('secret', 'API_TOKEN'), fail: lit(true) }, { retry: { retries: 1, backoffMs: 1 } }),
                step('c', 'leaky', { token: ref('a', 'output', 'echoed') }),
            ],
            { errors: 'resilient' },
        );
        const report = await runWorkflow(wf, { registry, connectors, env: { API_TOKEN: secret }, clock: new FakeClock(t0), onEvent: (e) => events.push(e) });
        expect(report.status).toBe('partial');
        expect(events.some((e) => e.type === 'log')).toBe(true);
        expect(JSON.stringify(report)).not.toContain(secret);
        expect(JSON.stringify(events)).not.toContain(secret);
        expect(byId(report, 'a').output).toEqual({ echoed: '***', nested: [{ '***': 'Bearer ***' }] });
        expect(byId(report, 'b').error!.message).toBe('auth failed for ***');
        // Computed from a secret (it reads a's output) and not public: hidden whole.
        expect(byId(report, 'c').output).toBe('***');
    });
});

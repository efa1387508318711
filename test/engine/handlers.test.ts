/**
 * Failure handlers: a step that reads only `STEP.ok`, `STEP.status` or `STEP.error` (or
 * waits `after STEP always`) holds a completion dependency, so it runs when STEP fails,
 * under every error policy; reading `STEP.output` of a failed step is a clear error.
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/engine/model/model.js';
import { buildGraph } from '../../src/engine/graph/graph.js';
import { evaluate } from '../../src/engine/model/expressions.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, ref, setup, step, tool, workflow } from './helpers.js';
import type { ErrorPolicy } from '../../src/engine/model/model.js';

const not = (operand: Expr): Expr => ({ kind: 'unary', op: 'not', operand });
const template = (...parts: Array<string | Expr>): Expr => ({ kind: 'template', parts });

function fixture(errors: ErrorPolicy, extra: { compensate?: boolean } = {}) {
    const calls: string[] = [];
    const { registry, connectors } = setup([tool('work'), tool('boom'), tool('note'), tool('undo')], {
        work: (p) => { calls.push(`work:${String(p.what)}`); return { done: p.what }; },
        boom: () => { throw new ToolError('KM_CONNECTION_FAILED', 'Cannot connect', { retryable: false, details: { code: 'KM_CONNECTION_FAILED', recovery_suggestion: 'Start it.' } }); },
        note: (p) => { calls.push(`note:${String(p.message)}`); return null; },
        undo: (p) => { calls.push(`undo:${String(p.what)}`); return null; },
    });
    const wf = workflow([
        step('first', 'work', { what: lit('first') }, extra.compensate ? { compensate: { tool: 'undo', with: { kind: 'object', entries: [{ key: 'what', value: lit('first') }] } } } : {}),
        step('risky', 'boom', {}, { after: ['first'] }),
        step('next', 'work', { what: ref('risky', 'output', 'x') }),
        step('handler', 'note', {
            message: template('failed: ', ref('risky', 'error', 'message'), ' (', ref('risky', 'error', 'code'), ', ',
                ref('risky', 'error', 'attempts'), ' attempt, advice ', ref('risky', 'error', 'recovery_suggestion'), ')'),
        }, { when: not(ref('risky', 'ok')) }),
        step('cleanup', 'note', { message: lit('cleanup') }, { after: ['risky'], afterAlways: true }),
    ], { errors });
    return { wf, registry, connectors, calls };
}

describe('completion dependencies', () => {
    it('are what a step reads only the ok, status or error of, or waits after ... always for', () => {
        const { wf } = fixture('resilient');
        const g = buildGraph(wf);
        const risky = g.index.get('risky')!;
        expect(g.completion[g.index.get('handler')!]).toEqual(new Set([risky]));
        expect(g.completion[g.index.get('cleanup')!]).toEqual(new Set([risky]));
        expect(g.completion[g.index.get('next')!]).toBeUndefined();
        // Reading the output as well makes it a success dependency again.
        const both = workflow([...wf.steps.slice(0, 2), step('h', 'note', { m: ref('risky', 'output') }, { when: not(ref('risky', 'ok')) })]);
        expect(buildGraph(both).completion[2]).toBeUndefined();
    });
});

describe.each<ErrorPolicy>(['resilient', 'fail_fast', 'adaptive', 'recovery'])('under errors %s', (policy) => {
    it('runs the failure handler and the always step, skips what needs the output', async () => {
        const { wf, registry, connectors, calls } = fixture(policy);
        const report = await runWorkflow(wf, { registry, connectors });
        const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
        expect(status).toMatchObject({ first: 'succeeded', risky: 'failed', next: 'skipped', handler: 'succeeded', cleanup: 'succeeded' });
        expect(calls).toContain('note:failed: Cannot connect (KM_CONNECTION_FAILED, 1 attempt, advice Start it.)');
        expect(report.status).toBe(policy === 'fail_fast' ? 'failed' : 'partial');
    });
});

describe('handlers and recovery', () => {
    it('run before compensation', async () => {
        const { wf, registry, connectors, calls } = fixture('recovery', { compensate: true });
        const report = await runWorkflow(wf, { registry, connectors });
        expect(report.status).toBe('rolled_back');
        expect(calls.indexOf('undo:first')).toBeGreaterThan(calls.findIndex((c) => c.startsWith('note:failed')));
        expect(calls.indexOf('undo:first')).toBeGreaterThan(calls.indexOf('note:cleanup'));
    });
});

describe('reading the output of a failed step', () => {
    it('is a clear runtime error (a static read of it is a success dependency, so this guards dynamic reads)', () => {
        const scope = { steps: new Map([['risky', { status: 'failed', attempts: 2, error: { code: 'x', message: 'm', retryable: false } }]]), inputs: {}, env: {}, secrets: {} };
        expect(() => evaluate(ref('risky', 'output', 'count'), scope)).toThrow(/step 'risky' failed, so it has no output; read risky\.error/);
        expect(evaluate(ref('risky', 'error'), scope)).toEqual({ code: 'x', message: 'm', retryable: false, attempts: 2 });
        expect(evaluate(ref('risky', 'ok'), scope)).toBe(false);
    });
});

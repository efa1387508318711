/**
 * Values computed from a secret: shown and persisted as `***` (unless the step is
 * `public`), never cached, rerun by a resume that needs them; secrets given apart
 * from `env` are masked however the workflow reads them; secret inputs never journaled.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import type { RunEvent, RunReport } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, ref, root, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
const SECRET = 'tok-9f8e7d6c5b';
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-taint-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const byId = (report: RunReport, id: string) => report.steps.find((s) => s.id === id)!;

/** Every byte the run left on disk, as text. */
function disk(): string {
    const out: string[] = [];
    const walk = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                walk(p);
            } else {
                out.push(fs.readFileSync(p, 'utf8'));
            }
        }
    };
    walk(dir);
    return out.join('\n');
}

describe('steps computed from a secret', () => {
    it('are shown as *** everywhere unless public; reading only the outcome does not taint', async () => {
        const s = setup([tool('t', { readOnly: true })], { '*': (p) => ({ got: p.v, length: String(p.v ?? '').length }) });
        const wf = workflow([
            step('login', 't', { v: root('secret', 'TOKEN') }),
            step('derived', 't', { v: ref('login', 'output', 'length') }),
            step('shown', 't', { v: root('secret', 'TOKEN') }, { public: true }),
            step('outcome', 't', { v: ref('login', 'ok') }),
        ]);
        const events: RunEvent[] = [];
        const report = await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), root: dir, journalDir: dir, runId: 'r1',
            secrets: { TOKEN: SECRET }, onEvent: (e) => events.push(e),
        });
        expect(report.status).toBe('succeeded');
        expect(byId(report, 'login').output).toBe('***');
        // Its output holds no secret (a length), but it was computed from one.
        expect(byId(report, 'derived').output).toBe('***');
        expect(byId(report, 'shown').output).toEqual({ got: '***', length: SECRET.length });
        expect(byId(report, 'outcome').output).toEqual({ got: true, length: 4 });
        // Downstream still read the real value.
        expect(s.connector.calls.find((c) => c.tool === 't' && c.params.v === SECRET)).toBeDefined();
        expect(s.connector.calls.some((c) => c.params.v === SECRET.length)).toBe(true);
        const journal = readJournal(path.join(dir, 'r1.jsonl'));
        expect(journal.steps.get('derived')).toMatchObject({ output: '***', secret: true });
        expect(journal.steps.get('outcome')).not.toHaveProperty('secret');
        expect(JSON.stringify(events)).not.toContain(SECRET);
        expect(disk()).not.toContain(SECRET);
    });

    it('a step whose evaluated parameters hold a secret is secret too, even without reading secret.X', async () => {
        const s = setup([tool('leak'), tool('t')], { leak: () => ({ text: `x${SECRET}x` }), t: (p) => ({ size: String(p.v).length }) });
        const wf = workflow([step('read', 'leak'), step('use', 't', { v: ref('read', 'output', 'text') })]);
        const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), secrets: { TOKEN: SECRET } });
        expect(byId(report, 'read').output).toEqual({ text: 'x***x' });
        expect(byId(report, 'use').output).toBe('***');
    });

    it('are never cached, in the run or on disk', async () => {
        const s = setup([tool('get', { readOnly: true })], { '*': () => ({ constant: 'same' }) });
        const wf = workflow([
            step('a', 'get', { v: root('secret', 'TOKEN') }),
            step('b', 'get', { v: root('secret', 'TOKEN') }),
            step('plain', 'get', { v: lit('public') }),
        ], { cache: 'intelligent' });
        const options = { registry: s.registry, connectors: s.connectors, root: dir, secrets: { TOKEN: SECRET } };
        await runWorkflow(wf, options);
        const second = await runWorkflow(wf, options);
        // a and b run every time (4 calls), plain once.
        expect(s.connector.calls.filter((c) => c.params.v === SECRET)).toHaveLength(4);
        expect(s.connector.calls.filter((c) => c.params.v === 'public')).toHaveLength(1);
        expect(byId(second, 'plain').cached).toBe(true);
        expect(byId(second, 'a').cached).toBe(false);
        const index = JSON.parse(fs.readFileSync(path.join(dir, '.kmflow', 'cache', 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
        expect(Object.keys(index.entries)).toHaveLength(1);
    });

    it('a resume runs a secret step again when a step still to run reads it (its journaled output is ***)', async () => {
        let failUse = true;
        const s = setup([tool('t')], {
            t: (p, ctx) => {
                if (ctx.stepId === 'use' && failUse) {
                    throw new ToolError('tool-error', 'not yet', { retryable: false });
                }
                return { v: p.v };
            },
        });
        const wf = workflow([
            step('login', 't', { v: root('secret', 'TOKEN') }),
            step('use', 't', { v: ref('login', 'output', 'v') }),
            step('other', 't', { v: lit(1) }),
        ], { errors: 'resilient' });
        const options = { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), journalDir: dir, secrets: { TOKEN: SECRET } };
        await runWorkflow(wf, { ...options, runId: 'r1' });
        failUse = false;
        s.connector.calls.length = 0;
        const second = await runWorkflow(wf, { ...options, runId: 'r2', resume: { runId: 'r1' } });
        expect(second.status).toBe('succeeded');
        expect(s.connector.calls.map((c) => c.params.v)).toEqual([SECRET, SECRET]);
        expect(byId(second, 'other').resumed).toBe(true);
        expect(byId(second, 'login').resumed).toBeUndefined();
    });
});

describe('secrets apart from env', () => {
    it('a secret given in `secrets` is masked also where the workflow reads it as env.NAME', async () => {
        const s = setup([tool('t')], { t: (p) => ({ v: p.v }) });
        // `public`, so what shows is the value masking (not the whole output hidden).
        const wf = workflow([step('a', 't', { v: root('env', 'API') }, { public: true })]);
        const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, env: { API: SECRET }, secrets: { API: SECRET } });
        expect(byId(report, 'a').output).toEqual({ v: '***' });
    });

    it('secret.NAME reads `secrets` first, then the env variable; env.NAME reads nothing ungranted', async () => {
        const s = setup([tool('t')], { t: (p) => ({ v: p.v ?? null }) });
        const wf = workflow([
            step('a', 't', { v: root('secret', 'A') }, { public: true }),
            step('b', 't', { v: root('secret', 'B') }, { public: true }),
            step('c', 't', { v: root('env', 'HOME') }),
        ]);
        const report = await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, secrets: { A: 'from-secrets' }, env: { A: 'from-env', B: 'from-env' } });
        expect(s.connector.calls.map((c) => c.params.v)).toEqual(['from-secrets', 'from-env', undefined]);
        expect(byId(report, 'a').output).toEqual({ v: '***' });
    });

    it('an input declared secret is masked, journaled as *** and asked for again on resume', async () => {
        let fail = true;
        const s = setup([tool('t')], {
            t: (p, ctx) => {
                if (ctx.stepId === 'b' && fail) {
                    throw new ToolError('tool-error', 'boom', { retryable: false });
                }
                return { v: p.v };
            },
        });
        const wf = () => workflow([step('a', 't', { v: root('input', 'pin') }), step('b', 't')], { errors: 'resilient' },
            { inputs: [{ name: 'pin', type: 'string', hasDefault: false, secret: true }] });
        const first = await runWorkflow(wf(), { registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r1', inputs: { pin: '8642-1357' } });
        expect(byId(first, 'a').output).toBe('***');
        expect(fs.readFileSync(path.join(dir, 'r1.jsonl'), 'utf8')).not.toContain('8642-1357');
        expect(readJournal(path.join(dir, 'r1.jsonl')).header.inputs).toEqual({ pin: '***' });
        fail = false;
        await expect(runWorkflow(wf(), { registry: s.registry, connectors: s.connectors, journalDir: dir, resume: { runId: 'r1' } }))
            .rejects.toThrow(/input 'pin' held a secret, which the journal never keeps; pass it again \(--input pin=\.\.\.\)/);
        const resumed = await runWorkflow(wf(), { registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r2', resume: { runId: 'r1' }, inputs: { pin: '8642-1357' } });
        expect(resumed.status).toBe('succeeded');
    });
});

describe('a secret input of the wrong type', () => {
    it('is refused without quoting its value', async () => {
        const s = setup([tool('t')], {});
        const wf = workflow([step('a', 't')], {}, { inputs: [{ name: 'pin', type: 'number', hasDefault: false, secret: true }] });
        await expect(runWorkflow(wf, { registry: s.registry, connectors: s.connectors, inputs: { pin: 'hunter2-typed-as-text' } }))
            .rejects.toThrow(/^input 'pin' must be a number, got a string$/);
    });
});

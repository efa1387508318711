/** The run journal under `.kmflow/runs/` and resuming from it, through the API. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import type { JournalRecord } from '../../src/engine/state/journal/records.js';
import { RunSetupError } from '../../src/engine/run/run-setup.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { bin, lit, ref, root, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-journal-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const records = (file: string): JournalRecord[] => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalRecord);

/** a -> b -> c, plus d skipped by `when`; `b` fails while `failB` says so. */
/** `secret`: step a reads secret.TOKEN (its output is then secret, journaled as `***`). */
function chain(secret = true) {
    const state = { failB: true };
    const calls: string[] = [];
    const s = setup([tool('t')], {
        t: (p, ctx) => {
            calls.push(ctx.stepId!);
            if (ctx.stepId === 'b' && state.failB) {
                throw new ToolError('tool-error', 'b broke', { retryable: false });
            }
            return { from: ctx.stepId, token: p.token };
        },
    });
    const wf = workflow([
        step('a', 't', secret ? { token: root('secret', 'TOKEN') } : {}),
        step('b', 't', { prev: ref('a', 'output', 'from') }),
        step('c', 't', { prev: ref('b', 'output', 'from') }),
        step('d', 't', {}, { when: bin('==', lit(1), lit(2)) }),
    ], { errors: 'resilient' }, { inputs: [{ name: 'n', type: 'number', hasDefault: true, default: 1 }] });
    return { ...s, wf, state, calls };
}

describe('journal', () => {
    it('records header, step events and the report, secrets masked; writes RUN_ID.report.json', async () => {
        const c = chain();
        const report = await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r1' });
        const lines = records(path.join(dir, 'r1.jsonl'));
        expect(lines[0]).toMatchObject({ type: 'run', runId: 'r1', workflow: 'wf', inputs: { n: 1 }, specHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
        expect(lines.map((l) => l.type)).toContain('step-started');
        const aDone = lines.find((l) => l.type === 'step-finished' && l.stepId === 'a');
        // Computed from a secret: journaled as `***`, marked so a resume runs it again when needed.
        expect(aDone).toMatchObject({ status: 'succeeded', output: '***', secret: true });
        expect(lines.at(-1)).toMatchObject({ type: 'run-finished', status: report.status });
        expect(fs.readFileSync(path.join(dir, 'r1.jsonl'), 'utf8')).not.toContain('hunter2');
        const saved = JSON.parse(fs.readFileSync(path.join(dir, 'r1.report.json'), 'utf8')) as { runId: string };
        expect(saved.runId).toBe('r1');
    });

    it('resume reruns only what had not completed, restoring outputs; skipped-by-when counts as done', async () => {
        // No secret here: a secret step's output is not journaled, so a resume runs it again (taint.test.ts).
        const c = chain(false);
        const first = await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r1' });
        expect(first.status).toBe('partial');
        expect(c.calls).toEqual(['a', 'b']);
        c.state.failB = false;
        c.calls.length = 0;
        const second = await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r2', resume: { runId: 'last' } });
        expect(c.calls).toEqual(['b', 'c']);
        expect(second.status).toBe('succeeded');
        expect(second.resumedFrom).toBe('r1');
        const a = second.steps.find((s) => s.id === 'a')!;
        expect(a).toMatchObject({ status: 'succeeded', attempts: 0, resumed: true, output: { from: 'a' } });
        expect(second.steps.find((s) => s.id === 'd')).toMatchObject({ status: 'skipped', resumed: true });
        expect(second.steps.find((s) => s.id === 'b')!.resumed).toBeUndefined();
        // The new journal records where it came from and is complete on its own.
        const r2 = readJournal(path.join(dir, 'r2.jsonl'));
        expect(r2.header.resumedFrom).toBe('r1');
        expect([...r2.steps.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
        // Resuming a finished run reruns nothing.
        c.calls.length = 0;
        await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r3', resume: { runId: 'r2' } });
        expect(c.calls).toEqual([]);
    });

    it('refuses a resume when the workflow changed, naming what changed', async () => {
        const c = chain();
        await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r1' });
        const changed = { ...c.wf, steps: c.wf.steps.map((s) => (s.id === 'c' ? { ...s, with: { kind: 'object' as const, entries: [] } } : s)) };
        const attempt = runWorkflow(changed, { registry: c.registry, connectors: c.connectors, journalDir: dir, env: { TOKEN: 'hunter2' }, resume: { runId: 'r1' } });
        await expect(attempt).rejects.toThrow(/workflow 'wf' changed since \(step 'c' changed\)/);
        await expect(runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, journalDir: dir, env: { TOKEN: 'hunter2' }, resume: { runId: 'nope' } })).rejects.toBeInstanceOf(RunSetupError);
        await expect(runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, journalDir: dir, env: { TOKEN: 'hunter2' }, resume: { runId: 'r1' }, inputs: { n: 2 } })).rejects.toThrow(/input 'n' was 1, now 2/);
    });

    it('ignores a line torn by a kill', async () => {
        const c = chain();
        await runWorkflow(c.wf, { registry: c.registry, connectors: c.connectors, clock: new FakeClock(t0), journalDir: dir, env: { TOKEN: 'hunter2' }, runId: 'r1' });
        const file = path.join(dir, 'r1.jsonl');
        const text = fs.readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n');
        fs.writeFileSync(file, `${text}\n{"type":"step-fini`);
        expect(() => readJournal(file)).not.toThrow();
    });
});

/**
 * Damaged journals (issue 12, item 13): every line is sealed with a checksum; a damaged
 * record is reported with its line and the resume refuses, or with `lenient` keeps
 * every intact record. Never a silent rerun of completed steps, never a raw TypeError
 * or EISDIR; `last` passes over unusable journals with a warning naming them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import { sealLine } from '../../src/engine/state/journal/line-seal.js';
import { legacyWorkflowHashes } from '../../src/engine/state/journal/spec-hash.js';
import { RunSetupError } from '../../src/engine/run/run-setup.js';
import type { RunEvent, RunOptions } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { lit, ref, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-journal-damage-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** a -> b -> c -> d; `d` fails while `state.failD`. */
function chain() {
    const state = { failD: true };
    const calls: string[] = [];
    const s = setup([tool('t')], {
        t: (p, ctx) => {
            calls.push(ctx.stepId!);
            if (ctx.stepId === 'd' && state.failD) {
                throw new ToolError('tool-error', 'd broke', { retryable: false });
            }
            return { from: ctx.stepId, prev: p.prev ?? null };
        },
    });
    const wf = workflow([
        step('a', 't', { prev: lit('start') }),
        step('b', 't', { prev: ref('a', 'output', 'from') }),
        step('c', 't', { prev: ref('b', 'output', 'from') }),
        step('d', 't', { prev: ref('c', 'output', 'from') }),
    ], { errors: 'resilient' });
    const events: RunEvent[] = [];
    const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
        registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), journalDir: dir, env: {}, onEvent: (e) => events.push(e), ...extra,
    });
    return { wf, state, calls, events, options };
}

/** Runs the chain once (d fails), then returns the journal's lines. */
async function failedRun(c: ReturnType<typeof chain>, runId = 'r1'): Promise<string[]> {
    c.state.failD = true;
    const report = await runWorkflow(c.wf, c.options({ runId }));
    expect(report.status).toBe('partial');
    c.calls.length = 0;
    c.state.failD = false;
    return fs.readFileSync(path.join(dir, `${runId}.jsonl`), 'utf8').trimEnd().split('\n');
}

const lineOf = (lines: string[], type: string, stepId: string): number =>
    lines.findIndex((l) => l.includes(`"type":"${type}"`) && l.includes(`"stepId":"${stepId}"`));

const write = (runId: string, lines: string[]): void => fs.writeFileSync(path.join(dir, `${runId}.jsonl`), `${lines.join('\n')}\n`);

async function refusal(attempt: Promise<unknown>): Promise<RunSetupError> {
    const err = await attempt.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RunSetupError);
    return err as RunSetupError;
}

describe('journal damage', () => {
    it('seals every line with a checksum and still reads journals written without one', async () => {
        const c = chain();
        const lines = await failedRun(c);
        expect(lines.every((l) => /^\{"sum":"[0-9a-f]{16}","type":/.test(l))).toBe(true);
        // A version 1 journal (no sums, the hashes of its time) still resumes.
        const { spec, steps } = legacyWorkflowHashes(c.wf);
        const legacy = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
            .map(({ sum: _sum, ...r }) => (r.type === 'run' ? { ...r, version: 1, specHash: spec, stepHashes: steps } : r));
        write('old', legacy.map((r) => JSON.stringify(r)));
        fs.rmSync(path.join(dir, 'r1.jsonl'));
        write('nulled', [...legacy.map((r) => JSON.stringify(r)), 'null', '{}']);
        expect(readJournal(path.join(dir, 'nulled.jsonl')).damaged).toEqual([
            { line: lines.length + 1, reason: 'not a journal record (null)' },
            { line: lines.length + 2, reason: 'not a journal record (type missing)' },
        ]);
        fs.rmSync(path.join(dir, 'nulled.jsonl'));
        await runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'old' } }));
        expect(c.calls).toEqual(['d']);
    });

    it('a junk line in the middle: refused, naming the line; nothing after it is silently dropped', async () => {
        const c = chain();
        const lines = await failedRun(c);
        const at = lineOf(lines, 'step-finished', 'a') + 1;
        lines.splice(at, 0, 'garbage{{');
        write('r1', lines);
        const journal = readJournal(path.join(dir, 'r1.jsonl'));
        expect(journal.damaged).toEqual([{ line: at + 1, reason: 'not JSON' }]);
        expect([...journal.steps.keys()].sort()).toEqual(['a', 'b', 'c', 'd']); // the records after it are read
        const err = await refusal(runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'last' } })));
        expect(err.code).toBe('journal-damaged');
        expect(err.message).toContain(`damaged at line ${at + 1} (not JSON)`);
        expect(err.message).toContain('--resume-lenient');
        expect(c.calls).toEqual([]);
        // Lenient: every intact record counts, so only d runs; the damage is warned about.
        const report = await runWorkflow(c.wf, c.options({ runId: 'r3', resume: { runId: 'r1', lenient: true } }));
        expect(report.status).toBe('succeeded');
        expect(c.calls).toEqual(['d']);
        const warning = c.events.find((e) => e.type === 'log' && e.level === 'warn');
        expect(warning).toMatchObject({ message: expect.stringContaining(`ignored line ${at + 1} (not JSON)`) });
    });

    it('a NUL line, a JSON null and a record whose checksum fails are damage, each with its line', async () => {
        const c = chain();
        const lines = await failedRun(c);
        const b = lineOf(lines, 'step-finished', 'b');
        // Tampered: still valid JSON, the output changed.
        lines[b] = lines[b]!.replace('"from":"b"', '"from":"x"');
        lines.splice(b + 1, 0, '\u0000'.repeat(40), 'null');
        write('r1', lines);
        expect(readJournal(path.join(dir, 'r1.jsonl')).damaged).toEqual([
            { line: b + 1, reason: 'checksum mismatch' },
            { line: b + 2, reason: 'NUL bytes' },
            { line: b + 3, reason: 'not a journal record (null)' },
        ]);
        const err = await refusal(runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'last' } })));
        expect(err.message).toMatch(/line \d+ \(checksum mismatch\), line \d+ \(NUL bytes\), line \d+ \(not a journal record \(null\)\)/);
        // Lenient: b's record is not trusted, so b runs again (and what follows it reads the real output).
        await runWorkflow(c.wf, c.options({ runId: 'r3', resume: { runId: 'r1', lenient: true } }));
        expect(c.calls).toEqual(['b', 'd']);
    });

    it('a header whose inputs is not an object: refused by id with why; `last` passes over it with a warning', async () => {
        const c = chain();
        await failedRun(c, 'good');
        const lines = await failedRun(c, 'bad');
        const header = JSON.parse(lines[0]!) as Record<string, unknown>;
        const { sum: _sum, ...fields } = header;
        write('bad', [sealLine(JSON.stringify({ ...fields, inputs: 'oops' })), ...lines.slice(1)]);
        const err = await refusal(runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'bad' } })));
        expect(err.code).toBe('journal-damaged');
        expect(err.message).toMatch(/bad\.jsonl line 1 is not a kmflow run header \(a run header, but its 'inputs' is not an object\)/);
        // `last`: the newest usable journal of the workflow, the unusable one named.
        fs.utimesSync(path.join(dir, 'good.jsonl'), new Date(t0), new Date(t0));
        c.state.failD = false;
        await runWorkflow(c.wf, c.options({ runId: 'r3', resume: { runId: 'last' } }));
        expect(c.calls).toEqual(['d']);
        expect(c.events.find((e) => e.type === 'log' && e.level === 'warn')).toMatchObject({ message: expect.stringMatching(/passed over unusable journals: .*bad\.jsonl line 1/) });
    });

    it('a folder named *.jsonl: a clear refusal by id, passed over by `last`', async () => {
        const c = chain();
        await failedRun(c, 'good');
        fs.utimesSync(path.join(dir, 'good.jsonl'), new Date(t0), new Date(t0));
        fs.mkdirSync(path.join(dir, 'folder.jsonl'));
        const err = await refusal(runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'folder' } })));
        expect(err.message).toMatch(/folder\.jsonl is not a journal file \(it is a folder\)/);
        await runWorkflow(c.wf, c.options({ runId: 'r3', resume: { runId: 'last' } }));
        expect(c.calls).toEqual(['d']);
        expect(c.events.find((e) => e.type === 'log' && e.level === 'warn')).toMatchObject({ message: expect.stringContaining('folder.jsonl is not a journal file') });
        // Nothing usable at all: the refusal names what was passed over.
        fs.rmSync(path.join(dir, 'good.jsonl'));
        fs.rmSync(path.join(dir, 'r3.jsonl'));
        const none = await refusal(runWorkflow(c.wf, c.options({ runId: 'r4', resume: { runId: 'last' } })));
        expect(none.code).toBe('no-journal');
        expect(none.message).toContain('folder.jsonl is not a journal file');
    });

    it('an unterminated last line is what a kill leaves: ignored, not damage', async () => {
        const c = chain();
        const lines = await failedRun(c);
        const cut = lineOf(lines, 'step-finished', 'c');
        fs.writeFileSync(path.join(dir, 'r1.jsonl'), `${lines.slice(0, cut).join('\n')}\n${lines[cut]!.slice(0, 30)}`);
        const journal = readJournal(path.join(dir, 'r1.jsonl'));
        expect(journal).toMatchObject({ torn: true, damaged: [] });
        await runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'r1' } }));
        expect(c.calls).toEqual(['c', 'd']); // c was in flight
    });

    it('journals each output once, not again in the report of its last record', async () => {
        const big = 'x"y\n'.repeat(256 * 1024); // 1 MiB, and escaping makes it bigger in JSON
        const s = setup([tool('t')], { t: () => ({ text: big }) });
        await runWorkflow(workflow([step('a', 't')]), { registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r1' });
        const size = fs.statSync(path.join(dir, 'r1.jsonl')).size;
        expect(size).toBeGreaterThan(JSON.stringify(big).length);
        expect(size).toBeLessThan(JSON.stringify(big).length * 1.1);
    });
});

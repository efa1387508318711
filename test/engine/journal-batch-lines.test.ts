/**
 * Batch lines (journal version 3): the records of read-only steps that waited are written
 * as one `batch` record, one line and one seal. The reader reads the records in it; a
 * batch that fails its seal, or holds one record that is not one, is damaged as a whole,
 * and a lenient resume runs its steps again (they are read-only: nothing happens twice).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import { sealLine } from '../../src/engine/state/journal/line-seal.js';
import type { RunOptions } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { setup, step, tool, workflow } from './helpers.js';

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-journal-batch-lines-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** r0..r4 read-only, then `w` (with effects) after them all, failing while `state.failW`. */
function reads() {
    const state = { failW: true };
    const calls: string[] = [];
    const s = setup([tool('pure', { readOnly: true }), tool('write')], {
        pure: (_p, ctx) => {
            calls.push(ctx.stepId!);
            return { from: ctx.stepId };
        },
        write: () => {
            calls.push('w');
            if (state.failW) {
                throw new ToolError('tool-error', 'w broke', { retryable: false });
            }
            return { written: true };
        },
    });
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const wf = workflow([...ids.map((id) => step(id, 'pure')), step('w', 'write', {}, { after: ids })], { errors: 'resilient' });
    const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
        registry: s.registry, connectors: s.connectors, clock: new FakeClock(Date.UTC(2025, 0, 1)), journalDir: dir, ...extra,
    });
    return { wf, state, calls, options };
}

async function failedRun(c: ReturnType<typeof reads>): Promise<string[]> {
    await runWorkflow(c.wf, c.options({ runId: 'r1' }));
    c.calls.length = 0;
    c.state.failW = false;
    return fs.readFileSync(path.join(dir, 'r1.jsonl'), 'utf8').trimEnd().split('\n');
}

const batchIndex = (lines: string[]): number => lines.findIndex((l) => l.includes('"type":"batch"'));
const write = (lines: string[]): void => fs.writeFileSync(path.join(dir, 'r1.jsonl'), `${lines.join('\n')}\n`);

describe('journal batch lines', () => {
    it('writes the read-only steps\' records that waited as one sealed batch line, read back as its records', async () => {
        const c = reads();
        const lines = await failedRun(c);
        const batch = batchIndex(lines);
        expect(batch).toBe(1);
        expect(lines[batch]).toMatch(/^\{"sum":"[0-9a-f]{16}","type":"batch","records":\[/);
        expect(lines.filter((l) => l.includes('"type":"batch"'))).toHaveLength(1);
        const journal = readJournal(path.join(dir, 'r1.jsonl'));
        expect(journal.header.version).toBe(3);
        expect(journal.damaged).toEqual([]);
        expect([...journal.steps.keys()].sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'w']);
        // Resumed: the read-only steps are done; only the failed one runs.
        await runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'r1' } }));
        expect(c.calls).toEqual(['w']);
    });

    it('a batch failing its seal is damage as a whole: refused, and a lenient resume runs its steps again', async () => {
        const c = reads();
        const lines = await failedRun(c);
        const batch = batchIndex(lines);
        lines[batch] = lines[batch]!.replace('"from":"r2"', '"from":"rX"');
        write(lines);
        expect(readJournal(path.join(dir, 'r1.jsonl')).damaged).toEqual([{ line: batch + 1, reason: 'checksum mismatch' }]);
        await expect(runWorkflow(c.wf, c.options({ runId: 'r2', resume: { runId: 'r1' } }))).rejects.toThrow(/damaged at line 2 \(checksum mismatch\)/);
        expect(c.calls).toEqual([]);
        await runWorkflow(c.wf, c.options({ runId: 'r3', resume: { runId: 'r1', lenient: true } }));
        expect(c.calls.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'w']);
    });

    it('a sealed batch holding one record that is not one is damaged, named by what is wrong', async () => {
        const c = reads();
        const lines = await failedRun(c);
        const batch = batchIndex(lines);
        const { sum: _sum, ...record } = JSON.parse(lines[batch]!) as { sum: string; records: unknown[] };
        const cases: Array<[unknown, string]> = [
            [{ type: 'step-finished', stepId: 'r9' }, 'a step-finished record without stepId or a valid status'],
            [{ type: 'run' }, 'a run record'],
            [{ type: 'batch', records: [] }, 'a batch record'],
            [null, 'not a journal record (null)'],
        ];
        for (const [inner, why] of cases) {
            lines[batch] = sealLine(JSON.stringify({ ...record, records: [...record.records.slice(0, 1), inner] }));
            write(lines);
            const journal = readJournal(path.join(dir, 'r1.jsonl'));
            expect(journal.damaged).toEqual([{ line: batch + 1, reason: `a batch record whose record 2 is ${why}` }]);
            // None of the batch's records counts, not even the intact first one.
            expect(journal.steps.has('r0')).toBe(false);
        }
    });

    it('a batch in a journal of version 2 is no record', async () => {
        const c = reads();
        const lines = await failedRun(c);
        const { sum: _sum, ...header } = JSON.parse(lines[0]!) as Record<string, unknown>;
        lines[0] = sealLine(JSON.stringify({ ...header, version: 2 }));
        write(lines);
        expect(readJournal(path.join(dir, 'r1.jsonl')).damaged).toEqual([{ line: 2, reason: 'not a journal record (type "batch")' }]);
    });
});

/**
 * Reads journals back: the header, and the last word on every step.
 *
 * Every line carries a checksum (`line-seal.ts`; journals of version 1 have none and
 * are read as they are); from version 3, a line may hold a `batch` of records, read as
 * the records in it. A line that fails its checksum, is not JSON, or is not a
 * record (`record-shape.ts`) is *damaged*: it is listed with its line number and the
 * records around it are still read, so one bad line never hides the rest of the run.
 * Only an unterminated last line that does not check out is taken for what a kill
 * mid-write leaves (`torn`) and ignored. What to do about damage is the resume's
 * decision (`resume.ts`): refuse, or with `lenient` go on from the intact records.
 *
 * A journal that cannot be used at all (not a file, no valid header, a newer format)
 * throws a JournalError saying why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSealed, unsealLine } from './line-seal.js';
import { asRecord, lineRecords, recordProblem } from './record-shape.js';
import { JOURNAL_VERSION, type JournalRecord, type RunHeaderRecord, type StepCompensatedRecord, type StepFinishedRecord } from './records.js';

/** A journal that cannot be read at all; the message names the file and why. */
export class JournalError extends Error {
    override readonly name = 'JournalError';
    constructor(
        readonly file: string,
        readonly reason: string,
    ) {
        super(`${file}: ${reason}`);
    }
}

/** A line that holds no trustworthy record. */
export interface DamagedLine {
    /** 1-based. */
    line: number;
    reason: string;
}

export interface ReadJournal {
    file: string;
    header: RunHeaderRecord;
    /** Latest finishing record per step (a compensation overrides a success). */
    steps: Map<string, StepFinishedRecord | StepCompensatedRecord>;
    /** Steps started and never finished: in flight when the run died. */
    inFlight: Set<string>;
    finished: boolean;
    /** Damaged lines, in file order; every intact record around them was read. */
    damaged: DamagedLine[];
    /** The last line was cut short (a kill mid-write) and ignored. */
    torn: boolean;
}

/** Why `file` is no journal file (a folder, a FIFO...), or undefined for a regular file. */
function notAFile(file: string): string | undefined {
    let st: fs.Stats;
    try {
        st = fs.statSync(file);
    } catch (err) {
        return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    }
    return st.isFile() ? undefined : `is not a journal file (it is ${st.isDirectory() ? 'a folder' : 'not a regular file'})`;
}

/** The header of line 1, or why line 1 is none. */
function parseHeader(line: string | undefined): { header: RunHeaderRecord; sealed: boolean } | { problem: string } {
    if (line === undefined || line.trim() === '') {
        return { problem: 'is empty, not a kmflow run journal' };
    }
    const sealed = isSealed(line);
    const opened = unsealLine(line, sealed);
    if (!opened.ok) {
        return { problem: `line 1 is not a kmflow run header (${opened.reason})` };
    }
    const shaped = asRecord(opened.record);
    if ('problem' in shaped || shaped.record.type !== 'run') {
        return { problem: `line 1 is not a kmflow run header (${'problem' in shaped ? shaped.problem : `a ${shaped.record.type} record`})` };
    }
    const header = shaped.record;
    if (header.version > JOURNAL_VERSION) {
        return { problem: `was written by a newer kmflow (journal version ${header.version}; this one reads up to ${JOURNAL_VERSION})` };
    }
    if (header.version >= 2 && !sealed) {
        return { problem: 'line 1 is not a kmflow run header (no checksum)' };
    }
    return { header, sealed };
}

export function readJournal(file: string): ReadJournal {
    const bad = notAFile(file);
    if (bad) {
        throw new JournalError(file, bad);
    }
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // A file ending in a newline splits into a last empty string: no line at all.
    const terminated = lines[lines.length - 1] === '';
    if (terminated) {
        lines.pop();
    }
    const first = parseHeader(lines[0]);
    if ('problem' in first) {
        throw new JournalError(file, first.problem);
    }
    const records: JournalRecord[] = [first.header];
    const damaged: DamagedLine[] = [];
    const batches = first.header.version >= 3;
    let torn = false;
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        const opened = line.trim() === '' ? { ok: false as const, reason: 'a blank line' } : unsealLine(line, first.sealed);
        // An unsealed line that is not even a record's shape (`null`) says so rather than "no checksum".
        const shaped = opened.ok ? lineRecords(opened.record, batches) : { problem: ('parsed' in opened && recordProblem(opened.parsed)) || opened.reason };
        const problem = 'problem' in shaped ? shaped.problem : shaped.records[0]?.type === 'run' ? 'a second run header' : undefined;
        if (problem === undefined) {
            records.push(...(shaped as { records: JournalRecord[] }).records);
        } else if (i === lines.length - 1 && !terminated) {
            torn = true; // half written when the process died
        } else {
            damaged.push({ line: i + 1, reason: problem });
        }
    }
    const steps = new Map<string, StepFinishedRecord | StepCompensatedRecord>();
    const inFlight = new Set<string>();
    let finished = false;
    for (const r of records) {
        if (r.type === 'step-started') {
            inFlight.add(r.stepId);
        } else if (r.type === 'step-finished') {
            inFlight.delete(r.stepId);
            steps.set(r.stepId, r);
        } else if (r.type === 'step-compensated') {
            if (r.ok) {
                steps.set(r.stepId, r);
            }
        } else if (r.type === 'run-finished') {
            finished = true;
        }
    }
    return { file, header: first.header, steps, inFlight, finished, damaged, torn };
}

/** A journal `findJournal` passed over because it cannot be used, and why. */
export interface SkippedJournal {
    file: string;
    reason: string;
}

/**
 * The journal of `runId` in `dir`, or with `'last'` the newest journal (by
 * modification time) of workflow `workflowId`. Undefined when there is none. With
 * `'last'`, journals that cannot be used (a folder named `*.jsonl`, no valid header)
 * are passed over and added to `skipped` when they are newer than the one found.
 */
export function findJournal(dir: string, runId: string, workflowId: string, skipped?: SkippedJournal[]): string | undefined {
    if (runId !== 'last') {
        const file = path.join(dir, `${path.basename(runId)}.jsonl`);
        return fs.existsSync(file) ? file : undefined;
    }
    let names: string[];
    try {
        names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    } catch {
        return undefined;
    }
    const byAge: Array<{ file: string; mtime: number; problem?: string }> = [];
    for (const name of names) {
        const file = path.join(dir, name);
        try {
            const st = fs.statSync(file);
            byAge.push({ file, mtime: st.mtimeMs, ...(!st.isFile() && { problem: notAFile(file) }) });
        } catch (err) {
            byAge.push({ file, mtime: -Infinity, problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
        }
    }
    byAge.sort((a, b) => b.mtime - a.mtime);
    for (const { file, problem } of byAge) {
        const found = problem === undefined ? headerOf(file) : { problem };
        if ('problem' in found) {
            skipped?.push({ file, reason: found.problem });
        } else if (found.header.workflow === workflowId) {
            return file;
        }
    }
    return undefined;
}

function headerOf(file: string): { header: RunHeaderRecord } | { problem: string } {
    try {
        const line = firstLine(file);
        return line === undefined ? { problem: 'has no run header (its first line is longer than 64 MB)' } : parseHeader(line);
    } catch (err) {
        return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
}

/** A header longer than this is no header (it holds the inputs, which may be long, but not this long). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

/** The first line of `file`, read in chunks up to its first newline (a header holds the inputs: it may be long). */
function firstLine(file: string): string | undefined {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
        const chunks: Buffer[] = [];
        const buf = Buffer.alloc(64 * 1024);
        for (let pos = 0; ; ) {
            const n = fs.readSync(fd, buf, 0, buf.length, pos);
            const end = buf.subarray(0, n).indexOf(0x0a);
            chunks.push(Buffer.from(buf.subarray(0, end >= 0 ? end : n)));
            if (n === 0 || end >= 0) {
                return Buffer.concat(chunks).toString('utf8');
            }
            pos += n;
            if (pos > MAX_HEADER_BYTES) {
                return undefined;
            }
        }
    } finally {
        fs.closeSync(fd);
    }
}

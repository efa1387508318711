/**
 * Reads journals back: the header, and the last word on every step. A line torn by a
 * kill (the last one, half written) is ignored, as is anything after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JournalRecord, RunHeaderRecord, StepCompensatedRecord, StepFinishedRecord } from './records.js';

export interface ReadJournal {
    file: string;
    header: RunHeaderRecord;
    /** Latest finishing record per step (a compensation overrides a success). */
    steps: Map<string, StepFinishedRecord | StepCompensatedRecord>;
    /** Steps started and never finished: in flight when the run died. */
    inFlight: Set<string>;
    finished: boolean;
}

export function readJournal(file: string): ReadJournal {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const records: JournalRecord[] = [];
    for (const line of lines) {
        if (line.trim() === '') {
            continue;
        }
        try {
            records.push(JSON.parse(line) as JournalRecord);
        } catch {
            break; // torn by a kill mid-write
        }
    }
    const header = records[0];
    if (!header || header.type !== 'run') {
        throw new Error(`${file} is not a kmflow run journal`);
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
    return { file, header, steps, inFlight, finished };
}

/**
 * The journal of `runId` in `dir`, or with `'last'` the newest journal (by
 * modification time) of workflow `workflowId`. Undefined when there is none.
 */
export function findJournal(dir: string, runId: string, workflowId: string): string | undefined {
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
    const byAge = names
        .map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
    for (const { file } of byAge) {
        const first = firstLine(file);
        try {
            const header = JSON.parse(first) as Partial<RunHeaderRecord>;
            if (header.type === 'run' && header.workflow === workflowId) {
                return file;
            }
        } catch {
            // not a journal, or an empty one: keep looking
        }
    }
    return undefined;
}

function firstLine(file: string): string {
    const fd = fs.openSync(file, 'r');
    try {
        const buf = Buffer.alloc(64 * 1024);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        const text = buf.subarray(0, n).toString('utf8');
        const end = text.indexOf('\n');
        return end >= 0 ? text.slice(0, end) : text;
    } finally {
        fs.closeSync(fd);
    }
}

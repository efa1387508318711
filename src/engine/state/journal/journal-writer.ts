/**
 * Appends a run's journal, `DIR/RUN_ID.jsonl`, one sealed line at a time, with `fs.writeSync`:
 * once `writeSync` returns, the line is in the kernel and survives the process being
 * killed (SIGKILL included). Only a machine crash could lose the last lines, which is why
 * the file is fsynced at the end of the run (per-event fsync would cost a disk flush per
 * step for no gain against kills).
 *
 * Lines are written in batches where that loses nothing a kill could matter for: a
 * record of a step with effects (a tool not `read_only`: its start, before the call, and
 * its end, before anyone hears of it), the header, a compensation and the end are written
 * at once, with every line before them; those of read-only steps wait for the next one of
 * those, for the end of the event loop's turn, or for 64 KB, whichever comes first. A
 * kill can thus cost at most the records of read-only steps of the last turn, which a
 * resume runs again: calling a read-only tool twice changes nothing. `process.exit` writes
 * what waits. The records that waited are written as one `batch` record, one line and one
 * seal for them all (a line and a SHA-256 per record cost a 10k-step run more than its
 * steps did); a record written at once has its own line.
 *
 * The start of a read-only step waits as a mark, made into a line only if the step is
 * still running when its batch is written: one that ended within the batch has its end
 * there, which says all its start would (a kill loses both or neither), so its start is
 * left out. A `step-started` line without its end still marks a step in flight.
 *
 * At the end, `DIR/RUN_ID.report.json` holds the report (the VS Code extension reads
 * `.kmflow/runs/*.report.json`). Every line is sealed with a checksum (`line-seal.ts`),
 * and each output is journaled once: in its step's record, not again in the report the
 * last record carries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirSync } from '../../tools/make-dir.js';
import type { SecretSink } from '../../security/secret-sink.js';
import type { RunReport, StepError } from '../../run/run-types.js';
import type { StepState } from '../../run/run-state.js';
import { reportJson } from '../../run/report-json.js';
import { usualFinishedJson } from './finished-json.js';
import { sealLine } from './line-seal.js';
import { isoTimeCache } from '../../run/iso-time.js';
import type { JournalRecord, RunHeaderRecord } from './records.js';

/** Lines of read-only steps wait for at most this many bytes. */
const BATCH_BYTES = 64 * 1024;

/** What a waiting start mark counts for in `BATCH_BYTES` (about its line's length). */
const START_BYTES = 96;

/** ISO time of a record. */
const iso = isoTimeCache(64);

/** Writers with lines waiting, written out if the process exits (`process.exit`) first. */
const waiting = new Set<JournalWriter>();
let exitHook = false;

function flushAllOnExit(): void {
    for (const writer of waiting) {
        writer.flush();
    }
}

export class JournalWriter {
    readonly file: string;
    private fd: number | undefined;
    /** The JSON of the records waiting, and the marks of read-only steps' starts (`StepState`) among them. */
    private pending: Array<string | StepState> = [];
    /** The times of the start marks in `pending`, in their order. */
    private markTimes: number[] = [];
    /** Steps whose start mark waits and which have not ended: their marks become lines. */
    private readonly running = new Set<StepState>();
    private pendingBytes = 0;
    private scheduled = false;

    constructor(
        readonly dir: string,
        readonly runId: string,
        /** The run's sink: every record's content passes it. */
        private readonly sink: SecretSink,
    ) {
        makeDirSync(dir);
        this.file = path.join(dir, `${runId}.jsonl`);
        this.fd = fs.openSync(this.file, 'a');
    }

    header(record: Omit<RunHeaderRecord, 'type'>): void {
        this.write({ type: 'run', ...record, inputs: this.sink.inputs(record.inputs) });
    }

    stepStarted(step: StepState, at: number): void {
        if (!step.tool.readOnly) {
            this.write({ type: 'step-started', stepId: step.spec.id, at: iso(at) });
        } else if (this.fd !== undefined) {
            this.pending.push(step);
            this.markTimes.push(at);
            this.running.add(step);
            this.wait(START_BYTES);
        }
    }

    stepFinished(step: StepState, at: number): void {
        // Its start, if it waits, is left out: this line, in the same batch, says it.
        this.running.delete(step);
        const status = step.status as Exclude<StepState['status'], 'pending' | 'ready' | 'running'>;
        if (!step.skippedByWhen && step.items < 0 && !step.secret && !step.error) {
            // The usual record, its JSON written directly; an output JSON cannot say takes the path below.
            let json: string | undefined;
            try {
                json = usualFinishedJson(step.spec.id, status, step.attempts, step.cacheHits > 0 && step.attempts === 0, this.sink.output(step), iso(at));
            } catch {
                json = undefined;
            }
            if (json !== undefined) {
                this.add(json, !step.tool.readOnly);
                return;
            }
        }
        this.write({
            type: 'step-finished',
            stepId: step.spec.id,
            status,
            ...(step.skippedByWhen && { skippedByWhen: true }),
            attempts: step.attempts,
            cached: step.cacheHits > 0 && step.attempts === 0,
            ...(step.items >= 0 && { items: step.items }),
            output: this.sink.output(step),
            ...(step.secret && { secret: true }),
            ...(step.error && { error: this.sink.value(step.error) }),
            at: iso(at),
        }, !step.tool.readOnly);
    }

    stepCompensated(step: StepState, ok: boolean, error: StepError | undefined, at: number): void {
        this.write({ type: 'step-compensated', stepId: step.spec.id, ok, ...(error && { error: this.sink.value(error) }), at: iso(at) });
    }

    /** The last record, the report file, fsync, close. */
    runFinished(report: RunReport): void {
        // Outputs are journaled in their steps' records: left out here by being undefined
        // while the line is made (JSON drops such members), not by copying every step.
        const steps = report.steps;
        const outputs: unknown[] = new Array<unknown>(steps.length);
        try {
            for (let i = 0; i < steps.length; i++) {
                outputs[i] = steps[i]!.output;
                if (outputs[i] !== undefined) {
                    steps[i]!.output = undefined;
                }
            }
            this.write({ type: 'run-finished', status: report.status, at: report.endedAt, report });
        } finally {
            for (let i = 0; i < steps.length; i++) {
                if (outputs[i] !== undefined) {
                    steps[i]!.output = outputs[i];
                }
            }
        }
        if (this.fd !== undefined) {
            try {
                fs.fsyncSync(this.fd);
            } finally {
                fs.closeSync(this.fd);
                this.fd = undefined;
            }
        }
        const reportFile = path.join(this.dir, `${this.runId}.report.json`);
        const tmp = `${reportFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, `${reportJson(report, 2)}\n`);
        fs.renameSync(tmp, reportFile);
    }

    /** Closes without a run-finished record (a run that could not finish). */
    close(): void {
        if (this.fd !== undefined) {
            this.flush();
            fs.closeSync(this.fd);
            this.fd = undefined;
        }
    }

    /** Writes the records that wait. */
    flush(): void {
        this.writeOut('');
    }

    /** Writes the records that wait, as one line, and then `line`, in one call (whole lines: they never interleave). */
    private writeOut(line: string): void {
        if (this.fd !== undefined) {
            const text = this.pending.length > 0 ? this.batchLine() + line : line;
            this.pending = [];
            this.pendingBytes = 0;
            if (text !== '') {
                fs.writeSync(this.fd, text);
            }
        }
        waiting.delete(this);
    }

    /** The line of the records that wait: one record's own, or a batch of them; the start marks of steps still running made records, the others left out. */
    private batchLine(): string {
        let records = this.pending as string[];
        if (this.markTimes.length > 0) {
            records = [];
            let mark = 0;
            for (const entry of this.pending) {
                if (typeof entry === 'string') {
                    records.push(entry);
                } else if (this.running.has(entry)) {
                    records.push(JSON.stringify({ type: 'step-started', stepId: entry.spec.id, at: iso(this.markTimes[mark++]!) }));
                } else {
                    mark++;
                }
            }
            this.markTimes = [];
            this.running.clear();
        }
        if (records.length === 0) {
            return '';
        }
        return `${sealLine(records.length === 1 ? records[0]! : `{"type":"batch","records":[${records.join(',')}]}`)}\n`;
    }

    /** A batch that could not be written: said by the next record's write. */
    private failed: unknown;

    private readonly flushSoon = (): void => {
        this.scheduled = false;
        try {
            this.flush();
        } catch (err) {
            this.failed = err;
        }
    };

    /** Adds a record; `now`: written at once, with every record before it. */
    private write(record: JournalRecord, now = true): void {
        if (this.fd === undefined) {
            return;
        }
        // Content passed the sink above (the report was built through it).
        let json: string;
        try {
            json = JSON.stringify(record);
        } catch {
            // A circular or BigInt output, or one too large for a string: record that it
            // existed, not what it was; a resume runs such a step again.
            const slim = record.type === 'step-finished' ? { ...record, output: null, unjournaled: true } : { ...record, report: undefined };
            json = JSON.stringify(slim);
        }
        this.add(json, now);
    }

    /** Adds a record's JSON; `now`: written at once, with every record before it. */
    private add(json: string, now: boolean): void {
        if (this.fd === undefined) {
            return;
        }
        if (this.failed !== undefined) {
            const err = this.failed;
            this.failed = undefined;
            throw err;
        }
        if (now) {
            this.writeOut(`${sealLine(json)}\n`);
        } else {
            this.pending.push(json);
            this.wait(json.length);
        }
    }

    /** `bytes` more wait: written now if the batch is full, else by the end of the turn. */
    private wait(bytes: number): void {
        this.pendingBytes += bytes;
        if (this.pendingBytes >= BATCH_BYTES) {
            this.flush();
            return;
        }
        if (!waiting.has(this)) {
            waiting.add(this);
            if (!exitHook) {
                exitHook = true;
                process.on('exit', flushAllOnExit);
            }
        }
        if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(this.flushSoon);
        }
    }
}

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
 * The start of a read-only step is journaled only if the step is still running when a
 * batch is written (the run says which steps run: `runningSteps`), at the batch's end: one
 * that ended before has its end in the batch, which says all its start would (a kill
 * loses both or neither), so its start is left out, and costs nothing. A `step-started`
 * record without its end still marks a step in flight.
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
    /** The JSON of the records waiting. */
    private pending: string[] = [];
    /** Read-only steps running whose start a batch has journaled. */
    private readonly startsWritten = new Set<StepState>();
    /** A read-only step started since the running steps were last asked. */
    private startsPending = false;
    private pendingBytes = 0;
    private scheduled = false;
    /** In `waiting`. */
    private listed = false;

    constructor(
        readonly dir: string,
        readonly runId: string,
        /** The run's sink: every record's content passes it. */
        private readonly sink: SecretSink,
        /** The steps running now (a fan-out's once or more), asked when a batch is written. */
        private readonly runningSteps: () => Iterable<StepState> = () => [],
    ) {
        makeDirSync(dir);
        this.file = path.join(dir, `${runId}.jsonl`);
        this.fd = fs.openSync(this.file, 'a');
    }

    header(record: Omit<RunHeaderRecord, 'type'>): void {
        this.write({ type: 'run', ...record, inputs: this.sink.inputs(record.inputs) });
    }

    /** A step with effects: its start, now. A read-only one: a batch by the end of the turn, which journals its start if it still runs (at `step.startedAt`). */
    stepStarted(step: StepState, at: number): void {
        if (!step.tool.readOnly) {
            this.write({ type: 'step-started', stepId: step.spec.id, at: iso(at) });
        } else if (this.fd !== undefined) {
            this.startsPending = true;
            this.wait(0);
        }
    }

    stepFinished(step: StepState, at: number): void {
        if (this.startsWritten.size > 0) {
            this.startsWritten.delete(step);
        }
        const status = step.status as Exclude<StepState['status'], 'pending' | 'ready' | 'running'>;
        const cached = step.cacheHits > 0 && step.attempts === 0;
        const output = this.sink.output(step);
        const time = iso(at);
        if (!step.skippedByWhen && step.items < 0 && !step.secret && !step.error) {
            // The usual record, its JSON written directly; an output JSON cannot say takes the path below.
            let json: string | undefined;
            try {
                json = usualFinishedJson(step.spec.id, status, step.attempts, cached, output, time);
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
            cached,
            ...(step.items >= 0 && { items: step.items }),
            output,
            ...(step.secret && { secret: true }),
            ...(step.error && { error: this.sink.value(step.error) }),
            at: time,
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

    /** Writes the records that wait, with the starts of read-only steps still running. */
    flush(): void {
        this.writeOut('', this.startsPending);
    }

    /**
     * Writes the records that wait, as one line, and then `line`, in one call (whole lines:
     * they never interleave). `starts`: asks the run which steps run, for their starts
     * (at the end of a turn, not at each record written at once: it costs a look at
     * every running step).
     */
    private writeOut(line: string, starts: boolean): void {
        if (this.fd !== undefined) {
            const text = this.batchLine(starts) + line;
            this.pending = [];
            this.pendingBytes = 0;
            if (text !== '') {
                fs.writeSync(this.fd, text);
            }
        }
        if (this.listed && !this.startsPending) {
            this.listed = false;
            waiting.delete(this);
        }
    }

    /** The line of the records that wait, with the starts of read-only steps still running not journaled yet: one record's own, or a batch. */
    private batchLine(starts: boolean): string {
        const records = this.pending;
        if (starts) {
            this.startsPending = false;
            for (const step of this.runningSteps()) {
                if (step.tool.readOnly && step.startedAt >= 0 && !this.startsWritten.has(step)) {
                    this.startsWritten.add(step);
                    records.push(JSON.stringify({ type: 'step-started', stepId: step.spec.id, at: iso(step.startedAt) }));
                }
            }
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
            this.writeOut(`${sealLine(json)}\n`, false);
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
        if (!this.listed) {
            this.listed = true;
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

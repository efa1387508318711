/**
 * The metrics history on disk: `ROOT/.kmflow/metrics/history.jsonl`, one JSON record a
 * line, appended after every run and compacted to the last N samples per tool.
 *
 * Appends are one `appendFile` per run (O_APPEND: concurrent runs interleave whole
 * writes, not bytes). Compaction rewrites through a temporary file and a rename, so a
 * reader never sees half a file; a run appended by another process during the
 * rewrite may be lost, which costs one sample, never a corrupt history.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { makeDir } from '../../tools/make-dir.js';
import type { WorkflowSpec } from '../../model/model.js';
import type { RunReport } from '../../run/run-types.js';
import { recordsOf } from './records.js';
import type { HistoryRecord } from './types.js';

/** Samples kept per tool (and per workflow, for run records). */
export const DEFAULT_MAX_SAMPLES = 500;
/** The file is compacted once it grows past this many bytes. */
export const DEFAULT_COMPACT_ABOVE_BYTES = 2 * 1024 * 1024;

export interface HistoryOptions {
    /** Samples kept per tool; default 500. */
    maxSamples?: number;
    /** Compact when the file is larger than this (bytes); default 2 MB. 0 compacts every time. */
    compactAboveBytes?: number;
}

/** `ROOT/.kmflow/metrics`. */
export function metricsDir(root: string): string {
    return path.join(root, '.kmflow', 'metrics');
}

/** `ROOT/.kmflow/metrics/history.jsonl`. */
export function historyFile(root: string): string {
    return path.join(metricsDir(root), 'history.jsonl');
}

/**
 * Appends a finished run's measurements to the history (and compacts when due). The
 * report says everything recorded (its steps, its measured critical path); `_workflow`
 * is the workflow it ran, kept in the signature for the callers.
 */
export async function recordRun(root: string, _workflow: WorkflowSpec, report: RunReport, options: HistoryOptions = {}): Promise<void> {
    const file = historyFile(root);
    await makeDir(path.dirname(file));
    const records = recordsOf(report);
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    await fs.appendFile(file, text, 'utf8');
    const size = (await fs.stat(file)).size;
    if (size > (options.compactAboveBytes ?? DEFAULT_COMPACT_ABOVE_BYTES)) {
        // A file exactly as long as this run's lines holds only them (a first run of 10k
        // steps is over the limit at once): compacted from them, not read back and parsed.
        await compactHistory(root, options, size === Buffer.byteLength(text, 'utf8') ? records : undefined);
    }
}

/** Every record in the file, oldest first; unreadable lines (a torn write) are skipped. */
export async function readRecords(root: string): Promise<HistoryRecord[]> {
    let text: string;
    try {
        text = await fs.readFile(historyFile(root), 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return [];
        }
        throw err;
    }
    const out: HistoryRecord[] = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '') {
            continue;
        }
        try {
            const r = JSON.parse(line) as HistoryRecord;
            if (r && (r.type === 'run' || r.type === 'step' || r.type === 'tool')) {
                out.push(r);
            }
        } catch {
            // A line cut short by a crash mid-append: one lost sample, not a broken history.
        }
    }
    return out;
}

/**
 * The records retention keeps: the last `maxSamples` step and tool records of each
 * tool, and the last `maxSamples` run records of each workflow. `loadHistory` applies
 * the same rule in memory, so figures do not depend on when compaction last ran.
 */
export function retain(records: readonly HistoryRecord[], maxSamples = DEFAULT_MAX_SAMPLES): HistoryRecord[] {
    const counts = new Map<string, number>();
    const keep = new Array<boolean>(records.length).fill(false);
    for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i]!;
        const key = r.type === 'run' ? `run\0${r.workflow}` : `${r.type}\0${r.tool}`;
        const n = counts.get(key) ?? 0;
        if (n < maxSamples) {
            keep[i] = true;
            counts.set(key, n + 1);
        }
    }
    return records.filter((_, i) => keep[i]);
}

/** Rewrites the history keeping only what `retain` keeps; `records`: the file's, when known. */
export async function compactHistory(root: string, options: HistoryOptions = {}, records?: readonly HistoryRecord[]): Promise<void> {
    const file = historyFile(root);
    const kept = retain(records ?? await readRecords(root), options.maxSamples);
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    await fs.writeFile(tmp, kept.map((r) => JSON.stringify(r)).join('\n') + (kept.length > 0 ? '\n' : ''), 'utf8');
    await fs.rename(tmp, file);
}

/**
 * Report snapshots (`snapshot report`): each test's run report, kept beside its test
 * file in `FILE.kmflow.snap.json` (one JSON object, the test titles sorted as keys), with
 * what changes from run to run normalised: the run id, and clock times as offsets from
 * the run's start (`+1500ms`). Durations stay: on the fake clock they are exact. A later
 * run compares with the stored report; `--update-snapshots` rewrites it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { canonicalJson } from '../../engine/state/index.js';
import type { RunReport } from '../../engine/run/index.js';
import { show } from './expectations.js';

/** The snapshot file of a test file: `NAME.kmflow.snap.json` beside it. */
export function snapshotFileOf(testFile: string): string {
    return `${testFile}.snap.json`;
}

/** The stored snapshots of one test file, or why they cannot be used. */
export interface SnapshotFile {
    file: string;
    entries: Record<string, unknown>;
    /** The file exists but is no snapshot file (not JSON, not an object). */
    problem?: string;
}

/** Reads a snapshot file; a missing one holds nothing, an unusable one says why. */
export async function readSnapshots(file: string): Promise<SnapshotFile> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === 'ENOENT' ? { file, entries: {} } : { file, entries: {}, problem: `cannot be read (${code ?? (err as Error).message})` };
    }
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        return { file, entries: {}, problem: `is not valid JSON (${(err as Error).message})` };
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        return { file, entries: {}, problem: 'is not a snapshot file (a JSON object of reports by test title)' };
    }
    return { file, entries: data as Record<string, unknown> };
}

/** Writes snapshots, titles sorted, 2-space indent, final newline; whole or not at all. */
export async function writeSnapshots(file: string, entries: Record<string, unknown>): Promise<void> {
    const sorted: Record<string, unknown> = {};
    for (const title of Object.keys(entries).sort()) {
        sorted[title] = entries[title];
    }
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    await rename(tmp, file);
}

/** The report as a snapshot keeps it: no run id, clock times as offsets from the run's start. */
export function normalizeReport(report: RunReport): unknown {
    const start = Date.parse(report.startedAt);
    const offset = (iso: string | null): string | null => (iso === null ? null : `+${Date.parse(iso) - start}ms`);
    return {
        ...report,
        runId: '<run id>',
        startedAt: offset(report.startedAt),
        endedAt: offset(report.endedAt),
        steps: report.steps.map((s) => ({ ...s, startedAt: offset(s.startedAt), endedAt: offset(s.endedAt) })),
    };
}

/** Up to `max` differences between a stored snapshot and the new one, as `path: snapshot X, now Y`. */
export function snapshotDifferences(stored: unknown, now: unknown, max = 5): string[] {
    const out: string[] = [];
    diff(stored, now, '', out, max);
    return out;
}

function diff(a: unknown, b: unknown, at: string, out: string[], max: number): void {
    if (out.length >= max || canonicalJson(a) === canonicalJson(b)) {
        return;
    }
    const bothArrays = Array.isArray(a) && Array.isArray(b);
    const bothObjects = isObject(a) && isObject(b);
    if (bothArrays) {
        const [x, y] = [a as unknown[], b as unknown[]];
        for (let i = 0; i < Math.max(x.length, y.length); i++) {
            diff(x[i], y[i], `${at}[${label(x[i] ?? y[i], i)}]`, out, max);
        }
        return;
    }
    if (bothObjects) {
        const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
        for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
            diff(x[key], y[key], at ? `${at}.${key}` : key, out, max);
        }
        return;
    }
    out.push(`${at || 'report'}: snapshot ${show(a)}, now ${show(b)}`);
}

/** An array element's label: a step's id, else its index. */
function label(item: unknown, index: number): string {
    return isObject(item) && typeof item.id === 'string' ? item.id : String(index);
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

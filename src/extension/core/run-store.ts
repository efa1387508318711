/**
 * Run reports on disk: `.kmflow/runs/RUN_ID.report.json` in the workspace folder, one
 * per finished run, written after the run and read back at activation so the history
 * survives a reload. The file is the `run --json` report plus where it came from.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RunReport } from '../../engine/run-types.js';

/** The runs folder, relative to the workspace root. */
export const RUNS_DIR = path.join('.kmflow', 'runs');
const SUFFIX = '.report.json';

/** Where a run came from: its file (workspace-relative) and workflow, and step lines. */
export interface RunSource {
    /** Path relative to the workspace root, `/`-separated. */
    file: string;
    workflow: string;
    /** 1-based line of each step when the run started (the editor finds moved steps itself). */
    lines?: Record<string, number>;
    /** Set for "Run to here". */
    toStep?: string;
}

/** A report as stored: the run report plus its source. */
export type StoredRun = RunReport & { source?: RunSource };

/** The file a run's report goes to. Run ids are made file-safe. */
export function reportPath(root: string, runId: string): string {
    return path.join(root, RUNS_DIR, `${runId.replace(/[^A-Za-z0-9._-]/g, '_')}${SUFFIX}`);
}

/** Writes the report (atomically: a temp file renamed over) and returns its path. */
export async function writeRun(root: string, run: StoredRun): Promise<string> {
    const file = reportPath(root, run.runId);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(run, null, 2)}\n`, 'utf8');
    await fs.rename(tmp, file);
    return file;
}

function looksLikeReport(value: unknown): value is StoredRun {
    const r = value as Partial<StoredRun> | null;
    return typeof r === 'object' && r !== null && typeof r.runId === 'string' && typeof r.workflow === 'string'
        && typeof r.status === 'string' && typeof r.startedAt === 'string' && Array.isArray(r.steps);
}

/**
 * Every readable report under the root, newest first (by `startedAt`, then run id).
 * Unreadable or foreign files are skipped: a half-written or hand-edited file must not
 * hide the rest of the history. `limit` keeps the newest only.
 */
export async function readRuns(root: string, limit = 200): Promise<StoredRun[]> {
    const dir = path.join(root, RUNS_DIR);
    let names: string[];
    try {
        names = (await fs.readdir(dir)).filter((n) => n.endsWith(SUFFIX));
    } catch {
        return [];
    }
    const runs: StoredRun[] = [];
    await Promise.all(names.map(async (name) => {
        try {
            const parsed: unknown = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'));
            if (looksLikeReport(parsed)) {
                runs.push(parsed);
            }
        } catch {
            // Skipped: see above.
        }
    }));
    runs.sort(newestFirst);
    return runs.slice(0, limit);
}

/** Order of the tree: newest start first; ties by run id, descending. */
export function newestFirst(a: StoredRun, b: StoredRun): number {
    return b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId);
}

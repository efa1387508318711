/**
 * Run reports on disk, read back at activation so the history (and resume) survives a
 * reload. The language server runs the workflows: the engine journals each run to
 * `.kmflow/runs/RUN_ID.jsonl` and writes its report to `RUN_ID.report.json`, and the
 * server adds where the run came from (file, workflow, step lines, "Run to here") in
 * `RUN_ID.source.json` when it starts it (src/shared/run-files.ts names them).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RunReport } from '../../shared/run-report.js';
import type { RunSource } from '../../shared/lsp-protocol.js';
import { REPORT_SUFFIX as SUFFIX, RUNS_DIR_SEGMENTS, SOURCE_SUFFIX, fileSafe } from '../../shared/run-files.js';

export type { RunSource } from '../../shared/lsp-protocol.js';

/** The runs folder, relative to the workspace root. */
export const RUNS_DIR = path.join(...RUNS_DIR_SEGMENTS);

/** A report as stored: the run report plus its source. */
export type StoredRun = RunReport & { source?: RunSource };

/** The journal folder of a workspace root (`RunOptions.journalDir`). */
export function runsDir(root: string): string {
    return path.join(root, RUNS_DIR);
}

/** The file the engine writes a run's report to. Run ids are made file-safe. */
export function reportPath(root: string, runId: string): string {
    return path.join(runsDir(root), `${fileSafe(runId)}${SUFFIX}`);
}

/** The file holding where a run came from. */
export function sourcePath(root: string, runId: string): string {
    return path.join(runsDir(root), `${fileSafe(runId)}${SOURCE_SUFFIX}`);
}

/** The recorded source of run `runId`, if any. */
async function readRunSource(root: string, runId: string): Promise<RunSource | undefined> {
    try {
        const parsed = JSON.parse(await fs.readFile(sourcePath(root, runId), 'utf8')) as Partial<RunSource> | null;
        return parsed && typeof parsed.file === 'string' && typeof parsed.workflow === 'string' ? parsed as RunSource : undefined;
    } catch {
        return undefined;
    }
}

function looksLikeReport(value: unknown): value is StoredRun {
    const r = value as Partial<StoredRun> | null;
    return typeof r === 'object' && r !== null && typeof r.runId === 'string' && typeof r.workflow === 'string'
        && typeof r.status === 'string' && typeof r.startedAt === 'string' && Array.isArray(r.steps);
}

/**
 * Every readable report under the root, newest first (by `startedAt`, then run id),
 * each with its source when the extension recorded one (reports of older versions
 * carry it inline). Unreadable or foreign files are skipped: a half-written or
 * hand-edited file must not hide the rest of the history. `limit` keeps the newest only.
 */
export async function readRuns(root: string, limit = 200): Promise<StoredRun[]> {
    const dir = runsDir(root);
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
    const kept = runs.slice(0, limit);
    await Promise.all(kept.map(async (run) => {
        const source = run.source ?? await readRunSource(root, run.runId);
        if (source) {
            run.source = source;
        }
    }));
    return kept;
}

/** Order of the tree: newest start first; ties by run id, descending. */
export function newestFirst(a: StoredRun, b: StoredRun): number {
    return b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId);
}

const RUN_FILE = /^(.+?)(\.report\.json|\.source\.json|\.jsonl)$/;

/**
 * Clear History: deletes every stored run under the root (its report, journal and
 * source) except those of `keep` (runs still going); how many runs went. Other files
 * stay, and so does the measured history in `.kmflow/metrics`.
 */
export async function clearRuns(root: string, keep: ReadonlySet<string> = new Set()): Promise<number> {
    const dir = runsDir(root);
    let names: string[];
    try {
        names = await fs.readdir(dir);
    } catch {
        return 0;
    }
    const kept = new Set([...keep].map(fileSafe));
    const gone = new Set<string>();
    await Promise.all(names.map(async (name) => {
        const id = RUN_FILE.exec(name)?.[1];
        if (id !== undefined && !kept.has(id)) {
            await fs.rm(path.join(dir, name), { force: true });
            gone.add(id);
        }
    }));
    return gone.size;
}

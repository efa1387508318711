/**
 * Run reports on disk. The engine journals every run the extension starts to
 * `.kmflow/runs/RUN_ID.jsonl` and writes its report to `RUN_ID.report.json` itself;
 * the extension only adds where the run came from (file, workflow, step lines, "Run to
 * here") in `RUN_ID.source.json`, written when the run starts. Both are read back at
 * activation so the history (and resume) survives a reload.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { makeDir } from '../../engine/tools/make-dir.js';
import type { RunReport } from '../../engine/run/run-types.js';

/** The runs folder, relative to the workspace root. */
export const RUNS_DIR = path.join('.kmflow', 'runs');
const SUFFIX = '.report.json';
const SOURCE_SUFFIX = '.source.json';

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

/** The journal folder of a workspace root (`RunOptions.journalDir`). */
export function runsDir(root: string): string {
    return path.join(root, RUNS_DIR);
}

function fileSafe(runId: string): string {
    return runId.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The file the engine writes a run's report to. Run ids are made file-safe. */
export function reportPath(root: string, runId: string): string {
    return path.join(runsDir(root), `${fileSafe(runId)}${SUFFIX}`);
}

/** The file holding where a run came from. */
export function sourcePath(root: string, runId: string): string {
    return path.join(runsDir(root), `${fileSafe(runId)}${SOURCE_SUFFIX}`);
}

/** Records where run `runId` came from (atomically: a temp file renamed over); its path. */
export async function writeRunSource(root: string, runId: string, source: RunSource): Promise<string> {
    const file = sourcePath(root, runId);
    await makeDir(path.dirname(file));
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(source, null, 2)}\n`, 'utf8');
    await fs.rename(tmp, file);
    return file;
}

/** Forgets the source of a run that never started (a refused resume, a missing input). */
export async function removeRunSource(root: string, runId: string): Promise<void> {
    await fs.rm(sourcePath(root, runId), { force: true });
}

/** The recorded source of run `runId`, if any. */
export async function readRunSource(root: string, runId: string): Promise<RunSource | undefined> {
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

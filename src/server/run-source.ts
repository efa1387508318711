/**
 * Where a run the server starts came from (file, workflow, step lines, "Run to here"),
 * in `.kmflow/runs/RUN_ID.source.json` beside the engine's journal and report: written
 * when the run starts, removed when it never did, read back for resume.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { makeDir } from '../engine/tools/index.js';
import { RUNS_DIR_SEGMENTS, SOURCE_SUFFIX, fileSafe } from '../shared/run-files.js';
import type { RunSource } from '../shared/lsp-protocol.js';

/** The journal folder of a workspace root (`RunOptions.journalDir`). */
export function runsDir(root: string): string {
    return path.join(root, ...RUNS_DIR_SEGMENTS);
}

/** The file holding where run `runId` came from. */
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

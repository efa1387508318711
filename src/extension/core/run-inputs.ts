/**
 * The inputs a finished run was given, as its journal's first line (the run header,
 * `.kmflow/runs/RUN_ID.jsonl`) holds them: defaults applied, secret inputs already `***`
 * and secret values inside the others masked by the engine before anything was written.
 * "Promote this Run to a Test" writes them as `input` lines. No `vscode` here.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { JOURNAL_SUFFIX, RUNS_DIR_SEGMENTS, fileSafe } from '../../shared/run-files.js';

/** A header longer than this is not read (inputs this long do not belong in a test). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** The inputs of run `runId` under one of `roots`, or undefined when no journal of it can be read (a replayed run keeps none). */
export async function readRunInputs(roots: readonly string[], runId: string): Promise<Record<string, unknown> | undefined> {
    for (const root of roots) {
        const line = await firstLine(path.join(root, ...RUNS_DIR_SEGMENTS, `${fileSafe(runId)}${JOURNAL_SUFFIX}`));
        const inputs = line === undefined ? undefined : headerInputs(line, runId);
        if (inputs) {
            return inputs;
        }
    }
    return undefined;
}

/** The `inputs` of a journal header line for `runId`, or undefined when it is no such header. */
export function headerInputs(line: string, runId: string): Record<string, unknown> | undefined {
    try {
        const header = JSON.parse(line) as { type?: unknown; runId?: unknown; inputs?: unknown } | null;
        const inputs = header?.inputs;
        if (header?.type !== 'run' || header.runId !== runId || typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
            return undefined;
        }
        return inputs as Record<string, unknown>;
    } catch {
        return undefined;
    }
}

async function firstLine(file: string): Promise<string | undefined> {
    let handle: fs.FileHandle;
    try {
        handle = await fs.open(file, 'r');
    } catch {
        return undefined;
    }
    try {
        const chunks: Buffer[] = [];
        const buf = Buffer.alloc(64 * 1024);
        for (let pos = 0; pos <= MAX_HEADER_BYTES; ) {
            const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
            const end = buf.subarray(0, bytesRead).indexOf(0x0a);
            chunks.push(Buffer.from(buf.subarray(0, end >= 0 ? end : bytesRead)));
            if (bytesRead === 0 || end >= 0) {
                return Buffer.concat(chunks).toString('utf8');
            }
            pos += bytesRead;
        }
        return undefined;
    } catch {
        return undefined;
    } finally {
        await handle.close();
    }
}

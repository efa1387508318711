/**
 * Recorded and replayed runs for the cassette tests: a workflow's text with a real
 * server (server-everything, the envelope fixture), run through the app layer as every
 * front door does; the same text with the server's path pointing nowhere, for replays.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TRUSTED } from '../../../src/engine/security/trust.js';
import type { RunReport } from '../../../src/shared/run-report.js';
import { prepareText, runText, type RunTextOptions } from '../../helpers/app-runs.js';
import { ENVELOPE_SERVER, EVERYTHING_SERVER } from '../../helpers/mcp-servers.js';

/** Where a replay's servers would start from, if anything started them. */
export const NOWHERE = '/nonexistent/kmflow-replay-test/server.js';

/** `text` with every real server's script path pointing nowhere: a replay must not need them. */
export function withServersAbsent(text: string): string {
    return text.split(EVERYTHING_SERVER).join(NOWHERE).split(ENVELOPE_SERVER).join(NOWHERE);
}

/** A fresh workspace root (its real path), and how to remove it. */
export async function workspace(): Promise<{ root: string; remove(): Promise<void> }> {
    const root = await realpath(await mkdtemp(path.join(tmpdir(), 'kmflow-cassette-')));
    return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Runs `text` (saved as ROOT/flow.kmflow) trusted, through the app layer. */
export async function runFlow(root: string, text: string, options: RunTextOptions = {}): Promise<RunReport> {
    const file = path.join(root, 'flow.kmflow');
    await writeFile(file, text);
    const prepared = await prepareText({ file, text }, { root });
    return runText(prepared, { trust: TRUSTED, root, ...options });
}

/** What a replay must reproduce of a report: each step's id, status, attempts and output. */
export function outcome(report: RunReport): Array<[string, string, number, unknown]> {
    return report.steps.map((s) => [s.id, s.status, s.attempts, s.output]);
}

/** The failed step's error of `report`. */
export function stepError(report: RunReport, id: string): { code?: string; message: string } {
    const step = report.steps.find((s) => s.id === id);
    if (!step?.error) {
        throw new Error(`step '${id}' did not fail: ${JSON.stringify(step)}`);
    }
    return step.error;
}

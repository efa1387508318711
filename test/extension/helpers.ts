/** Shared helpers of the extension's unit tests: fixture files and a real run's events and report. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunEvent, RunReport } from '../../src/shared/run-report.js';
import { reportPath } from '../../src/extension/core/run-store.js';
import { prepareText, runText, type PreparedText } from '../helpers/app-runs.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/extension');

/** The target of a fixture file: its URI, text and path. */
export function fixture(name: string): { uri: string; text: string; file: string } {
    const file = path.join(FIXTURES, name);
    return { uri: pathToFileURL(file).toString(), text: fs.readFileSync(file, 'utf8'), file };
}

/** Writes a report where the engine does (`ROOT/.kmflow/runs/RUN_ID.report.json`); its path. */
export function writeReport(root: string, report: RunReport): string {
    const file = reportPath(root, report.runId);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    return file;
}

/** A kmflow file written to `dir` and its target (URI, text, path). */
export function writeWorkflow(dir: string, name: string, text: string): { uri: string; text: string; file: string } {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return { uri: pathToFileURL(file).toString(), text, file };
}

/** Prepares and really runs a fixture's workflow (in memory), collecting its events. */
export async function runFixture(name: string, options: { toStep?: string } = {}): Promise<{
    prepared: PreparedText; events: RunEvent[]; report: RunReport;
}> {
    const prepared = await prepareText(fixture(name), { toStep: options.toStep });
    const events: RunEvent[] = [];
    const report = await runText(prepared, { onEvent: (e) => events.push(e) });
    return { prepared, events, report };
}

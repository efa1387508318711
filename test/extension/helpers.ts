/** Shared helpers of the extension's unit tests: fixture files and a real run. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunEvent, RunReport } from '../../src/engine/run/run-types.js';
import { executeRun } from '../../src/extension/core/app-bridge.js';
import { prepareWorkflowRun, type PreparedWorkflowRun } from '../../src/extension/core/app-bridge.js';
import { reportPath } from '../../src/extension/core/run-store.js';
import { DENIED } from '../../src/engine/security/trust.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/extension');

/** The target of a fixture file: its URI and text. */
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

/** A kmflow file written to `dir` and its run target (URI, text, path). */
export function writeWorkflow(dir: string, name: string, text: string): { uri: string; text: string; file: string } {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return { uri: pathToFileURL(file).toString(), text, file };
}

/** Prepares and really runs a fixture's workflow, collecting its events. */
export async function runFixture(name: string, options: { toStep?: string; root?: string } = {}): Promise<{
    prepared: PreparedWorkflowRun; events: RunEvent[]; report: RunReport;
}> {
    const prepared = await prepareWorkflowRun({ ...fixture(name), toStep: options.toStep });
    const events: RunEvent[] = [];
    const report = await executeRun(prepared, {
        root: options.root ?? FIXTURES, trust: DENIED, onEvent: (e) => events.push(e),
    });
    return { prepared, events, report };
}

/**
 * The testing commands beside the Test Explorer: the `Run Test` / `Debug Test` lenses run
 * one test through the Test Explorer's profiles; "Record a Cassette" runs the active
 * workflow for real through the usual run path (`kmflow/run` with `record`), its MCP
 * calls written to `.kmflow/recordings/NAME.json`; "Promote this Run to a Test" appends
 * a finished run as a `test` block (its journaled inputs as `input` lines, its tools'
 * answers as `given` stubs, secrets masked as in the report and journal) to the end of
 * its workflow's file, unsaved, for the user to review and save.
 */
import { vscode } from './vscode-api.js';
import type { RunReport } from '../shared/run-report.js';
import { promotedTest } from './core/promote-test.js';
import { readRunInputs } from './core/run-inputs.js';
import type { RunHistory } from './core/run-history.js';
import type { RunController } from './run-controller.js';
import type { KmflowTestController, TestOutcomeRecord } from './test-controller.js';
import { runSourceUri } from './run-commands.js';
import { locateRunFile } from './resume-command.js';
import { isTreeRow, resolveTarget } from './workflow-target.js';

export interface TestCommandDeps {
    history: RunHistory;
    controller: RunController;
    tests: KmflowTestController;
}

export function createTestCommands(deps: TestCommandDeps): Record<string, (...args: unknown[]) => unknown> {
    const { history, controller, tests } = deps;
    // The `Run Test` / `Debug Test` lenses: (uri, title).
    const runTest = (kind: 'run' | 'debug') => async (uri?: unknown, title?: unknown): Promise<TestOutcomeRecord | undefined> => {
        if (typeof uri !== 'string' || typeof title !== 'string') {
            return undefined;
        }
        const outcome = await tests.runTest(uri, title, kind);
        if (!outcome) {
            void vscode.window.showWarningMessage(`KM Flow: no test "${title}" in ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}.`);
        }
        return outcome;
    };
    return {
        'kmflow.runTest': runTest('run'),
        'kmflow.debugTest': runTest('debug'),
        // (uri?, workflow?, name?): the cassette name defaults to the workflow's id.
        'kmflow.recordCassette': async (...args: unknown[]): Promise<RunReport | undefined> => {
            const target = await resolveTarget(args.slice(0, 2));
            if (!target) {
                return undefined;
            }
            const name = typeof args[2] === 'string' ? args[2] : await vscode.window.showInputBox({
                title: `KM Flow: Record a Cassette of ${target.workflow}`,
                prompt: 'Cassette name (.kmflow/recordings/NAME.json), or a path ending in .json',
                value: target.workflow,
                validateInput: (v) => (v.trim() ? undefined : 'A name like smoke, or a path like fixtures/smoke.json'),
            });
            return name ? controller.run(target, { record: name.trim() }) : undefined;
        },
        // (runId or a runs-tree row); default the newest finished run.
        'kmflow.promoteRunToTest': async (arg?: unknown): Promise<string | undefined> => {
            const id = isTreeRow(arg) ? arg.runId : typeof arg === 'string' ? arg : undefined;
            const run = id ? history.get(id) : history.all().find((r) => !history.isActive(r.runId));
            if (!run || history.isActive(run.runId)) {
                void vscode.window.showInformationMessage('KM Flow: no finished run to promote to a test.');
                return undefined;
            }
            const uri = runSourceUri(run) ?? await locateRunFile(run.workflow, run.source);
            if (!uri) {
                void vscode.window.showWarningMessage(`KM Flow: the file of workflow ${run.workflow} cannot be found.`);
                return undefined;
            }
            const document = await vscode.workspace.openTextDocument(uri);
            const folder = vscode.workspace.getWorkspaceFolder(uri);
            const roots = [...(folder ? [folder] : []), ...(vscode.workspace.workspaceFolders ?? [])].map((f) => f.uri.fsPath);
            const text = promotedTest(run, undefined, await readRunInputs(roots, run.runId));
            const end = document.lineAt(document.lineCount - 1).range.end;
            const edit = new vscode.WorkspaceEdit();
            edit.insert(uri, end, document.getText().endsWith('\n') ? text : `\n${text}`);
            await vscode.workspace.applyEdit(edit);
            const editor = await vscode.window.showTextDocument(document);
            const last = document.lineCount - 1;
            editor.revealRange(new vscode.Range(last, 0, last, 0));
            void vscode.window.showInformationMessage(`KM Flow: run ${run.runId} is now a test at the end of ${vscode.workspace.asRelativePath(uri)}: review it and save.`);
            return text;
        },
    };
}

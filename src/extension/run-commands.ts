/**
 * The run commands and the runs tree's own: Run Workflow, Run to Step, Rerun, Resume,
 * Cancel, Show Graph, Show Run, Reveal Step, Open Step Output, Set Secret. Each handler
 * turns its arguments (lens, editor title, tree row, palette) into a target and calls
 * the controller; the work itself lives in `core/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { vscode } from './vscode-api.js';
import { isRefusal } from '../shared/lsp-protocol.js';
import type { RunReport } from '../shared/run-report.js';
import type { RunHistory } from './core/run-history.js';
import type { StoredRun } from './core/run-store.js';
import { GraphPanel, type RevealStep } from './graph-panel.js';
import type { KmflowClient } from './kmflow-client.js';
import type { RunController } from './run-controller.js';
import { createResumeCommand, locateRunFile } from './resume-command.js';
import { isSecretName, type SecretStore } from './secret-store.js';
import { StepOutputProvider } from './step-output-provider.js';
import { isTreeRow, relativeFile, resolveTarget, revealStep, workspaceRoot } from './workflow-target.js';

/** What the commands share. */
export interface RunCommandDeps {
    extensionUri: vscode.Uri;
    history: RunHistory;
    controller: RunController;
    secrets: SecretStore;
    onReveal: RevealStep;
    server: KmflowClient;
}

/** The source file of a stored run, in whichever workspace folder holds it. */
export function runSourceUri(run: StoredRun): vscode.Uri | undefined {
    const file = run.source?.file;
    if (!file) {
        return undefined;
    }
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const candidate = path.join(folder.uri.fsPath, file);
        if (fs.existsSync(candidate)) {
            return vscode.Uri.file(candidate);
        }
    }
    return undefined;
}

function runOf(history: RunHistory, arg: unknown): StoredRun | undefined {
    const id = isTreeRow(arg) ? arg.runId : typeof arg === 'string' ? arg : undefined;
    return id ? history.get(id) : undefined;
}

export function createRunCommands(deps: RunCommandDeps): Record<string, (...args: unknown[]) => unknown> {
    const { history, controller } = deps;

    const rerun = async (arg: unknown): Promise<RunReport | undefined> => {
        const run = runOf(history, arg);
        const uri = run && (runSourceUri(run) ?? await locateRunFile(run.workflow, run.source));
        if (!run || !uri) {
            void vscode.window.showWarningMessage('KM Flow: the file of that run is gone; open the workflow and run it.');
            return undefined;
        }
        return controller.run({ document: await vscode.workspace.openTextDocument(uri), workflow: run.workflow }, { toStep: run.source?.toStep });
    };

    const showRun = async (arg: unknown): Promise<void> => {
        const run = runOf(history, arg) ?? history.all()[0];
        if (!run) {
            void vscode.window.showInformationMessage('KM Flow: no run yet.');
            return;
        }
        const uri = runSourceUri(run);
        const panel = GraphPanel.createOrShow(deps.extensionUri, deps.onReveal);
        if (uri) {
            await vscode.workspace.openTextDocument(uri);
            const p = await deps.server.request('kmflow/prepare', { uri: uri.toString(), workflow: run.workflow, toStep: run.source?.toStep, report: run })
                .catch(() => undefined);
            // A file that changed and no longer checks: the report alone.
            if (p && !isRefusal(p)) {
                panel.post(p.graph);
            }
        }
        panel.post({ type: 'report', report: run });
    };

    return {
        'kmflow.runWorkflow': async (...args) => {
            if (isTreeRow(args[0])) {
                return rerun(args[0]);
            }
            const target = await resolveTarget(args);
            return target ? controller.run(target) : undefined;
        },
        'kmflow.runToStep': async (...args) => {
            const target = await resolveTarget(args, true);
            return target?.step ? controller.run(target, { toStep: target.step }) : undefined;
        },
        'kmflow.rerun': rerun,
        'kmflow.resumeRun': createResumeCommand(deps),
        'kmflow.cancelRun': async (arg?: unknown) => {
            const active = controller.activeRuns();
            let runId = isTreeRow(arg) ? arg.runId : typeof arg === 'string' ? arg : active.length === 1 ? active[0] : undefined;
            if (!runId && active.length > 1) {
                runId = await vscode.window.showQuickPick(active, { placeHolder: 'Cancel which run?' });
            }
            if (!runId || !controller.cancel(runId)) {
                void vscode.window.showInformationMessage('KM Flow: no run is going.');
                return false;
            }
            return true;
        },
        'kmflow.showGraph': async (...args) => {
            if (args.length === 0 && !vscode.window.activeTextEditor && GraphPanel.current) {
                GraphPanel.current.panel.reveal();
                return;
            }
            if (isTreeRow(args[0])) {
                return showRun(args[0]);
            }
            const target = await resolveTarget(args);
            if (!target) {
                return;
            }
            const uri = target.document.uri;
            try {
                const last = history.all().find((r) => r.workflow === target.workflow && r.source?.file === relativeFile(uri, workspaceRoot(uri)) && !history.isActive(r.runId));
                // The last run's measured critical path, else the predicted one.
                const p = await deps.server.request('kmflow/prepare', { uri: uri.toString(), workflow: target.workflow, ...(last && { report: last }) });
                if (isRefusal(p)) {
                    throw new Error(p.message);
                }
                const panel = GraphPanel.createOrShow(deps.extensionUri, deps.onReveal);
                panel.post(p.graph);
                if (last) {
                    panel.post({ type: 'report', report: last });
                }
            } catch (err) {
                void vscode.window.showErrorMessage(`KM Flow: ${(err as Error).message}`);
            }
        },
        'kmflow.showRun': showRun,
        // A tree step row, a step lens, or (runId, stepId): the run in the graph, that step's details open.
        'kmflow.showStepDetails': async (arg: unknown, stepArg?: unknown) => {
            const runId = isTreeRow(arg) ? arg.runId : typeof arg === 'string' ? arg : undefined;
            const stepId = isTreeRow(arg) ? arg.stepId : typeof stepArg === 'string' ? stepArg : undefined;
            if (!runId || !stepId) {
                return;
            }
            await showRun(runId);
            GraphPanel.current?.showStep(stepId);
        },
        'kmflow.revealStep': async (arg: unknown) => {
            if (!isTreeRow(arg) || !arg.stepId) {
                return;
            }
            const run = history.get(arg.runId);
            const uri = run && runSourceUri(run);
            if (uri) {
                await revealStep(uri, arg.stepId, run.source?.lines?.[arg.stepId]);
            }
        },
        'kmflow.openStepOutput': async (arg: unknown, stepArg?: unknown) => {
            const runId = isTreeRow(arg) ? arg.runId : String(arg);
            const stepId = isTreeRow(arg) ? arg.stepId : typeof stepArg === 'string' ? stepArg : undefined;
            if (!stepId) {
                return;
            }
            const doc = await vscode.workspace.openTextDocument(StepOutputProvider.uriOf(runId, stepId));
            await vscode.languages.setTextDocumentLanguage(doc, 'json');
            await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        },
        'kmflow.setSecret': async (nameArg?: unknown, valueArg?: unknown) => {
            const name = typeof nameArg === 'string' ? nameArg : await vscode.window.showInputBox({
                title: 'KM Flow: Set Secret', prompt: 'Secret name (workflows read it as secret.NAME)',
                validateInput: (v) => (isSecretName(v) ? undefined : 'A name like API_TOKEN: letters, digits, underscores'),
            });
            if (!name || !isSecretName(name)) {
                return false;
            }
            const value = typeof valueArg === 'string' ? valueArg : await vscode.window.showInputBox({
                title: `KM Flow: value of secret ${name}`, password: true, ignoreFocusOut: true,
            });
            if (value === undefined) {
                return false;
            }
            await deps.secrets.set(name, value);
            void vscode.window.showInformationMessage(`KM Flow: stored secret ${name} in VS Code's secret storage; runs read it as secret.${name}.`);
            return true;
        },
    };
}

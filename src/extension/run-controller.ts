/**
 * Runs workflows in the extension host: trust check, load and check the editor's text,
 * ask for missing inputs (not on a resume: the journal has them), run with a
 * cancellable progress notification, stream events to the output channel, the graph
 * panel, the tree and the status bar. The engine journals the run and writes its report
 * under `.kmflow/runs`; the controller adds the run's source beside it. The engine work
 * is async: the UI never waits on it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReport } from '../engine/run/run-types.js';
import { configuredServers, mergeServers } from './core/configured-servers.js';
import { workspaceGraph } from './core/graph-model.js';
import { executeRun } from './core/app-bridge.js';
import { workspaceTrust } from './core/workspace-trust.js';
import { resumeSecretNote } from '../engine/security/secret-values.js';
import type { RunHistory } from './core/run-history.js';
import { logLine } from './core/run-log.js';
import { RunRequestError, convertInputs, prepareWorkflowRun, requiredInputs, type PreparedWorkflowRun } from './core/app-bridge.js';
import { removeRunSource, reportPath, writeRunSource, type RunSource } from './core/run-store.js';
import { stepLines } from './core/step-lens.js';
import { GraphPanel, type RevealStep } from './graph-panel.js';
import { notify, showRefusal, showRunFailure } from './run-notices.js';
import type { RunStatusBar } from './run-status-bar.js';
import type { SecretStore } from './secret-store.js';
import { relativeFile, workspaceRoot, type CommandTarget } from './workflow-target.js';

/** What the controller needs from the extension. */
export interface RunControllerDeps {
    extensionUri: vscode.Uri;
    history: RunHistory;
    output: vscode.OutputChannel;
    statusBar: RunStatusBar;
    secrets: SecretStore;
    onReveal: RevealStep;
}

/** The message an untrusted workspace gets instead of a run. */
export const UNTRUSTED_MESSAGE = 'is disabled in Restricted Mode. Runs start MCP servers and may run shell steps, '
    + 'so they need a trusted workspace; checks, completion, Plan and the graph still work.';

/** Tells the user (without waiting for them) that runs need Workspace Trust; false when untrusted. */
export function requireTrust(what: string): boolean {
    if (vscode.workspace.isTrusted) {
        return true;
    }
    const manage = 'Manage Workspace Trust';
    void vscode.window.showWarningMessage(`KM Flow: ${what} ${UNTRUSTED_MESSAGE}`, manage).then((choice) => {
        if (choice === manage) {
            void vscode.commands.executeCommand('workbench.trust.manage');
        }
    });
    return false;
}

/** What to run besides the target: "Run to here", or a resume of a journaled run. */
export interface RunRequest {
    toStep?: string;
    /** Resume run `runId` (a concrete id); `restored` are the steps its journal completed. */
    resume?: { runId: string; restored: readonly string[] };
}

function newRunId(workflow: string): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    return `${workflow}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export class RunController implements vscode.Disposable {
    private readonly controllers = new Map<string, AbortController>();

    constructor(private readonly deps: RunControllerDeps) {}

    /** Ids of the runs going on. */
    activeRuns(): string[] {
        return [...this.controllers.keys()];
    }

    /** Keeps the `kmflow.running` context key (Cancel shows only while a run goes) in step. */
    private track(runId: string, controller?: AbortController): void {
        if (controller) {
            this.controllers.set(runId, controller);
        } else {
            this.controllers.delete(runId);
        }
        void vscode.commands.executeCommand('setContext', 'kmflow.running', this.controllers.size > 0);
    }

    /** Cancels a run (its steps get their AbortSignal); false when it is not running. */
    cancel(runId: string): boolean {
        const controller = this.controllers.get(runId);
        controller?.abort(new Error('cancelled by the user'));
        return controller !== undefined;
    }

    /** Runs the target's workflow (up to `toStep`, or resuming a run); the report, or undefined. */
    async run(target: CommandTarget, request: RunRequest = {}): Promise<RunReport | undefined> {
        const { toStep, resume } = request;
        if (!requireTrust(resume ? 'Resuming a run' : 'Running a workflow')) {
            return undefined;
        }
        const { document } = target;
        const root = workspaceRoot(document.uri);
        const file = relativeFile(document.uri, root);
        let prepared: PreparedWorkflowRun;
        try {
            prepared = await prepareWorkflowRun({ uri: document.uri.toString(), text: document.getText(), workflow: target.workflow, toStep }, file);
        } catch (err) {
            return this.fail(err, target);
        }
        // A resume takes the journaled inputs, except those declared secret: never journaled, asked again.
        const inputs = await this.askInputs(prepared, resume !== undefined);
        if (!inputs) {
            return undefined;
        }
        const config = vscode.workspace.getConfiguration('kmflow', document.uri);
        const configured = configuredServers(config.get('servers'));
        configured.problems.forEach((p) => this.deps.output.appendLine(`warning: ${p}`));
        prepared = { ...prepared, servers: mergeServers(prepared.servers, configured.servers) };

        const runId = newRunId(prepared.workflow.id);
        const source: RunSource = { file, workflow: prepared.workflow.id, lines: stepLines(prepared.workflow.steps), ...(toStep ? { toStep } : {}) };
        const graph = await workspaceGraph(prepared.workflow, prepared.registry, document.uri.toString(), root);
        const panel = GraphPanel.createOrShow(this.deps.extensionUri, this.deps.onReveal);
        panel.post(graph);
        const { history, output, statusBar } = this.deps;
        try {
            await writeRunSource(root, runId, source);
        } catch (err) {
            output.appendLine(`warning: could not record the run's source: ${(err as Error).message}`);
        }
        const restored = resume ? new Set(resume.restored.filter((id) => prepared.workflow.steps.some((s) => s.id === id))) : new Set<string>();
        history.begin(runId, prepared.workflow, source, undefined, resume && { from: resume.runId, restored: [...restored] });
        const controller = new AbortController();
        this.track(runId, controller);
        output.appendLine(`— ${new Date().toLocaleString()} · ${file} · workflow ${prepared.workflow.id}${toStep ? ` up to ${toStep}` : ''}`
            + `${resume ? ` · resuming ${resume.runId} (${restored.size} step(s) restored)` : ''}`);
        const note = resume && resumeSecretNote(prepared.workflow, { secrets: 'from the secret storage', inputs: 'from the prompts' });
        if (note) {
            output.appendLine(`  ${note}`);
        }
        const total = prepared.workflow.steps.length;
        let done = restored.size;
        statusBar.running(prepared.workflow.id, done, total);
        try {
            const report = await vscode.window.withProgress({
                location: vscode.ProgressLocation.Notification,
                title: `KM Flow: ${prepared.workflow.id}`,
                cancellable: true,
            }, async (progress, token) => {
                token.onCancellationRequested(() => controller.abort(new Error('cancelled by the user')));
                return executeRun(prepared, {
                    root,
                    trust: workspaceTrust(vscode.workspace.isTrusted),
                    inputs,
                    // Secrets stay secrets: never merged into `env`, masked however they are read.
                    secrets: await this.deps.secrets.all(),
                    maxParallel: config.get<number>('maxParallel'),
                    signal: controller.signal,
                    runId,
                    durable: true,
                    resume: resume?.runId,
                    onWarning: (w) => output.appendLine(`warning: ${w}`),
                    onEvent: (event) => {
                        const line = logLine(event);
                        if (line) {
                            output.appendLine(line);
                        }
                        if (event.type === 'run-finished') {
                            return; // handled below, once the report is stored
                        }
                        history.apply(event);
                        panel.post({ type: 'run-event', event });
                        if (event.type === 'step-finished') {
                            done++;
                            statusBar.running(prepared.workflow.id, done, total);
                            progress.report({ increment: 100 / Math.max(1, total), message: `${done}/${total} · ${event.stepId} ${event.status}` });
                        } else if (event.type === 'step-started') {
                            progress.report({ message: `${done}/${total} · ${event.stepId}…` });
                        }
                    },
                });
            });
            this.finish(report, source, root, prepared, document.uri);
            return report;
        } catch (err) {
            history.abandon(runId);
            await removeRunSource(root, runId).catch(() => undefined);
            if (resume && err instanceof RunRequestError && (err.code === 'resume-mismatch' || err.code === 'no-journal')) {
                return this.refusedResume(err, target, toStep);
            }
            return this.fail(err, target);
        } finally {
            this.track(runId);
        }
    }

    private finish(report: RunReport, source: RunSource, root: string, prepared: PreparedWorkflowRun, uri: vscode.Uri): void {
        const stored = this.deps.history.finish(report, source);
        this.deps.statusBar.finished(stored);
        const panel = GraphPanel.current;
        if (panel) {
            panel.post({ type: 'run-event', event: { type: 'run-finished', runId: report.runId, at: Date.parse(report.endedAt), status: report.status, durationMs: report.durationMs, report } });
            // Now the run's measured critical path (the history has this run too).
            void workspaceGraph(prepared.workflow, prepared.registry, uri.toString(), root, report).then((graph) => panel.post(graph));
        }
        // The engine wrote the journal and the report beside it.
        this.deps.output.appendLine(`report: ${path.relative(root, reportPath(root, report.runId))}`);
        showRunFailure(report, this.deps.output);
    }

    /**
     * Asks for each input without a default (resuming: each input declared secret, which
     * the journal never keeps); secret ones in a password box. Undefined when the user gives up.
     */
    private async askInputs(prepared: PreparedWorkflowRun, resuming: boolean): Promise<Record<string, unknown> | undefined> {
        const given: Record<string, string> = {};
        const asked = resuming ? prepared.workflow.inputs.filter((i) => i.secret) : requiredInputs(prepared.workflow.inputs);
        for (const input of asked) {
            const again = resuming ? ' — secrets are never journaled: enter it again to resume' : '';
            const value = await vscode.window.showInputBox({
                title: `KM Flow: input '${input.name}' of ${prepared.workflow.id}`,
                prompt: `${input.name}: ${input.type}${input.type === 'list' || input.type === 'object' ? ' (as JSON)' : ''}${input.secret ? ' (secret)' : ''}${again}`,
                password: input.secret === true,
                ignoreFocusOut: true,
                validateInput: (text) => {
                    try {
                        convertInputs(prepared.workflow.inputs, { [input.name]: text });
                        return undefined;
                    } catch (err) {
                        return (err as Error).message;
                    }
                },
            });
            if (value === undefined) {
                return undefined;
            }
            given[input.name] = value;
        }
        return convertInputs(prepared.workflow.inputs, given);
    }

    /** The engine refused a resume (workflow changed, no journal): say why, offer a fresh run. */
    private refusedResume(err: RunRequestError, target: CommandTarget, toStep: string | undefined): undefined {
        this.deps.output.appendLine(`resume refused (${err.code}): ${err.message}`);
        const afresh = 'Run Afresh';
        void vscode.window.showErrorMessage(`KM Flow: ${err.message}`, afresh).then((choice) => {
            if (choice === afresh) {
                void this.run(target, { toStep });
            }
        });
        return undefined;
    }

    /** A run that could not start (its first problems, Go to Problem) or crashed. */
    private fail(err: unknown, target: CommandTarget): undefined {
        if (err instanceof RunRequestError) {
            this.deps.output.appendLine(`run refused${err.code ? ` (${err.code})` : ''}: ${err.message}`);
            showRefusal(target.workflow, target.document.uri, err);
        } else {
            this.deps.output.appendLine(`run failed: ${(err as Error).stack ?? String(err)}`);
            void notify('error', `KM Flow: the run of ${target.workflow} failed: ${(err as Error).message}`);
        }
        return undefined;
    }

    dispose(): void {
        for (const controller of this.controllers.values()) {
            controller.abort(new Error('the extension is shutting down'));
        }
        this.controllers.clear();
        void vscode.commands.executeCommand('setContext', 'kmflow.running', false);
    }
}

/**
 * Runs workflows through the language server: trust check, `kmflow/prepare` of the
 * editor's document (as the server has it, validated), the missing inputs asked for
 * (not on a resume: the journal has them), then `kmflow/run` with a cancellable
 * progress notification. The server runs it, journals it under `.kmflow/runs` (with
 * where it came from) and streams its events as `kmflow/runEvent` notifications, which
 * go to the output channel, the graph panel, the tree and the status bar (live-run.ts;
 * a `kmflow` debug run goes there too, `followDebug`). Nothing here waits on the run
 * but the progress notification.
 */
import { vscode } from './vscode-api.js';
import type { InputInfo, Prepared, Refusal, RunResult } from '../shared/lsp-protocol.js';
import { isRefusal } from '../shared/lsp-protocol.js';
import type { RunReport } from '../shared/run-report.js';
import type { RunHistory } from './core/run-history.js';
import type { RunSource } from './core/run-store.js';
import { stepLines } from './core/step-lens.js';
import type { RevealStep } from './graph-panel.js';
import type { KmflowClient } from './kmflow-client.js';
import { followRun, type LiveRun } from './live-run.js';
import { notify, showRefusal } from './run-notices.js';
import type { RunStatusBar } from './run-status-bar.js';
import type { SecretStore } from './secret-store.js';
import type { CommandTarget } from './workflow-target.js';

/** What the controller needs from the extension. */
export interface RunControllerDeps {
    extensionUri: vscode.Uri;
    history: RunHistory;
    output: vscode.OutputChannel;
    statusBar: RunStatusBar;
    secrets: SecretStore;
    onReveal: RevealStep;
    server: KmflowClient;
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
    /**
     * Resume run `runId` (a concrete id); `restored` are the steps its journal completed;
     * `rerunFrom`: that step and those after it run again even if they completed.
     */
    resume?: { runId: string; restored: readonly string[]; rerunFrom?: string };
    /** Record every MCP call to this cassette (a name under `.kmflow/recordings`, or a path). */
    record?: string;
}

function newRunId(workflow: string): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    return `${workflow}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export class RunController implements vscode.Disposable {
    private readonly controllers = new Map<string, vscode.CancellationTokenSource>();

    constructor(private readonly deps: RunControllerDeps) {}

    /** Ids of the runs going on. */
    activeRuns(): string[] {
        return [...this.controllers.keys()];
    }

    /** Keeps the `kmflow.running` context key (Cancel shows only while a run goes) in step. */
    private track(runId: string, controller?: vscode.CancellationTokenSource): void {
        if (controller) {
            this.controllers.set(runId, controller);
        } else {
            this.controllers.delete(runId);
        }
        void vscode.commands.executeCommand('setContext', 'kmflow.running', this.controllers.size > 0);
    }

    /** Cancels a run (its kmflow/run request: the server aborts its steps); false when it is not running. */
    cancel(runId: string): boolean {
        const controller = this.controllers.get(runId);
        controller?.cancel();
        return controller !== undefined;
    }

    /** Runs the target's workflow (up to `toStep`, or resuming a run); the report, or undefined. */
    async run(target: CommandTarget, request: RunRequest = {}): Promise<RunReport | undefined> {
        const { toStep, resume } = request;
        if (!requireTrust(resume ? 'Resuming a run' : 'Running a workflow')) {
            return undefined;
        }
        const { document } = target;
        const { server } = this.deps;
        const uri = document.uri.toString();
        let prepared: Prepared | Refusal;
        try {
            prepared = await server.request('kmflow/prepare', { uri, workflow: target.workflow, toStep, resume: resume !== undefined });
        } catch (err) {
            return this.fail(err, target);
        }
        if (isRefusal(prepared)) {
            return this.fail(prepared, target);
        }
        // A resume takes the journaled inputs, except those declared secret: never journaled, asked again.
        const inputs = await this.askInputs(prepared, resume !== undefined);
        if (!inputs) {
            return undefined;
        }
        const config = vscode.workspace.getConfiguration('kmflow', document.uri);
        const runId = newRunId(prepared.workflow);
        const source: RunSource = { file: prepared.file, workflow: prepared.workflow, lines: stepLines(prepared.steps), ...(toStep ? { toStep } : {}) };
        const steps = new Set(prepared.steps.map((s) => s.id));
        const restored = resume ? new Set(resume.restored.filter((id) => steps.has(id))) : new Set<string>();
        const controller = new vscode.CancellationTokenSource();
        const live = this.follow(runId, prepared, source, controller, `${toStep ? ` up to ${toStep}` : ''}`
            + `${resume ? ` · resuming ${resume.runId} (${restored.size} step(s) restored)` : ''}`, resume && { from: resume.runId, restored: [...restored] });
        try {
            const result: RunResult = await vscode.window.withProgress({
                location: vscode.ProgressLocation.Notification,
                title: `KM Flow: ${prepared.workflow}`,
                cancellable: true,
            }, async (progress, token) => {
                token.onCancellationRequested(() => controller.cancel());
                live.progress = (message, increment) => progress.report({ message, increment });
                const stop = server.listen(runId, live);
                try {
                    return await server.request('kmflow/run', {
                        uri, workflow: target.workflow, toStep, runId, inputs,
                        // Secrets stay secrets: sealed for the trip, never merged into `env`, masked however they are read.
                        ...server.seal(await this.deps.secrets.all()),
                        maxParallel: config.get<number>('maxParallel'),
                        servers: config.get('servers'),
                        ...(resume && { resume: resume.runId, ...(resume.rerunFrom !== undefined && { rerunFrom: resume.rerunFrom }) }),
                        ...(request.record !== undefined && { record: request.record }),
                    }, controller.token);
                } finally {
                    stop();
                }
            });
            live.end(result);
            if (isRefusal(result)) {
                if (resume && (result.code === 'resume-mismatch' || result.code === 'no-journal')) {
                    return this.refusedResume(result, target, toStep);
                }
                return this.fail(result, target);
            }
            return result.report;
        } catch (err) {
            live.end();
            return this.fail(err, target);
        }
    }

    /**
     * A debug run (the `kmflow` debugger's, started by its adapter) shown live as a run:
     * Cancel Run asks the server to cancel it.
     */
    followDebug(runId: string, prepared: Prepared): LiveRun {
        const controller = new vscode.CancellationTokenSource();
        controller.token.onCancellationRequested(() => this.deps.server.cancelRun(runId));
        const source: RunSource = { file: prepared.file, workflow: prepared.workflow, lines: stepLines(prepared.steps) };
        return this.follow(runId, prepared, source, controller, ' · debugging');
    }

    /** Shows run `runId` live (live-run.ts), Cancel Run through `controller`, until it ends. */
    private follow(runId: string, prepared: Prepared, source: RunSource, controller: vscode.CancellationTokenSource,
        note: string, resume?: { from: string; restored: string[] }): LiveRun {
        this.track(runId, controller);
        return followRun(this.deps, runId, prepared, source, { note, resume, onEnd: () => this.track(runId) });
    }

    /**
     * Asks for each input the server names (without a default; resuming: each declared
     * secret, which the journal never keeps), secret ones in a password box, each value
     * checked by the server as the run will convert it. Undefined when the user gives up.
     */
    async askInputs(prepared: Prepared, resuming: boolean): Promise<Record<string, string> | undefined> {
        const given: Record<string, string> = {};
        for (const input of prepared.ask) {
            const again = resuming ? ' — secrets are never journaled: enter it again to resume' : '';
            const value = await vscode.window.showInputBox({
                title: `KM Flow: input '${input.name}' of ${prepared.workflow}`,
                prompt: `${input.name}: ${input.type}${input.type === 'list' || input.type === 'object' ? ' (as JSON)' : ''}${input.secret ? ' (secret)' : ''}${again}`,
                password: input.secret === true,
                ignoreFocusOut: true,
                validateInput: (text) => this.checkInput(input, text),
            });
            if (value === undefined) {
                return undefined;
            }
            given[input.name] = value;
        }
        return given;
    }

    private async checkInput(input: InputInfo, text: string): Promise<string | undefined> {
        try {
            return (await this.deps.server.request('kmflow/checkInput', { input, text })).problem;
        } catch {
            return undefined; // the run says so, if it is wrong
        }
    }

    /** The engine refused a resume (workflow changed, no journal): say why, offer a fresh run. */
    private refusedResume(err: Refusal, target: CommandTarget, toStep: string | undefined): undefined {
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
        if (isRefusal(err)) {
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
            controller.cancel();
        }
        this.controllers.clear();
        void vscode.commands.executeCommand('setContext', 'kmflow.running', false);
    }
}

/**
 * `KM Flow: Resume Run`: picks a journaled run up where it stopped. From a tree row or
 * a run id it resumes that run; with `last` (and the usual file/workflow arguments, or
 * the active editor) the newest run of the workflow; from the palette it offers the
 * runs that did not succeed, newest first. The workflow is prepared afresh from its file
 * and run with `resume`: the engine restores the steps the journal completed and
 * refuses (with its own message) when the workflow changed since or has no journal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { vscode } from './vscode-api.js';
import type { ResumeCandidate, RunSource } from '../shared/lsp-protocol.js';
import type { RunReport } from '../shared/run-report.js';
import { workflowNames } from './core/document-outline.js';
import type { RunHistory } from './core/run-history.js';
import { describeCandidate } from './core/resume-text.js';
import type { KmflowClient } from './kmflow-client.js';
import type { RunController } from './run-controller.js';
import { isTreeRow, resolveTarget } from './workflow-target.js';

/** What Resume needs from the extension. */
export interface ResumeDeps {
    history: RunHistory;
    controller: RunController;
    server: KmflowClient;
}

function folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

/**
 * The file a run came from: its recorded source, else the one workspace file that
 * declares its workflow (runs started by `kmflow run` record no source).
 */
export async function locateRunFile(workflow: string, source: RunSource | undefined, roots = folders()): Promise<vscode.Uri | undefined> {
    for (const root of source?.file ? roots : []) {
        const candidate = path.join(root, source!.file);
        if (fs.existsSync(candidate)) {
            return vscode.Uri.file(candidate);
        }
    }
    const files = await vscode.workspace.findFiles('**/*.kmflow', '**/node_modules/**', 200);
    for (const uri of files) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        if (workflowNames(text).includes(workflow)) {
            return uri;
        }
    }
    return undefined;
}

/** The journaled run `runId` in any workspace folder (the server reads the journals). */
async function findInFolders(deps: ResumeDeps, runId: string): Promise<ResumeCandidate | undefined> {
    return (await deps.server.request('kmflow/resumable', { runId })).candidates[0];
}

/** Asks which run to resume: the runs that did not succeed, and `last` for the active editor's workflow. */
async function pickRun(deps: ResumeDeps): Promise<ResumeCandidate | 'last' | undefined> {
    const all = (await deps.server.request('kmflow/resumable', {})).candidates.filter((c) => !deps.history.isActive(c.runId));
    const editor = vscode.window.activeTextEditor;
    const hasEditor = editor?.document.languageId === 'kmflow';
    if (all.length === 0 && !hasEditor) {
        void vscode.window.showInformationMessage('KM Flow: no run to resume: every journaled run succeeded, or none ran yet.');
        return undefined;
    }
    type Item = vscode.QuickPickItem & { candidate?: ResumeCandidate };
    const items: Item[] = [
        ...(hasEditor ? [{ label: '$(history) last', description: `the newest run of the workflow in ${path.basename(editor.document.uri.fsPath)}` }] : []),
        ...all.map((c) => ({
            label: `$(debug-continue) ${c.workflow}`,
            description: describeCandidate(c),
            detail: `${c.runId} · started ${new Date(c.startedAt).toLocaleString()}`,
            candidate: c,
        })),
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Resume which run?', matchOnDescription: true, matchOnDetail: true });
    return pick ? pick.candidate ?? 'last' : undefined;
}

/** What the tree shows as restored before the run says otherwise: a rerun step is not. */
function restoredOf(done: readonly string[], options: { rerunFrom?: string }): readonly string[] {
    return options.rerunFrom === undefined ? done : done.filter((id) => id !== options.rerunFrom);
}

/** The options a caller may add as the last argument: `{ rerunFrom: STEP }` ("Rerun from here"). */
function resumeOptions(args: unknown[]): { rerunFrom?: string } {
    const last = args.at(-1);
    return last !== null && typeof last === 'object' && typeof (last as { rerunFrom?: unknown }).rerunFrom === 'string'
        ? { rerunFrom: (last as { rerunFrom: string }).rerunFrom } : {};
}

/**
 * The `kmflow.resumeRun` handler: `(row | runId | 'last', uri?, workflow?, { rerunFrom }?)`, or
 * no argument for a pick.
 */
export function createResumeCommand(deps: ResumeDeps): (...args: unknown[]) => Promise<RunReport | undefined> {
    return async (...all) => {
        const options = resumeOptions(all);
        const args = options.rerunFrom !== undefined ? all.slice(0, -1) : all;
        const [arg, ...rest] = args;
        const runId = isTreeRow(arg) ? arg.runId : typeof arg === 'string' ? arg : undefined;
        const chosen = runId === 'last' ? 'last' : runId !== undefined ? await findInFolders(deps, runId) : await pickRun(deps);
        if (chosen === undefined && runId === undefined) {
            return undefined;
        }
        if (chosen === 'last') {
            const target = await resolveTarget(rest);
            if (!target) {
                return undefined;
            }
            const uri = target.document.uri.toString();
            const [last] = (await deps.server.request('kmflow/resumable', { uri, runId: 'last', workflow: target.workflow })).candidates;
            // Without a journal the engine says so itself (no-journal).
            return deps.controller.run(target, { toStep: last?.source?.toStep, resume: { runId: last?.runId ?? 'last', restored: restoredOf(last?.done ?? [], options), ...options } });
        }
        const stored = runId ? deps.history.get(runId) : undefined;
        const workflow = chosen?.workflow ?? stored?.workflow;
        const source = chosen?.source ?? stored?.source;
        const uri = workflow ? await locateRunFile(workflow, source) : undefined;
        if (!uri || !workflow) {
            const what = workflow ? `the file of workflow '${workflow}' is gone` : `no journal for run '${runId}'`;
            void vscode.window.showErrorMessage(`KM Flow: cannot resume run '${runId ?? chosen?.runId}': ${what}.`);
            return undefined;
        }
        const document = await vscode.workspace.openTextDocument(uri);
        return deps.controller.run({ document, workflow }, {
            toStep: source?.toStep,
            resume: { runId: chosen?.runId ?? runId!, restored: restoredOf(chosen?.done ?? stored?.steps.filter((s) => s.status === 'succeeded').map((s) => s.id) ?? [], options), ...options },
        });
    };
}

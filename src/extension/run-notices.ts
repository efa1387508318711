/**
 * The notifications a run ends with when it does not succeed, or cannot start: the text
 * from `core/failure-notice.ts` and its actions — Show Details (the failed step's output
 * and error), Resume, Rerun; Go to Problem (and Set Secret) for a refused run. Every
 * notice shown is also kept (the last few) for the extension's own tests.
 */
import { vscode } from './vscode-api.js';
import type { RunReport } from '../shared/run-report.js';
import {
    GO_TO_PROBLEM, RERUN, RESUME, SET_SECRET, SHOW_DETAILS, failureNotice, refusalNotice, type RunProblem,
} from './core/failure-notice.js';

/** A notification as shown. */
export interface ShownNotice {
    severity: 'error' | 'warning' | 'info';
    text: string;
    actions: string[];
}

const KEEP = 20;
const shown: ShownNotice[] = [];

/** The last notices shown, oldest first. */
export function recentNotices(): readonly ShownNotice[] {
    return shown;
}

/** Shows a notification and keeps it; resolves to the action chosen. */
export function notify(severity: ShownNotice['severity'], text: string, actions: string[] = []): Thenable<string | undefined> {
    shown.push({ severity, text, actions });
    shown.splice(0, Math.max(0, shown.length - KEEP));
    return severity === 'error' ? vscode.window.showErrorMessage(text, ...actions)
        : severity === 'warning' ? vscode.window.showWarningMessage(text, ...actions)
            : vscode.window.showInformationMessage(text, ...actions);
}

/** Tells why a finished run did not succeed, with Show Details, Resume and Rerun. */
export function showRunFailure(report: RunReport, output: vscode.OutputChannel): void {
    const notice = failureNotice(report);
    if (!notice) {
        return;
    }
    void notify(report.status === 'cancelled' ? 'warning' : 'error', notice.text, notice.actions).then((choice) => {
        if (choice === SHOW_DETAILS) {
            if (notice.detailStep) {
                void vscode.commands.executeCommand('kmflow.openStepOutput', report.runId, notice.detailStep);
            }
            output.show(true);
        } else if (choice === RESUME) {
            void vscode.commands.executeCommand('kmflow.resumeRun', report.runId);
        } else if (choice === RERUN) {
            void vscode.commands.executeCommand('kmflow.rerun', report.runId);
        }
    });
}

/** Puts the cursor on a problem of `uri` (1-based line and column). */
async function goToProblem(uri: vscode.Uri, problem: RunProblem): Promise<void> {
    const line = Math.max(0, problem.line - 1);
    const column = Math.max(0, (problem.column ?? 1) - 1);
    const range = new vscode.Range(line, column, line, column);
    const editor = await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * Tells why a run could not start (errors in the file, a missing secret...): its first
 * problems, with Go to Problem (and Set Secret for a missing one).
 */
export function showRefusal(what: string, uri: vscode.Uri | undefined, err: { message: string; code?: string; problems: readonly RunProblem[] }, verb = 'run'): void {
    const notice = refusalNotice(what, err.problems, err.message, err.code, verb);
    const actions = uri ? notice.actions : notice.actions.filter((a) => a !== GO_TO_PROBLEM);
    void notify('error', notice.text, actions).then((choice) => {
        if (choice === GO_TO_PROBLEM && uri && err.problems[0]) {
            void goToProblem(uri, err.problems[0]);
        } else if (choice === SET_SECRET) {
            const name = /secret\.([A-Za-z_][A-Za-z0-9_]*)/.exec(err.message)?.[1];
            void vscode.commands.executeCommand('kmflow.setSecret', ...(name ? [name] : []));
        }
    });
}

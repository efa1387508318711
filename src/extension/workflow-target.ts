/**
 * What a command is about, from however it was invoked: a code lens (`[uri, workflow,
 * step]`), the editor title button (`[Uri]`), a tree row, or the palette (the active
 * editor, the workflow at the cursor, else a quick pick). Also: revealing a step.
 */
import * as path from 'node:path';
import { vscode } from './vscode-api.js';
import { outline, stepAt, workflowAt, workflowNames } from './core/document-outline.js';
import type { RunTreeRow } from './core/run-tree-model.js';
import { findStepLine } from './core/step-lens.js';

/** A kmflow document and the workflow (and step) a command works on. */
export interface CommandTarget {
    document: vscode.TextDocument;
    workflow: string;
    step?: string;
}

/** Whether a command argument is a row of the runs tree. */
export function isTreeRow(arg: unknown): arg is RunTreeRow {
    return typeof arg === 'object' && arg !== null && 'runId' in arg && 'kind' in arg;
}

async function openDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
    if (typeof arg === 'string') {
        return vscode.workspace.openTextDocument(vscode.Uri.parse(arg));
    }
    if (arg instanceof vscode.Uri) {
        return vscode.workspace.openTextDocument(arg);
    }
    const editor = vscode.window.activeTextEditor;
    return editor?.document.languageId === 'kmflow' ? editor.document : undefined;
}

/**
 * The target of a command invoked with `args`; undefined (after telling the user why)
 * when there is none. `needStep` asks for a step too (Run to Step).
 */
export async function resolveTarget(args: unknown[], needStep = false): Promise<CommandTarget | undefined> {
    const [uriArg, workflowArg, stepArg] = args;
    const document = await openDocument(uriArg);
    if (!document) {
        void vscode.window.showWarningMessage('KM Flow: open a .kmflow file first.');
        return undefined;
    }
    const text = document.getText();
    const cursor = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection.active.line : undefined;
    let workflow = typeof workflowArg === 'string' ? workflowArg : undefined;
    let step = typeof stepArg === 'string' ? stepArg : undefined;
    if (!workflow && needStep && cursor !== undefined) {
        const here = stepAt(text, cursor);
        workflow = here?.workflow;
        step = here?.step;
    }
    if (!workflow) {
        const names = workflowNames(text);
        workflow = names.length === 1 ? names[0] : (cursor !== undefined ? workflowAt(text, cursor) : undefined);
        if (!workflow && names.length > 1) {
            workflow = await vscode.window.showQuickPick(names, { placeHolder: 'Which workflow?' });
        }
        if (!workflow) {
            if (names.length === 0) {
                void vscode.window.showWarningMessage(`KM Flow: ${path.basename(document.uri.fsPath)} declares no workflow.`);
            }
            return undefined;
        }
    }
    if (needStep && !step) {
        const steps = outline(text).filter((e) => e.kind === 'step' && e.workflow === workflow).map((e) => e.name);
        step = await vscode.window.showQuickPick(steps, { placeHolder: `Run ${workflow} up to which step?` });
        if (!step) {
            return undefined;
        }
    }
    return { document, workflow, step };
}

/** Opens `uri` and puts the cursor on step `stepId` (near `line`, 1-based, if known). */
export async function revealStep(uri: vscode.Uri, stepId: string, line?: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    const found = findStepLine(document.getText(), stepId, line !== undefined ? line - 1 : undefined) ?? 0;
    const lineText = document.lineAt(found).text;
    const col = Math.max(0, lineText.indexOf(stepId));
    const range = new vscode.Range(found, col, found, col + stepId.length);
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const editor = await vscode.window.showTextDocument(document, {
        viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The workspace root of a document: its folder's, else the first folder, else its own directory. */
export function workspaceRoot(uri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** The document's path relative to its root, `/`-separated (how reports name their file). */
export function relativeFile(uri: vscode.Uri, root: string): string {
    return path.relative(root, uri.fsPath).split(path.sep).join('/');
}

/**
 * `KM Flow: Suggest Workflow`: asks for capabilities (every one the registry knows,
 * with its tool counts) and an optimisation target, then opens the suggested workflow
 * in a new untitled `kmflow` editor, ready to fill in and save. The suggestion is
 * checked first (`checkedSuggestion`): tools whose step would not check clean are left
 * out, and the user is told which and why.
 */
import * as vscode from 'vscode';
import { loadHistory } from '../engine/state/history/index.js';
import type { OptimizationTarget } from '../engine/model/model.js';
import { SUGGEST_TARGETS, capabilityChoices, checkedSuggestion, checkText } from './core/app-bridge.js';
import { visibleTools } from './core/app-bridge.js';
import { notify } from './run-notices.js';

function activeKmflow(): { uri: string; text: string } | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc?.languageId === 'kmflow' ? { uri: doc.uri.toString(), text: doc.getText() } : undefined;
}

async function pickCapabilities(choices: ReturnType<typeof capabilityChoices>): Promise<string[] | undefined> {
    const picks = await vscode.window.showQuickPick(choices.map((c) => ({
        label: c.capability,
        description: `${c.tools} tool${c.tools === 1 ? '' : 's'}${c.usable < c.tools ? ` (${c.usable} runnable)` : ''}`,
    })), { canPickMany: true, placeHolder: 'Capabilities the workflow should cover', matchOnDescription: true });
    return picks && picks.length > 0 ? picks.map((p) => p.label) : undefined;
}

async function pickTarget(): Promise<OptimizationTarget | undefined> {
    const pick = await vscode.window.showQuickPick(SUGGEST_TARGETS.map((t) => ({ label: t })), { placeHolder: 'Optimise the choice of tools for…' });
    return pick?.label;
}

/** `(capabilities?, target?)`: given both, no pick is shown. Returns the suggested source. */
export async function suggestCommand(capabilitiesArg?: unknown, targetArg?: unknown): Promise<string | undefined> {
    const { tools, workspace } = await visibleTools(activeKmflow());
    const capabilities = Array.isArray(capabilitiesArg) && capabilitiesArg.every((c) => typeof c === 'string')
        ? capabilitiesArg as string[]
        : await pickCapabilities(capabilityChoices(tools));
    if (!capabilities) {
        return undefined;
    }
    const target = typeof targetArg === 'string' && (SUGGEST_TARGETS as readonly string[]).includes(targetArg)
        ? targetArg as OptimizationTarget
        : await pickTarget();
    if (!target) {
        return undefined;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const { suggestion, text, dropped, problems } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'KM Flow: checking the suggestion' },
        async () => checkedSuggestion(capabilities, target, tools, root ? await loadHistory(root) : undefined, (text) => checkText(workspace, text)),
    );
    const doc = await vscode.workspace.openTextDocument({ language: 'kmflow', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    const notes = [
        suggestion.uncovered.length > 0 ? `no usable tool provides ${suggestion.uncovered.join(', ')}` : undefined,
        dropped.length > 0 ? `left out ${dropped.map((d) => `${d.tool} (${d.problem})`).join('; ')}: their step did not check clean` : undefined,
        problems.length > 0 ? `it still has ${problems.length} problem(s): ${problems.slice(0, 2).map((p) => `line ${p.line}: ${p.message}`).join('; ')}` : undefined,
    ].filter((n) => n !== undefined);
    if (notes.length > 0) {
        void notify('warning', `KM Flow: suggestion: ${notes.join('. ')}.`);
    }
    return text;
}

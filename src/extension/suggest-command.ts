/**
 * `KM Flow: Suggest Workflow`: asks for capabilities (every one the active document's
 * tools provide, with their tool counts: `kmflow/capabilities`) and an optimisation
 * target, then opens the suggested workflow (`kmflow/suggest`) in a new untitled
 * `kmflow` editor, ready to fill in and save. The server checks the suggestion first:
 * tools whose step would not check clean are left out, and the user is told which and why.
 */
import { vscode } from './vscode-api.js';
import type { CapabilityInfo } from '../shared/lsp-protocol.js';
import type { KmflowClient } from './kmflow-client.js';
import { notify } from './run-notices.js';

function activeKmflow(): { uri: string } | Record<string, never> {
    const doc = vscode.window.activeTextEditor?.document;
    return doc?.languageId === 'kmflow' ? { uri: doc.uri.toString() } : {};
}

async function pickCapabilities(choices: readonly CapabilityInfo[]): Promise<string[] | undefined> {
    const picks = await vscode.window.showQuickPick(choices.map((c) => ({
        label: c.capability,
        description: `${c.tools} tool${c.tools === 1 ? '' : 's'}${c.usable < c.tools ? ` (${c.usable} runnable)` : ''}`,
    })), { canPickMany: true, placeHolder: 'Capabilities the workflow should cover', matchOnDescription: true });
    return picks && picks.length > 0 ? picks.map((p) => p.label) : undefined;
}

async function pickTarget(targets: readonly string[]): Promise<string | undefined> {
    const pick = await vscode.window.showQuickPick(targets.map((t) => ({ label: t })), { placeHolder: 'Optimise the choice of tools for…' });
    return pick?.label;
}

/** `(capabilities?, target?)`: given both, no pick is shown. Returns the suggested source. */
export async function suggestCommand(server: KmflowClient, capabilitiesArg?: unknown, targetArg?: unknown): Promise<string | undefined> {
    const active = activeKmflow();
    const { capabilities: choices, targets } = await server.request('kmflow/capabilities', active);
    const capabilities = Array.isArray(capabilitiesArg) && capabilitiesArg.every((c) => typeof c === 'string')
        ? capabilitiesArg as string[]
        : await pickCapabilities(choices);
    if (!capabilities) {
        return undefined;
    }
    const target = typeof targetArg === 'string' && targets.includes(targetArg) ? targetArg : await pickTarget(targets);
    if (!target) {
        return undefined;
    }
    const { text, uncovered, dropped, problems } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'KM Flow: checking the suggestion' },
        () => server.request('kmflow/suggest', { ...active, capabilities, target }),
    );
    const doc = await vscode.workspace.openTextDocument({ language: 'kmflow', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    const notes = [
        uncovered.length > 0 ? `no usable tool provides ${uncovered.join(', ')}` : undefined,
        dropped.length > 0 ? `left out ${dropped.map((d) => `${d.tool} (${d.problem})`).join('; ')}: their step did not check clean` : undefined,
        problems.length > 0 ? `it still has ${problems.length} problem(s): ${problems.slice(0, 2).map((p) => `line ${p.line}: ${p.message}`).join('; ')}` : undefined,
    ].filter((n) => n !== undefined);
    if (notes.length > 0) {
        void notify('warning', `KM Flow: suggestion: ${notes.join('. ')}.`);
    }
    return text;
}

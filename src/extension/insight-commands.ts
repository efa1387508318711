/**
 * Plan, Analyze, Optimize, Suggest and Show Tools: thin handlers over `core/insights.ts`
 * and the tool registry, so later issues swap in the engine's real planner and
 * optimizer without touching the UI. None of them runs anything: they work in
 * Restricted Mode too.
 */
import * as vscode from 'vscode';
import type { ToolDescriptor } from '../engine/model.js';
import { analysisMarkdown, optimizeMessage, planMarkdown, suggestMessage } from './core/insights.js';
import type { RunHistory } from './core/run-history.js';
import { RunRequestError, prepareWorkflowRun, type PreparedWorkflowRun } from './core/run-preparation.js';
import { loadWorkflowText } from './core/workflow-loader.js';
import { relativeFile, resolveTarget, workspaceRoot } from './workflow-target.js';

async function prepared(args: unknown[]): Promise<PreparedWorkflowRun | undefined> {
    const target = await resolveTarget(args);
    if (!target) {
        return undefined;
    }
    const file = relativeFile(target.document.uri, workspaceRoot(target.document.uri));
    try {
        return await prepareWorkflowRun({ uri: target.document.uri.toString(), text: target.document.getText(), workflow: target.workflow }, file);
    } catch (err) {
        void vscode.window.showErrorMessage(`KM Flow: ${err instanceof RunRequestError ? err.message : String(err)}`);
        return undefined;
    }
}

/** Opens markdown in the preview (or as text where no preview exists). */
async function showMarkdown(content: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    try {
        await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    } catch {
        await vscode.window.showTextDocument(doc, { preview: true });
    }
}

/** `KM Flow: Plan`: levels and critical path; returns the markdown. */
export async function planCommand(...args: unknown[]): Promise<string | undefined> {
    const p = await prepared(args);
    if (!p) {
        return undefined;
    }
    const md = planMarkdown(p.workflow, p.registry);
    await showMarkdown(md);
    return md;
}

/** `KM Flow: Analyze`: graph shape, bottleneck candidates, security, warnings. */
export async function analyzeCommand(...args: unknown[]): Promise<string | undefined> {
    const p = await prepared(args);
    if (!p) {
        return undefined;
    }
    const warnings = (p.loaded.document.diagnostics ?? [])
        .filter((d) => d.severity === 2)
        .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    const md = analysisMarkdown(p.workflow, p.registry, warnings);
    await showMarkdown(md);
    return md;
}

/** `KM Flow: Optimize`: needs measured history (not kept by this engine version yet). */
export async function optimizeCommand(history: RunHistory, ...args: unknown[]): Promise<string | undefined> {
    const target = await resolveTarget(args);
    if (!target) {
        return undefined;
    }
    const runs = history.all().filter((r) => r.workflow === target.workflow).length;
    const message = optimizeMessage(target.workflow, runs);
    void vscode.window.showInformationMessage(`KM Flow: ${message}`);
    return message;
}

/** `KM Flow: Suggest Workflow`: asks for capabilities; the planner is a later issue. */
export async function suggestCommand(): Promise<string | undefined> {
    const text = await vscode.window.showInputBox({
        title: 'KM Flow: Suggest Workflow', prompt: 'Capabilities to cover, comma-separated (e.g. macro_discovery, notify)',
    });
    if (text === undefined) {
        return undefined;
    }
    const message = suggestMessage(text.split(',').map((c) => c.trim()).filter(Boolean));
    void vscode.window.showInformationMessage(`KM Flow: ${message}`);
    return message;
}

/** `KM Flow: Show Tools`: every tool the active file can see (or the bundled ones). */
export async function showToolsCommand(): Promise<ToolDescriptor[]> {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document.languageId === 'kmflow' ? editor.document : undefined;
    const loaded = await loadWorkflowText(doc?.uri.toString() ?? 'untitled:/tools.kmflow', doc?.getText() ?? 'import "km"\n');
    const tools = loaded.services.tools.ToolIndex.visibleTools(loaded.document);
    const pick = await vscode.window.showQuickPick(tools.map((t) => ({
        label: t.id,
        description: [t.via ? `via ${t.via.server}` : 'no implementation', `security ${t.security}`, t.status].filter(Boolean).join(' · '),
        detail: t.title ?? t.description,
        tool: t,
    })), { placeHolder: `${tools.length} tools: pick one to see its descriptor`, matchOnDescription: true, matchOnDetail: true });
    if (pick) {
        const content = JSON.stringify(pick.tool, null, 2);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'json', content }), { preview: true });
    }
    return tools;
}

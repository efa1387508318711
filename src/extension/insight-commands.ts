/**
 * Plan, Analyze, Show Metrics and Show Tools: thin handlers over `core/` and the
 * engine, all reading the workspace's measured history (`.kmflow/metrics`) where it
 * helps. None of them runs anything: they work in Restricted Mode too.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { historyFile, loadHistory } from '../engine/history/index.js';
import type { ToolDescriptor } from '../engine/model.js';
import { analysisMarkdown } from './core/insights.js';
import { monitorMarkdown, monitorOf } from './core/monitor-markdown.js';
import { planWithHistory } from './core/plan-markdown.js';
import { RunRequestError, prepareWorkflowRun, type PreparedWorkflowRun } from './core/run-preparation.js';
import { loadWorkflowText } from './core/workflow-loader.js';
import { relativeFile, resolveTarget, workspaceRoot, type CommandTarget } from './workflow-target.js';

/** A command's target, prepared (loaded, checked), with its workspace root. */
export interface PreparedTarget {
    target: CommandTarget;
    prepared: PreparedWorkflowRun;
    root: string;
}

/** Resolves and prepares the target of `args`; undefined (after saying why) when there is none. */
export async function prepareTarget(args: unknown[]): Promise<PreparedTarget | undefined> {
    const target = await resolveTarget(args);
    if (!target) {
        return undefined;
    }
    const root = workspaceRoot(target.document.uri);
    const file = relativeFile(target.document.uri, root);
    try {
        const prepared = await prepareWorkflowRun({ uri: target.document.uri.toString(), text: target.document.getText(), workflow: target.workflow }, file);
        return { target, prepared, root };
    } catch (err) {
        void vscode.window.showErrorMessage(`KM Flow: ${err instanceof RunRequestError ? err.message : String(err)}`);
        return undefined;
    }
}

/** Opens markdown in the preview (or as text where no preview exists). */
export async function showMarkdown(content: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    try {
        await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    } catch {
        await vscode.window.showTextDocument(doc, { preview: true });
    }
}

/** `KM Flow: Plan`: levels, per-step predicted start and duration (measured where history has them), cache prediction, critical path; returns the markdown. */
export async function planCommand(...args: unknown[]): Promise<string | undefined> {
    const t = await prepareTarget(args);
    if (!t) {
        return undefined;
    }
    try {
        const { markdown } = await planWithHistory({
            workflow: t.prepared.workflow, registry: t.prepared.registry, root: t.root, history: await loadHistory(t.root), env: process.env,
        });
        await showMarkdown(markdown);
        return markdown;
    } catch (err) {
        void vscode.window.showErrorMessage(`KM Flow: could not plan ${t.target.workflow}: ${(err as Error).message}`);
        return undefined;
    }
}

/** `KM Flow: Analyze`: graph shape, bottleneck candidates, security, warnings. */
export async function analyzeCommand(...args: unknown[]): Promise<string | undefined> {
    const t = await prepareTarget(args);
    if (!t) {
        return undefined;
    }
    const warnings = (t.prepared.loaded.document.diagnostics ?? [])
        .filter((d) => d.severity === 2)
        .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    const md = analysisMarkdown(t.prepared.workflow, t.prepared.registry, warnings);
    await showMarkdown(md);
    return md;
}

/** The root Show Metrics reads: the active editor's folder, else the first folder. */
function metricsRoot(arg: unknown): string | undefined {
    if (typeof arg === 'string' || arg instanceof vscode.Uri) {
        return workspaceRoot(typeof arg === 'string' ? vscode.Uri.parse(arg) : arg);
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) {
        return workspaceRoot(editor.document.uri);
    }
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** `KM Flow: Show Metrics`: health score, per-tool p50/p95, bottlenecks from `.kmflow/metrics`; returns the markdown. */
export async function monitorCommand(arg?: unknown): Promise<string | undefined> {
    const root = metricsRoot(arg);
    if (!root) {
        void vscode.window.showWarningMessage('KM Flow: open a workspace folder first: metrics live in its .kmflow folder.');
        return undefined;
    }
    const md = monitorMarkdown(monitorOf(await loadHistory(root)), path.relative(root, path.dirname(historyFile(root))));
    await showMarkdown(md);
    return md;
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

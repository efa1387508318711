/**
 * Plan, Analyze, Show Metrics and Show Tools: thin handlers over `core/` and the
 * engine, all reading the workspace's measured history (`.kmflow/metrics`) where it
 * helps. None of them runs anything: they work in Restricted Mode too. What they show
 * is a read-only view document (`insight-documents.ts`), one per kind and workflow.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { historyFile, loadHistory } from '../engine/state/history/index.js';
import type { ToolDescriptor } from '../engine/model/model.js';
import { analysisMarkdown } from './core/insights.js';
import { monitorMarkdown, monitorOf } from './core/monitor-markdown.js';
import { planWithHistory } from './core/plan-markdown.js';
import { RunRequestError, prepareWorkflowRun, type PreparedWorkflowRun } from './core/app-bridge.js';
import { visibleTools } from './core/app-bridge.js';
import { InsightDocuments, type InsightKind } from './insight-documents.js';
import { notify, showRefusal } from './run-notices.js';
import { relativeFile, resolveTarget, workspaceRoot, type CommandTarget } from './workflow-target.js';

/** A command's target, prepared (loaded, checked), with its workspace root. */
export interface PreparedTarget {
    target: CommandTarget;
    prepared: PreparedWorkflowRun;
    root: string;
}

/**
 * Resolves and prepares the target of `args`; undefined (after saying why, with Go to
 * Problem, in the words of `verb`) when there is none.
 */
export async function prepareTarget(args: unknown[], verb = 'prepare'): Promise<PreparedTarget | undefined> {
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
        if (err instanceof RunRequestError) {
            showRefusal(target.workflow, target.document.uri, err, verb);
        } else {
            void notify('error', `KM Flow: cannot ${verb} ${target.workflow}: ${String(err)}`);
        }
        return undefined;
    }
}

/** Shows markdown of `kind` for the target's workflow in its view document (the preview where there is one). */
export async function showMarkdown(t: PreparedTarget, kind: InsightKind, content: string): Promise<vscode.TextDocument> {
    return InsightDocuments.show(InsightDocuments.uriOf(kind, t.prepared.workflow.id, relativeFile(t.target.document.uri, t.root)), content);
}

/** `KM Flow: Plan`: levels, per-step predicted start and duration (measured where history has them), cache prediction, critical path; returns the markdown. */
export async function planCommand(...args: unknown[]): Promise<string | undefined> {
    const t = await prepareTarget(args, 'plan');
    if (!t) {
        return undefined;
    }
    try {
        const { markdown } = await planWithHistory({
            workflow: t.prepared.workflow, registry: t.prepared.registry, root: t.root, history: await loadHistory(t.root), env: process.env,
        });
        await showMarkdown(t, 'plan', markdown);
        return markdown;
    } catch (err) {
        void notify('error', `KM Flow: could not plan ${t.target.workflow}: ${(err as Error).message}`);
        return undefined;
    }
}

/** `KM Flow: Analyze`: graph shape, bottleneck candidates, security, warnings. */
export async function analyzeCommand(...args: unknown[]): Promise<string | undefined> {
    const t = await prepareTarget(args, 'analyze');
    if (!t) {
        return undefined;
    }
    const warnings = (t.prepared.loaded.document.diagnostics ?? [])
        .filter((d) => d.severity === 2)
        .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    const md = analysisMarkdown(t.prepared.workflow, t.prepared.registry, warnings, await loadHistory(t.root));
    await showMarkdown(t, 'analysis', md);
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
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    await InsightDocuments.show(InsightDocuments.uriOf('metrics', 'metrics', several ? root : ''), md);
    return md;
}

/** `KM Flow: Show Tools`: every tool the active file can see (or the bundled ones). */
export async function showToolsCommand(): Promise<ToolDescriptor[]> {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document.languageId === 'kmflow' ? editor.document : undefined;
    const { tools } = await visibleTools(doc && { uri: doc.uri.toString(), text: doc.getText() });
    const pick = await vscode.window.showQuickPick(tools.map((t) => ({
        label: t.id,
        description: [t.via ? `via ${t.via.server}` : 'no implementation', `security ${t.security}`, t.status].filter(Boolean).join(' · '),
        detail: t.title ?? t.description,
        tool: t,
    })), { placeHolder: `${tools.length} tools: pick one to see its descriptor`, matchOnDescription: true, matchOnDetail: true });
    if (pick) {
        await InsightDocuments.show(InsightDocuments.uriOf('tool', pick.tool.id), `${JSON.stringify(pick.tool, null, 2)}\n`);
    }
    return tools;
}

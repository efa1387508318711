/**
 * Plan, Analyze, Show Metrics and Show Tools: thin handlers that ask the language
 * server (`kmflow/plan`, `kmflow/analyze`, `kmflow/metrics`, `kmflow/tools`), which
 * renders the markdown from the document it has validated and the workspace's measured
 * history (`.kmflow/metrics`). None of them runs anything: they work in Restricted Mode
 * too. What they show is a read-only view document (`insight-documents.ts`), one per
 * kind and workflow.
 */
import { vscode } from './vscode-api.js';
import { isRefusal, type Refusal, type TargetParams, type ToolInfo } from '../shared/lsp-protocol.js';
import { previewLinks } from './core/preview-links.js';
import { InsightDocuments, type InsightKind } from './insight-documents.js';
import type { KmflowClient } from './kmflow-client.js';
import { notify, showRefusal } from './run-notices.js';
import { resolveTarget, type CommandTarget } from './workflow-target.js';

/** A command's target, and what the server answered for it. */
export interface Answered<T> {
    target: CommandTarget;
    answer: T;
}

/**
 * Resolves the target of `args` and asks the server `ask` about it; undefined (after
 * saying why, with Go to Problem, in the words of `verb`) when there is none or it
 * cannot be prepared.
 */
export async function askAboutTarget<T extends object>(args: unknown[], verb: string,
    ask: (params: TargetParams) => PromiseLike<T | Refusal>): Promise<Answered<T> | undefined> {
    const target = await resolveTarget(args);
    if (!target) {
        return undefined;
    }
    try {
        const answer = await ask({ uri: target.document.uri.toString(), workflow: target.workflow });
        if (isRefusal(answer)) {
            showRefusal(target.workflow, target.document.uri, answer, verb);
            return undefined;
        }
        return { target, answer };
    } catch (err) {
        void notify('error', `KM Flow: cannot ${verb} ${target.workflow}: ${(err as Error).message}`);
        return undefined;
    }
}

/**
 * Shows markdown of `kind` for a workflow of `file` in its view document (the preview where
 * there is one), its step links made to open the step's line from the preview.
 */
export async function showMarkdown(kind: InsightKind, workflow: string, file: string, content: string): Promise<vscode.TextDocument> {
    const links = previewLinks(content, vscode.workspace.workspaceFolders?.[0]?.uri.toString());
    return InsightDocuments.show(InsightDocuments.uriOf(kind, workflow, file), links);
}

/** A markdown view of the target: the server renders it, the command shows it and returns it. */
async function markdownCommand(server: KmflowClient, args: unknown[], kind: 'plan' | 'analysis'): Promise<string | undefined> {
    const method = kind === 'plan' ? 'kmflow/plan' : 'kmflow/analyze';
    const t = await askAboutTarget(args, kind === 'plan' ? 'plan' : 'analyze', (params) => server.request(method, params));
    if (!t) {
        return undefined;
    }
    await showMarkdown(kind, t.answer.workflow, t.answer.file, t.answer.markdown);
    return t.answer.markdown;
}

/** `KM Flow: Plan`: levels, per-step predicted start and duration (measured where history has them), cache prediction, critical path; returns the markdown. */
export function planCommand(server: KmflowClient, ...args: unknown[]): Promise<string | undefined> {
    return markdownCommand(server, args, 'plan');
}

/** `KM Flow: Analyze`: graph shape, bottleneck candidates, security, warnings. */
export function analyzeCommand(server: KmflowClient, ...args: unknown[]): Promise<string | undefined> {
    return markdownCommand(server, args, 'analysis');
}

/** The document or folder Show Metrics reads: the argument, else the active editor's, else the first folder. */
function metricsUri(arg: unknown): string | undefined {
    if (typeof arg === 'string' || arg instanceof vscode.Uri) {
        return arg.toString();
    }
    const editor = vscode.window.activeTextEditor;
    if (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) {
        return editor.document.uri.toString();
    }
    return vscode.workspace.workspaceFolders?.[0]?.uri.toString();
}

/** `KM Flow: Show Metrics`: health score, per-tool p50/p95, bottlenecks from `.kmflow/metrics`; returns the markdown. */
export async function monitorCommand(server: KmflowClient, arg?: unknown): Promise<string | undefined> {
    const uri = metricsUri(arg);
    const { root, markdown } = uri ? await server.request('kmflow/metrics', { uri }) : {};
    if (!root || markdown === undefined) {
        void vscode.window.showWarningMessage('KM Flow: open a workspace folder first: metrics live in its .kmflow folder.');
        return undefined;
    }
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    await InsightDocuments.show(InsightDocuments.uriOf('metrics', 'metrics', several ? root : ''), markdown);
    return markdown;
}

/** `KM Flow: Show Tools`: every tool the active file can see (or the bundled ones). */
export async function showToolsCommand(server: KmflowClient): Promise<ToolInfo[]> {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document.languageId === 'kmflow' ? editor.document : undefined;
    const { tools } = await server.request('kmflow/tools', doc ? { uri: doc.uri.toString() } : {});
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

/**
 * Plan, Analyze, Optimize, Show Metrics and Show Tools render into read-only virtual
 * documents (`kmflow-view:`), one URI per kind and workflow (`/pipeline.plan.md?file=…`):
 * never an untitled buffer that asks to be saved. Showing a kind again replaces its
 * content in place (`onDidChange`), so an open preview refreshes instead of a new tab.
 */
import { vscode } from './vscode-api.js';

export const VIEW_SCHEME = 'kmflow-view';

/** What a view document shows. */
export type InsightKind = 'plan' | 'analysis' | 'optimize' | 'metrics' | 'tool';

/** The content of every view document shown in this window. */
export class InsightDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private static instance: InsightDocuments | undefined;
    private readonly contents = new Map<string, string>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    /** Registers the provider; `show` uses it. */
    static register(context: vscode.ExtensionContext): InsightDocuments {
        const docs = new InsightDocuments();
        InsightDocuments.instance = docs;
        context.subscriptions.push(docs, vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, docs));
        return docs;
    }

    /**
     * The URI of a kind for a workflow (or, for metrics, a workspace folder; for a tool, its
     * id); `scope` (the file, the root) keeps two workflows of the same name apart.
     */
    static uriOf(kind: InsightKind, name: string, scope = ''): vscode.Uri {
        const file = kind === 'metrics' ? 'metrics.md' : kind === 'tool' ? `${name}.json` : `${name}.${kind}.md`;
        return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${file.replace(/[/\\]/g, '_')}`, query: scope ? `scope=${encodeURIComponent(scope)}` : '' });
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.contents.get(uri.toString())
            ?? '# KM Flow\n\nThis view is rendered on demand and is gone after a reload: run its command (Plan, Analyze, Optimize, Show Metrics, Show Tools) again.\n';
    }

    /** Sets a document's content, refreshing it (and its preview) where it is open. */
    set(uri: vscode.Uri, content: string): void {
        this.contents.set(uri.toString(), content);
        this.changed.fire(uri);
    }

    dispose(): void {
        this.changed.dispose();
        this.contents.clear();
    }

    /** Renders `content` at `uri` and shows it: markdown in the preview, else read-only text. */
    static async show(uri: vscode.Uri, content: string): Promise<vscode.TextDocument> {
        const docs = InsightDocuments.instance;
        if (!docs) {
            throw new Error('the KM Flow view documents are not registered');
        }
        docs.set(uri, content);
        const doc = await vscode.workspace.openTextDocument(uri);
        if (doc.languageId === 'markdown') {
            try {
                await vscode.commands.executeCommand('markdown.showPreview', uri);
                return doc;
            } catch {
                // No markdown preview in this editor: show the text.
            }
        }
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc;
    }
}

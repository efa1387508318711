/**
 * The graph webview panel (Show Graph, and opened live on Run): one panel at a time
 * (`createOrShow`), restored after a reload (`revive`), every listener in its
 * disposables. Unless pinned, it follows the active `.kmflow` editor (and a save of the
 * file on show). A ReplayBook keeps the graph on show and each workflow's latest run, so
 * a reloaded page, or one that switches back to a workflow, catches up. The page's
 * details pane asks for Open in editor, Rerun from here, Resume run and Copy.
 */
import * as path from 'node:path';
import { vscode } from './vscode-api.js';
import { workflowAt, workflowNames } from './core/document-outline.js';
import type { RunHistory } from './core/run-history.js';
import { graphWebviewHtml } from './core/webview-html.js';
import type { KmflowClient } from './kmflow-client.js';
import { isRefusal } from '../shared/lsp-protocol.js';
import { isWebviewMessage, type HostMessage, type StepActionMessage, type WebviewMessage } from '../shared/messages.js';
import { ReplayBook } from '../shared/replay.js';

/** Called when a node is clicked: reveal step `stepId` of the graph's document. */
export type RevealStep = (uri: string | undefined, stepId: string) => void;

export class GraphPanel {
    static readonly viewType = 'kmflow.graph';
    static current: GraphPanel | undefined;
    /** The runs so far, for the last run of a workflow the panel follows to (set on activation). */
    static history: RunHistory | undefined;
    /** The language server, which prepares the graph of a workflow it follows to (set on activation). */
    static server: KmflowClient | undefined;

    private readonly disposables: vscode.Disposable[] = [];
    private readonly book = new ReplayBook();
    private ready = false;
    private pinned = false;
    private notice = '';
    private pendingStep?: string;
    private followSeq = 0;

    /** Shows the panel (creating it if needed) beside the editor. */
    static createOrShow(extensionUri: vscode.Uri, onReveal: RevealStep, preserveFocus = true): GraphPanel {
        if (GraphPanel.current) {
            GraphPanel.current.panel.reveal(undefined, preserveFocus);
            return GraphPanel.current;
        }
        const panel = vscode.window.createWebviewPanel(GraphPanel.viewType, 'KM Flow Graph',
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, GraphPanel.options(extensionUri));
        GraphPanel.current = new GraphPanel(panel, extensionUri, onReveal);
        return GraphPanel.current;
    }

    /** Restores a panel VS Code kept across a reload: it shows the active editor's workflow. */
    static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, onReveal: RevealStep): void {
        panel.webview.options = GraphPanel.options(extensionUri);
        GraphPanel.current = new GraphPanel(panel, extensionUri, onReveal);
        void GraphPanel.current.follow(vscode.window.activeTextEditor?.document);
    }

    private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
        return {
            enableScripts: true,
            retainContextWhenHidden: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out'), vscode.Uri.joinPath(extensionUri, 'media')],
        };
    }

    private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly onReveal: RevealStep) {
        const webview = panel.webview;
        webview.html = graphWebviewHtml({
            cspSource: webview.cspSource,
            scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview.js')).toString(),
            styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
        });
        panel.onDidDispose(() => this.dispose(), null, this.disposables);
        webview.onDidReceiveMessage((message: unknown) => {
            if (isWebviewMessage(message)) {
                this.receive(message);
            }
        }, null, this.disposables);
        vscode.window.onDidChangeActiveTextEditor((editor) => void this.follow(editor?.document), null, this.disposables);
        vscode.workspace.onDidSaveTextDocument((document) => {
            if (document.uri.toString() === this.book.graph?.uri) {
                void this.follow(document, true);
            }
        }, null, this.disposables);
    }

    /** The workflow the panel shows. */
    get workflow(): string | undefined {
        return this.book.graph?.workflow;
    }

    /** Whether the page has loaded and answered. */
    get isReady(): boolean {
        return this.ready;
    }

    /** Whether the panel keeps its workflow instead of following the active editor. */
    get isPinned(): boolean {
        return this.pinned;
    }

    /** Sends a message, remembering what a reloaded page needs to catch up. */
    post(message: HostMessage): void {
        const out = this.book.record(message);
        if (message.type === 'graph' && this.book.graph === message) {
            this.panel.title = `KM Flow: ${message.workflow}`;
        }
        out.forEach((m) => this.send(m));
    }

    /** Opens the details pane of step `stepId` (e.g. from a runs tree row or a lens). */
    showStep(stepId: string): void {
        this.pendingStep = stepId;
        this.send({ type: 'show-step', stepId });
    }

    /** Pins the panel to its workflow, or lets it follow the active editor again. */
    setPinned(pinned: boolean): void {
        this.pinned = pinned;
        this.send({ type: 'pin', pinned });
        if (!pinned) {
            void this.follow(vscode.window.activeTextEditor?.document);
        }
    }

    private send(message: HostMessage): void {
        if (this.ready) {
            void this.panel.webview.postMessage(message);
        }
    }

    private receive(message: WebviewMessage): void {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                [{ type: 'pin', pinned: this.pinned } as HostMessage, { type: 'notice', text: this.notice } as HostMessage, ...this.book.replay()]
                    .forEach((m) => this.send(m));
                if (this.pendingStep) {
                    this.send({ type: 'show-step', stepId: this.pendingStep });
                }
                break;
            case 'reveal-step':
                this.onReveal(this.book.graph?.uri, message.stepId);
                break;
            case 'pin':
                this.setPinned(message.pinned);
                break;
            case 'copy':
                void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage('KM Flow: copied', 2500));
                break;
            case 'step-action':
                void this.runAction(message);
                break;
        }
    }

    /**
     * Resume run: the run's own Resume (a run that succeeded runs again). Rerun from here: a
     * resume in which the step and every step after it run again, even if they completed,
     * while the journal restores what came before.
     */
    private async runAction(message: StepActionMessage): Promise<unknown> {
        if (message.action === 'rerun-from' && message.stepId) {
            return vscode.commands.executeCommand('kmflow.resumeRun', message.runId, { rerunFrom: message.stepId });
        }
        const report = this.book.report(message.runId) ?? GraphPanel.history?.get(message.runId);
        return vscode.commands.executeCommand(report && report.status !== 'succeeded' ? 'kmflow.resumeRun' : 'kmflow.rerun', message.runId);
    }

    private setNotice(text: string): void {
        if (text !== this.notice) {
            this.notice = text;
            this.send({ type: 'notice', text });
        }
    }

    /**
     * Shows the workflow of `document` (a `.kmflow` editor that became active, or the file
     * on show when saved), unless pinned. A file that does not check leaves the graph on
     * show, with a notice saying why.
     */
    async follow(document: vscode.TextDocument | undefined, refresh = false): Promise<void> {
        if (this.pinned || !document || document.languageId !== 'kmflow') {
            return;
        }
        const uri = document.uri.toString();
        const shown = this.book.graph;
        if (!refresh && shown?.uri === uri) {
            return;
        }
        const seq = ++this.followSeq;
        const text = document.getText();
        const names = workflowNames(text);
        const editor = vscode.window.activeTextEditor;
        const atCursor = editor?.document === document ? workflowAt(text, editor.selection.active.line) : undefined;
        const workflow = shown?.uri === uri && names.includes(shown.workflow) ? shown.workflow : atCursor ?? names[0];
        const file = path.basename(document.uri.fsPath);
        const still = shown ? `; still showing ${shown.workflow}` : '';
        if (!workflow) {
            this.setNotice(`${file} declares no workflow${still}.`);
            return;
        }
        try {
            const folder = vscode.workspace.getWorkspaceFolder(document.uri);
            const last = folder && !this.book.hasRun()
                ? GraphPanel.history?.latestFinished(path.relative(folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/'), workflow)
                : undefined;
            // The last run's measured critical path, else the predicted one (over the folder's history).
            const prepared = await GraphPanel.server?.request('kmflow/prepare', { uri, workflow, ...(last && { report: last }) });
            if (!prepared) {
                throw new Error('the KM Flow language server is not running');
            }
            if (isRefusal(prepared)) {
                throw new Error(prepared.message);
            }
            const graph = prepared.graph;
            if (seq !== this.followSeq || this.pinned) {
                return;
            }
            this.setNotice('');
            this.post(graph);
            if (last) {
                this.post({ type: 'report', report: last });
            }
        } catch (err) {
            if (seq === this.followSeq) {
                this.setNotice(`${(err as Error).message}${still}.`);
            }
        }
    }

    dispose(): void {
        GraphPanel.current = undefined;
        this.panel.dispose();
        while (this.disposables.length > 0) {
            this.disposables.pop()?.dispose();
        }
    }
}

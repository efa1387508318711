/**
 * The graph webview panel (Show Graph, and opened live on Run): one panel at a time
 * (`createOrShow`), restored after a reload (`revive`), every listener in its
 * disposables. It keeps the last graph and the current run's events, and replays them
 * when the page says `ready`, so a reloaded or late page catches up.
 */
import * as vscode from 'vscode';
import type { RunReport } from '../engine/run-types.js';
import { graphWebviewHtml } from './core/webview-html.js';
import { isWebviewMessage, type GraphMessage, type HostMessage } from '../shared/messages.js';

/** Called when a node is clicked: reveal step `stepId` of the graph's document. */
export type RevealStep = (uri: string | undefined, stepId: string) => void;

export class GraphPanel {
    static readonly viewType = 'kmflow.graph';
    static current: GraphPanel | undefined;

    private readonly disposables: vscode.Disposable[] = [];
    private graph?: GraphMessage;
    private replay: HostMessage[] = [];
    private ready = false;

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

    /** Restores a panel VS Code kept across a reload. */
    static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, onReveal: RevealStep): void {
        panel.webview.options = GraphPanel.options(extensionUri);
        GraphPanel.current = new GraphPanel(panel, extensionUri, onReveal);
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
            if (!isWebviewMessage(message)) {
                return;
            }
            if (message.type === 'ready') {
                this.ready = true;
                for (const m of this.replay) {
                    void webview.postMessage(m);
                }
            } else {
                this.onReveal(this.graph?.uri, message.stepId);
            }
        }, null, this.disposables);
    }

    /** The workflow the panel shows. */
    get workflow(): string | undefined {
        return this.graph?.workflow;
    }

    /** Whether the page has loaded and answered. */
    get isReady(): boolean {
        return this.ready;
    }

    /** Sends a message, remembering what a reloaded page needs to catch up. */
    post(message: HostMessage): void {
        if (message.type === 'graph') {
            const sameWorkflow = this.graph?.workflow === message.workflow && this.graph.uri === message.uri;
            this.graph = message;
            // The graph goes first: the page lays it out, then replays the run onto it.
            this.replay = sameWorkflow ? [message, ...this.replay.filter((m) => m.type !== 'graph')] : [message];
            this.panel.title = `KM Flow: ${message.workflow}`;
        } else if (message.type === 'run-event' && message.event.type === 'run-started') {
            this.replay = [...(this.graph ? [this.graph] : []), message];
        } else if (message.type === 'report' || (message.type === 'run-event' && message.event.type === 'run-finished')) {
            // A finished run is its report: no need to replay every event.
            const report = message.type === 'report' ? message.report : (message.event as { report: RunReport }).report;
            this.replay = [...(this.graph ? [this.graph] : []), { type: 'report', report }];
        } else {
            this.replay.push(message);
        }
        if (this.ready) {
            void this.panel.webview.postMessage(message);
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

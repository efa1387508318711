/**
 * The VS Code extension's entry (bundled to `out/extension.cjs`): the language client,
 * the runs tree, the graph panel, the commands, the lenses and the status bar. Every
 * registration goes into `context.subscriptions`. The only folder that imports `vscode`.
 */
// First: it notes when the bundle started evaluating.
import { activationTimes, sinceLoaded, type ActivationTimes } from './activation-timing.js';
import { vscode } from './vscode-api.js';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { registerCatalogDocuments } from './catalog-content-provider.js';
import { RunHistory } from './core/run-history.js';
import { readRuns } from './core/run-store.js';
import { GraphPanel, type RevealStep } from './graph-panel.js';
import { analyzeCommand, monitorCommand, planCommand, showToolsCommand } from './insight-commands.js';
import { InsightDocuments } from './insight-documents.js';
import { KmflowClient } from './kmflow-client.js';
import { startLanguageClient } from './language-client.js';
import { optimizeCommand } from './optimize-command.js';
import { debugWorkflowCommand, registerDebugger } from './debug-adapter-factory.js';
import { createRunCommands } from './run-commands.js';
import { RunController } from './run-controller.js';
import { recentNotices, type ShownNotice } from './run-notices.js';
import { RunStatusBar } from './run-status-bar.js';
import { RunsTreeProvider } from './runs-tree-provider.js';
import { createRunsViewCommands } from './runs-view-commands.js';
import { SecretStore } from './secret-store.js';
import { StepOutputProvider, OUTPUT_SCHEME } from './step-output-provider.js';
import { StepStatusLensProvider } from './step-status-lens-provider.js';
import { suggestCommand } from './suggest-command.js';
import { createTestCommands } from './test-commands.js';
import { KmflowTestController } from './test-controller.js';
import { revealStep } from './workflow-target.js';

let client: LanguageClient | undefined;
activationTimes.evaluated = performance.now();

// Every question about a workflow, and every run, goes to the language server: its client
// starts as soon as the bundle is evaluated, not when VS Code calls `activate`. Between the
// two VS Code readies the extension's context (its storage, over IPC from the window),
// 45-245 ms in the real VS Code measured here, and the server's process starts meanwhile. Nothing
// the client needs comes from the context: the server is the bundle beside this one.
const server = new KmflowClient();
const started = startLanguageClient(__dirname, server);
activationTimes.clientStarting = performance.now();
// Awaited, and a failure reported, by `activate`.
started.catch(() => undefined);

/** What `activate` returns: handles for the extension's own tests. */
export interface KmflowExtensionApi {
    history: RunHistory;
    runsTree: RunsTreeProvider;
    graphPanel(): GraphPanel | undefined;
    client(): LanguageClient | undefined;
    /** The last notifications the run commands showed (text and actions), oldest first. */
    notices(): readonly ShownNotice[];
    /** The Test Explorer's controller (its items, each test's last outcome). */
    tests: KmflowTestController;
    /** When activation reached each point (activation-timing.ts). */
    activation: ActivationTimes;
}

/** Reads the stored reports of every workspace folder into the history. */
async function loadHistory(history: RunHistory): Promise<void> {
    const all = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => readRuns(f.uri.fsPath)));
    history.load(all.flat());
}

export async function activate(context: vscode.ExtensionContext): Promise<KmflowExtensionApi> {
    activationTimes.activated = performance.now();
    // The language client is already starting (above); everything else is set up meanwhile.
    const output = vscode.window.createOutputChannel('KM Flow');
    const history = new RunHistory();
    GraphPanel.history = history; // the graph panel shows the last run of a workflow it follows to
    GraphPanel.server = server;
    const statusBar = new RunStatusBar();
    const secrets = new SecretStore(context.secrets);
    const onReveal: RevealStep = (uri, stepId) => {
        if (uri) {
            const lines = GraphPanel.current ? history.all().find((r) => r.workflow === GraphPanel.current?.workflow)?.source?.lines : undefined;
            void revealStep(vscode.Uri.parse(uri), stepId, lines?.[stepId]);
        }
    };
    const controller = new RunController({ extensionUri: context.extensionUri, history, output, statusBar, secrets, onReveal, server });
    const runsTree = new RunsTreeProvider(history);
    const lenses = new StepStatusLensProvider(history);
    const tests = new KmflowTestController(server);
    context.subscriptions.push(output, statusBar, controller, runsTree, lenses, tests);

    registerCatalogDocuments(context, server);
    InsightDocuments.register(context);
    const runsView = vscode.window.createTreeView('kmflow.runs', { treeDataProvider: runsTree, showCollapseAll: true });
    void vscode.commands.executeCommand('setContext', 'kmflow.running', false);
    context.subscriptions.push(
        vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, new StepOutputProvider(history)),
        runsView,
        vscode.languages.registerCodeLensProvider({ language: 'kmflow', scheme: 'file' }, lenses),
        vscode.window.registerWebviewPanelSerializer(GraphPanel.viewType, {
            deserializeWebviewPanel: async (panel) => GraphPanel.revive(panel, context.extensionUri, onReveal),
        }),
        { dispose: () => GraphPanel.current?.dispose() },
        ...registerDebugger({ server, secrets, controller }),
    );

    const commands: Record<string, (...args: unknown[]) => unknown> = {
        ...createRunCommands({ extensionUri: context.extensionUri, history, controller, secrets, onReveal, server }),
        ...createTestCommands({ history, controller, tests }),
        ...createRunsViewCommands({ history, tree: runsTree, view: runsView, reload: () => loadHistory(history) }),
        'kmflow.plan': (...args) => planCommand(server, ...args),
        'kmflow.analyze': (...args) => analyzeCommand(server, ...args),
        'kmflow.optimize': (...args) => optimizeCommand(server, ...args),
        'kmflow.suggest': (...args) => suggestCommand(server, ...args),
        'kmflow.monitor': (arg) => monitorCommand(server, arg),
        'kmflow.showTools': () => showToolsCommand(server),
        'kmflow.refreshRuns': () => loadHistory(history),
        'kmflow.debugWorkflow': (...args) => debugWorkflowCommand(...args),
    };
    for (const [id, handler] of Object.entries(commands)) {
        context.subscriptions.push(vscode.commands.registerCommand(id, handler));
    }

    const watcher = vscode.workspace.createFileSystemWatcher('**/.kmflow/runs/*.report.json');
    let reload: ReturnType<typeof setTimeout> | undefined;
    const scheduleReload = (): void => {
        clearTimeout(reload);
        reload = setTimeout(() => void loadHistory(history), 300);
    };
    context.subscriptions.push(watcher, watcher.onDidCreate(scheduleReload), watcher.onDidDelete(scheduleReload),
        { dispose: () => clearTimeout(reload) });

    const loaded = loadHistory(history).catch((err: Error) => output.appendLine(`the run history could not be read: ${err.message}`));
    try {
        client = await started;
        activationTimes.clientRunning = performance.now();
        output.appendLine(`activated: the language client started ${sinceLoaded(activationTimes.clientStarting)} ms after the extension ` +
            `began to load (activate called at ${sinceLoaded(activationTimes.activated)} ms), its server answered at ${sinceLoaded(activationTimes.clientRunning)} ms`);
        context.subscriptions.push({ dispose: () => void client?.stop() });
        tests.refreshAll().catch((err: Error) => output.appendLine(`the tests could not be listed: ${err.message}`));
        // Started untrusted; once trust is granted, a restart lets it list servers' tools live.
        context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
            client?.restart().catch((err: Error) => output.appendLine(`the language server did not restart: ${err.message}`));
        }));
    } catch (err) {
        output.appendLine(`the language server did not start: ${(err as Error).message}`);
    }
    await loaded;
    return { history, runsTree, graphPanel: () => GraphPanel.current, client: () => client, notices: recentNotices, tests, activation: activationTimes };
}

export async function deactivate(): Promise<void> {
    await client?.stop();
    client = undefined;
}

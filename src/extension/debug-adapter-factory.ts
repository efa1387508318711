/**
 * The `kmflow` debugger in VS Code: the debug type's configuration (a launch with no
 * `program` debugs the active `.kmflow` file; Restricted Mode debugs nothing, as it runs
 * nothing), its inline adapter (the protocol handling is `core/debug-adapter.ts`), and
 * the Debug Workflow command behind the workflow lens's `Debug`.
 */
import { vscode } from './vscode-api.js';
import { KmflowDebugAdapter, type DapMessage, type KmflowLaunch } from './core/debug-adapter.js';
import type { KmflowClient } from './kmflow-client.js';
import { requireTrust, type RunController } from './run-controller.js';
import type { SecretStore } from './secret-store.js';
import { resolveTarget } from './workflow-target.js';

export const DEBUG_TYPE = 'kmflow';

export interface DebuggerDeps {
    server: KmflowClient;
    secrets: SecretStore;
    controller: RunController;
}

/** VS Code's side of one adapter: messages in and out through an event. */
class InlineAdapter implements vscode.DebugAdapter {
    private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
    readonly onDidSendMessage = this.sent.event;
    private readonly core: KmflowDebugAdapter;

    constructor(deps: DebuggerDeps) {
        this.core = new KmflowDebugAdapter({
            server: deps.server,
            send: (m) => this.sent.fire(m),
            secrets: async () => deps.server.seal(await deps.secrets.all()),
            askInputs: (prepared) => deps.controller.askInputs(prepared, false),
            // The runs view, the graph and the status bar follow it as they follow a run.
            follow: (runId, prepared) => deps.controller.followDebug(runId, prepared),
        });
    }

    handleMessage(message: vscode.DebugProtocolMessage): void {
        this.core.handleMessage(message as DapMessage);
    }

    dispose(): void {
        this.core.dispose();
        this.sent.dispose();
    }
}

/** Registers the debug type's adapter and configuration provider. */
export function registerDebugger(deps: DebuggerDeps): vscode.Disposable[] {
    return [
        vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
            createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new InlineAdapter(deps)),
        }),
        vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
            resolveDebugConfiguration: (_folder, config) => {
                if (!requireTrust('Debugging a workflow')) {
                    return undefined;
                }
                if (!config.type && !config.request) {
                    // F5 with no launch.json: the active file.
                    Object.assign(config, { type: DEBUG_TYPE, request: 'launch', name: 'Debug workflow' });
                }
                if (!config.program) {
                    const editor = vscode.window.activeTextEditor;
                    if (editor?.document.languageId !== 'kmflow') {
                        void vscode.window.showWarningMessage('KM Flow: open a .kmflow file to debug it.');
                        return undefined;
                    }
                    config.program = editor.document.uri.fsPath;
                }
                return config;
            },
        }),
    ];
}

/**
 * Debug Workflow (`[uri, workflow]` from the lens): starts a `kmflow` debug session of
 * that workflow; it stops on entry unless the file has a breakpoint.
 */
export async function debugWorkflowCommand(...args: unknown[]): Promise<boolean> {
    if (!requireTrust('Debugging a workflow')) {
        return false;
    }
    const target = await resolveTarget(args);
    if (!target) {
        return false;
    }
    const uri = target.document.uri;
    const hasBreakpoint = vscode.debug.breakpoints.some((b) => b.enabled && b instanceof vscode.SourceBreakpoint && b.location.uri.toString() === uri.toString());
    const launch: KmflowLaunch & vscode.DebugConfiguration = {
        type: DEBUG_TYPE, request: 'launch', name: `Debug ${target.workflow}`,
        program: uri.fsPath, uri: uri.toString(), workflow: target.workflow, stopOnEntry: !hasBreakpoint,
    };
    return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), launch);
}

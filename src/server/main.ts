/**
 * The language server process: the same Langium services as `kmflow check`, over LSP,
 * plus the `kmflow/…` requests (src/shared/lsp-protocol.ts) through which the editor
 * prepares, draws, plans and runs workflows with the server's own, already validated
 * documents. Started by the VS Code client (`out/language-server.cjs`, IPC) and by
 * `kmflow lsp --stdio` for any other editor. Runs happen here, in this process (the
 * engine is asynchronous: language features keep answering while a run waits on its
 * tools); untrusted, it starts no process, contacts no server and runs nothing (see
 * language/live-server-tools.ts and requests/run.ts).
 */
import { URI } from 'langium';
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { createKmflowServices } from '../language/kmflow-module.js';
import { resolveTrust, startLiveServerTools, UNTRUSTED, type Trust } from '../language/live-server-tools.js';
import { messageGuard, rejectMalformedRequests } from '../language/lsp/message-guard.js';
import type { ServerContext } from './context.js';
import { KMFLOW_SHAPES, registerKmflowRequests } from './requests/index.js';
import { takeSessionKey } from './secret-seal.js';
import { publishWithVersions } from './versioned-diagnostics.js';

/**
 * Starts the server on the transport named by the process arguments (`--stdio`, `--node-ipc`),
 * checking the shape of every message the client sends (lsp/message-guard.ts).
 * `granted` is the trust given on the command line (`kmflow lsp --trusted`); the client's
 * `initializationOptions.trusted` overrides it either way.
 */
export function startKmflowLanguageServer(granted: Trust = UNTRUSTED): void {
    const sessionKey = takeSessionKey();
    // Every incoming message is checked first: a malformed one must not reach Langium.
    const connection = createConnection(ProposedFeatures.all, {
        messageStrategy: messageGuard((line) => connection.console.warn(line), KMFLOW_SHAPES),
    });
    rejectMalformedRequests(connection);
    const { shared, Kmflow } = createKmflowServices({ connection, ...NodeFileSystem });
    publishWithVersions(connection, shared);
    startLiveServerTools(shared, Kmflow, granted);
    let trust = granted;
    let folders: string[] = [];
    shared.lsp.LanguageServer.onInitialize((params) => {
        trust = resolveTrust(params.initializationOptions, granted);
        const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
        folders = uris.map((u) => URI.parse(u)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    });
    const ctx: ServerContext = {
        services: Kmflow,
        trusted: () => trust.spawn,
        folders: () => folders,
        ready: () => shared.workspace.WorkspaceManager.ready,
        notify: (method, params) => void connection.sendNotification(method, params),
        runs: new Map(),
        sessionKey,
    };
    registerKmflowRequests(connection, ctx);
    startLanguageServer(shared);
}

// Run directly as the bundled `out/language-server-main.cjs` (launch.ts, out/language-server.cjs,
// runs it with a code cache and calls startKmflowLanguageServer itself).
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) {
    startKmflowLanguageServer();
}

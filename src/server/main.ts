/**
 * The language server: the same Langium services as `kmflow check`, over LSP. Started by
 * the VS Code client (IPC) and by `kmflow lsp --stdio` for any other editor. It starts no
 * process and contacts no server unless trusted (see live-server-tools.ts).
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { createKmflowServices } from './kmflow-module.js';
import { startLiveServerTools, UNTRUSTED, type Trust } from './live-server-tools.js';
import { messageGuard, rejectMalformedRequests } from './lsp/message-guard.js';

/**
 * Starts the server on the transport named by the process arguments (`--stdio`, `--node-ipc`),
 * checking the shape of every message the client sends (lsp/message-guard.ts).
 * `granted` is the trust given on the command line (`kmflow lsp --trusted`); the client's
 * `initializationOptions.trusted` overrides it either way.
 */
export function startKmflowLanguageServer(granted: Trust = UNTRUSTED): void {
    // Every incoming message is checked first: a malformed one must not reach Langium.
    const connection = createConnection(ProposedFeatures.all, { messageStrategy: messageGuard((line) => connection.console.warn(line)) });
    rejectMalformedRequests(connection);
    const { shared, Kmflow } = createKmflowServices({ connection, ...NodeFileSystem });
    startLiveServerTools(shared, Kmflow, granted);
    startLanguageServer(shared);
}

// Run directly as the bundled `out/language-server.cjs`.
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) {
    startKmflowLanguageServer();
}

/**
 * The language client: starts `out/language-server.cjs` (the same Langium services as
 * `kmflow check`) over Node IPC. Its trace level follows `kmflow.trace.server` (the
 * client id is `kmflow`). The server learns the workspace's trust from
 * `initializationOptions.trusted`, read at every (re)start: untrusted, it starts no MCP
 * server to list its tools. Its lens and inlay hint settings (`kmflow.lenses.steps`,
 * `kmflow.inlayHints.enabled`) it asks for itself: `workspace/configuration` of section
 * `kmflow`, then `workspace/didChangeConfiguration`, which this client sends on the
 * server's registration (lsp/editor-settings.ts). The server process gets a session key
 * in its environment, under which the run requests seal their secrets (secret-seal.ts);
 * the `kmflow/…` requests go through `kmflow` (kmflow-client.ts). The server keeps its V8 code
 * cache where the CLI keeps its own (the user's cache folder, src/server/code-cache-files.ts;
 * KMFLOW_COMPILE_CACHE names another): the client starts before VS Code hands the extension
 * its context (main.ts), so the extension's storage folder is not known yet.
 */
import * as path from 'node:path';
import { vscode } from './vscode-api.js';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import type { KmflowClient } from './kmflow-client.js';
import { newSessionKey, SESSION_KEY_VARIABLE } from './secret-seal.js';

/**
 * Starts the client and attaches `kmflow` to it; the returned client is stopped on
 * deactivation. `outDir` is the folder of the extension's bundles (`out/`).
 */
export async function startLanguageClient(outDir: string, kmflow: KmflowClient): Promise<LanguageClient> {
    const module = path.join(outDir, 'language-server.cjs');
    const sessionKey = newSessionKey();
    const env: NodeJS.ProcessEnv = { ...process.env, [SESSION_KEY_VARIABLE]: sessionKey.toString('base64') };
    const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc, options: { env } },
        debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: 'kmflow' }],
        synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.kmflow') },
        initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    };
    const client = new LanguageClient('kmflow', 'KM Flow Language Server', serverOptions, clientOptions);
    kmflow.attach(client, sessionKey);
    await client.start();
    return client;
}

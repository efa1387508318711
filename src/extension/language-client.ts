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
 * cache in the extension's global storage (KMFLOW_COMPILE_CACHE).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import type { KmflowClient } from './kmflow-client.js';
import { newSessionKey, SESSION_KEY_VARIABLE } from './secret-seal.js';

/** Starts the client and attaches `kmflow` to it; the returned client is stopped on deactivation. */
export async function startLanguageClient(context: vscode.ExtensionContext, kmflow: KmflowClient): Promise<LanguageClient> {
    const module = context.asAbsolutePath('out/language-server.cjs');
    const sessionKey = newSessionKey();
    const env: NodeJS.ProcessEnv = { ...process.env, [SESSION_KEY_VARIABLE]: sessionKey.toString('base64') };
    // The server's code cache (src/server/launch.ts): in the extension's storage, not in its
    // install folder, which may be read-only and is replaced on update; the user's own wins.
    env.KMFLOW_COMPILE_CACHE ??= path.join(context.globalStorageUri.fsPath, 'code-cache');
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

/**
 * The language server's request handlers in this process, over the real Langium
 * services and a real workspace folder on disk: documents are "opened" as an LSP
 * `didOpen` does it (the text documents, then a workspace update), and notifications
 * are collected instead of sent. The handlers, the app layer and the engine are the real
 * ones; over a real connection see test/lsp/kmflow-requests.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createKmflowServices } from '../../src/language/kmflow-module.js';
import type { ServerContext } from '../../src/server/context.js';
import { isRefusal, type KmflowNotifications, type Refusal } from '../../src/shared/lsp-protocol.js';
import type { RunEvent } from '../../src/shared/run-report.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/extension');

export interface TestServer {
    ctx: ServerContext;
    root: string;
    /** The notifications the handlers sent, in order. */
    notes: Array<{ method: keyof KmflowNotifications; params: unknown }>;
    /** The events of run `runId` sent so far. */
    events(runId: string): RunEvent[];
    /** Writes `text` to `root/name` (and, given `editorText`, opens it in the "editor" with that text); its URI. */
    file(name: string, text: string, editorText?: string): Promise<string>;
    /** Opens (or edits) a document in the "editor": what the server sees, unsaved. */
    open(uri: string, text: string): Promise<void>;
    dispose(): void;
}

/** A server over a fresh temporary workspace folder (or `root`), trusted unless told. */
export async function startTestServer(options: { trusted?: boolean; root?: string; sessionKey?: Buffer } = {}): Promise<TestServer> {
    const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-server-'));
    const { shared, Kmflow } = createKmflowServices(NodeFileSystem);
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ uri: pathToFileURL(root).toString(), name: 'ws' }]);
    const notes: TestServer['notes'] = [];
    const ctx: ServerContext = {
        services: Kmflow,
        trusted: () => options.trusted ?? true,
        folders: () => [root],
        ready: () => Promise.resolve(),
        notify: (method, params) => notes.push({ method, params }),
        runs: new Map(),
        sessionKey: options.sessionKey,
    };
    const texts = shared.workspace.TextDocuments as unknown as { set(document: TextDocument): boolean; get(uri: string): TextDocument | undefined };
    const open = async (uri: string, text: string): Promise<void> => {
        texts.set(TextDocument.create(uri, 'kmflow', (texts.get(uri)?.version ?? 0) + 1, text));
        await shared.workspace.WorkspaceLock.write((cancel) => shared.workspace.DocumentBuilder.update([URI.parse(uri)], [], cancel));
    };
    return {
        ctx, root, notes, open,
        events: (runId) => notes.filter((n) => n.method === 'kmflow/runEvent' && (n.params as { runId: string }).runId === runId)
            .map((n) => (n.params as { event: RunEvent }).event),
        async file(name, text, editorText) {
            const file = path.join(root, name);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
            const uri = pathToFileURL(file).toString();
            if (editorText !== undefined) {
                await open(uri, editorText);
            }
            return uri;
        },
        dispose: () => {
            if (!options.root) {
                fs.rmSync(root, { recursive: true, force: true });
            }
        },
    };
}

/** A fixture's text (test/fixtures/extension). */
export function fixtureText(name: string): string {
    return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Asserts a result is not a refusal, with its message when it is. */
export function ok<T>(result: T): Exclude<T, Refusal> {
    if (isRefusal(result)) {
        throw new Error(`refused: ${result.message}`);
    }
    return result as Exclude<T, Refusal>;
}

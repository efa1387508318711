/**
 * A small LSP client over a real connection: spawns `node bin/kmflow lsp --stdio`, speaks
 * JSON-RPC to it, and collects the diagnostics it publishes. Tests and `bench/lsp.ts` use it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-languageserver-protocol/node.js';
import type {
    CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, InlayHint,
    Location, LocationLink, Position, PublishDiagnosticsParams, Range, SemanticTokens, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class LspClient {
    readonly connection: MessageConnection;
    readonly child: ChildProcessWithoutNullStreams;
    readonly stderr: string[] = [];
    /** The messages of `window/logMessage`. */
    readonly logs: string[] = [];
    /** The code lens and inlay hint refresh requests the server sent, in order. */
    readonly refreshes: string[] = [];
    /** What `workspace/configuration` answers, by section (null for others). */
    configuration: Record<string, unknown> = {};
    private readonly diagnostics = new Map<string, { count: number; items: Diagnostic[]; version?: number }>();
    private readonly waiters: Array<() => void> = [];
    private readonly versions = new Map<string, number>();
    exited = false;

    private constructor(child: ChildProcessWithoutNullStreams) {
        this.child = child;
        child.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
        // A write racing the server's exit must not crash the test process.
        child.stdin.on('error', () => undefined);
        child.on('exit', () => {
            this.exited = true;
        });
        this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
        this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
            this.diagnostics.set(p.uri, { count: (this.diagnostics.get(p.uri)?.count ?? 0) + 1, items: p.diagnostics, version: p.version });
            this.waiters.splice(0).forEach((w) => w());
        });
        this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
            p.items.map((i) => (i.section !== undefined ? this.configuration[i.section] : undefined) ?? null));
        for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
            this.connection.onRequest(method, () => {
                this.refreshes.push(method);
                return null;
            });
        }
        this.connection.onRequest('client/registerCapability', () => null);
        this.connection.onRequest('window/workDoneProgress/create', () => null);
        this.connection.onNotification('window/logMessage', (p: { message: string }) => {
            this.logs.push(p.message);
        });
        this.connection.listen();
    }

    /**
     * Starts the server with `rootDir` as its workspace folder (none when undefined); `args`
     * go after `lsp --stdio` (e.g. `--trusted`), `initializationOptions` into `initialize`,
     * `env` into the server process's environment; `bin` is another build's `bin/kmflow`
     * (the benchmarks measure one beside this one).
     */
    static async start(
        rootDir?: string,
        options: {
            args?: string[]; initializationOptions?: unknown; configuration?: Record<string, unknown>; env?: Record<string, string>; bin?: string;
        } = {},
    ): Promise<LspClient> {
        const args = [options.bin ?? path.join(ROOT, 'bin/kmflow'), 'lsp', '--stdio', ...(options.args ?? [])];
        const child = spawn(process.execPath, args, { cwd: rootDir ?? ROOT, env: { ...process.env, ...options.env } });
        const client = new LspClient(child);
        client.configuration = options.configuration ?? {};
        const rootUri = rootDir ? pathToFileURL(rootDir).toString() : null;
        await client.connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri,
            initializationOptions: options.initializationOptions,
            workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
            capabilities: {
                textDocument: {
                    publishDiagnostics: { versionSupport: true },
                    completion: { completionItem: { snippetSupport: false, labelDetailsSupport: true } },
                    hover: { contentFormat: ['markdown'] },
                    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
                    semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
                    inlayHint: {},
                    rename: { prepareSupport: true },
                },
                workspace: { workspaceFolders: true, configuration: true },
            },
        });
        client.connection.sendNotification('initialized', {});
        return client;
    }

    /** Changes the settings: what `workspace/configuration` answers, and tells the server. */
    async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
        this.configuration = settings;
        await this.connection.sendNotification('workspace/didChangeConfiguration', { settings });
    }

    async stop(): Promise<void> {
        if (!this.exited) {
            try {
                await withTimeout(this.connection.sendRequest('shutdown'), 2000);
                await this.connection.sendNotification('exit');
                await withTimeout(new Promise<void>((resolve) => this.child.once('exit', () => resolve())), 2000);
            } catch {
                // The server may already be gone; kill it below.
            }
        }
        this.connection.dispose();
        this.child.kill();
    }

    /** Opens a document; returns a ticket for `diagnosticsAfter`. */
    open(uri: string, text: string): number {
        this.versions.set(uri, 1);
        const ticket = this.published(uri);
        this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kmflow', version: 1, text } });
        return ticket;
    }

    /** How many times diagnostics of `uri` were published so far. */
    published(uri: string): number {
        return this.diagnostics.get(uri)?.count ?? 0;
    }

    /** Sends one change (a full text, or a range edit); returns a ticket for `diagnosticsAfter`. */
    change(uri: string, change: string | { range: Range; text: string }): number {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        const ticket = this.published(uri);
        const contentChanges = [typeof change === 'string' ? { text: change } : change];
        this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
        return ticket;
    }

    /** The diagnostics of `uri` published last (none yet: empty). */
    lastDiagnostics(uri: string): Diagnostic[] {
        return this.diagnostics.get(uri)?.items ?? [];
    }

    /** The document version the last diagnostics of `uri` said they were for (undefined: none said). */
    publishedVersion(uri: string): number | undefined {
        return this.diagnostics.get(uri)?.version;
    }

    /** The version of `uri` the last `open` or `change` sent. */
    version(uri: string): number | undefined {
        return this.versions.get(uri);
    }

    /** The document version the diagnostics of `uri` published last say they are for (servers may not say). */
    lastDiagnosticsVersion(uri: string): number | undefined {
        return this.diagnostics.get(uri)?.version;
    }

    /**
     * The diagnostics of `uri` published after the ticket an `open` or `change` returned;
     * with `version`, the first of them that is for that version or a later one (a
     * publication that names no version counts, as it did before servers said).
     */
    async diagnosticsAfter(uri: string, ticket: number, timeoutMs = 20_000, version?: number): Promise<Diagnostic[]> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const got = this.diagnostics.get(uri);
            if (got && got.count > ticket && (version === undefined || got.version === undefined || got.version >= version)) {
                return got.items;
            }
            if (Date.now() > deadline) {
                throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`);
            }
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }

    completion(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionItem[]> {
        const context = triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 };
        return this.connection.sendRequest<CompletionList | CompletionItem[] | null>('textDocument/completion',
            { textDocument: { uri }, position, context }).then((r) => (Array.isArray(r) ? r : r?.items ?? []));
    }

    hover(uri: string, position: Position): Promise<Hover | null> {
        return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    }

    definition(uri: string, position: Position): Promise<Array<Location | LocationLink> | Location | null> {
        return this.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position });
    }

    references(uri: string, position: Position, includeDeclaration = true): Promise<Location[] | null> {
        return this.connection.sendRequest('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration } });
    }

    rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
        return this.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position, newName });
    }

    formatting(uri: string): Promise<TextEdit[] | null> {
        return this.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    }

    codeLens(uri: string): Promise<CodeLens[] | null> {
        return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    }

    inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
        return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
    }

    codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[] | null> {
        return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
    }

    documentSymbols(uri: string): Promise<DocumentSymbol[] | null> {
        return this.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    }

    semanticTokens(uri: string): Promise<SemanticTokens | null> {
        return this.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } });
    }
}

/** The position of the `n`-th (0-based) occurrence of `needle` in `text`, plus `shift` characters. */
export function positionOf(text: string, needle: string, shift = 0, n = 0): Position {
    let index = -1;
    for (let i = 0; i <= n; i++) {
        index = text.indexOf(needle, index + 1);
        if (index < 0) {
            throw new Error(`'${needle}' not found`);
        }
    }
    return offsetToPosition(text, index + shift);
}

export function offsetToPosition(text: string, offset: number): Position {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
    const offsets = edits.map((e) => ({ start: positionToOffset(text, e.range.start), end: positionToOffset(text, e.range.end), text: e.newText }))
        .sort((a, b) => b.start - a.start);
    let result = text;
    for (const e of offsets) {
        result = result.slice(0, e.start) + e.text + result.slice(e.end);
    }
    return result;
}

export function positionToOffset(text: string, position: Position): number {
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < position.line && i < lines.length; i++) {
        offset += lines[i]!.length + 1;
    }
    return offset + position.character;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    return Promise.race([promise, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

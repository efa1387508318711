/**
 * What every `kmflow/…` request handler works with: the server's own Langium services
 * (the documents the editor has open, synchronised and validated), the session's trust,
 * its workspace folders, and the runs going on. A handler finds its document here,
 * waits until it is validated, and opens the application layer's Workspace over the
 * same services, rooted at the workspace folder holding it, so what it prepares, plans
 * or runs is what the editor shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentState, URI, type LangiumDocument } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { checked, Workspace, type CheckedFile } from '../app/index.js';
import { DENIED, makeTrust, TRUSTED, type Capability, type Trust } from '../engine/security/index.js';
import type { KmflowServices } from '../language/kmflow-module.js';
import type { KmflowNotifications } from '../shared/lsp-protocol.js';

export interface ServerContext {
    readonly services: KmflowServices;
    /** Whether the client trusts the workspace (`initializationOptions.trusted`, `--trusted`): runs need it. */
    trusted(): boolean;
    /** The workspace folders' paths, from `initialize`. */
    folders(): string[];
    /** Resolves once the workspace is indexed (Langium's WorkspaceManager.ready). */
    ready(): Promise<void>;
    /** Sends a notification to the client. */
    notify<M extends keyof KmflowNotifications>(method: M, params: KmflowNotifications[M]): void;
    /** The runs going on, by run id: aborting one cancels it. */
    readonly runs: Map<string, AbortController>;
    /** The key the client sealed its secrets under (secret-seal.ts), if it gave one. */
    readonly sessionKey?: Buffer;
}

const HOW = 'trust the workspace (Workspaces: Manage Workspace Trust)';
const GRANT: Record<Capability, string> = { spawn: HOW, shell: HOW, network: HOW, outsideRoot: HOW };

/**
 * The Trust of a run the server starts: a trusted workspace may do everything a run can
 * (start its servers, run `shell`, reach the network, read the environment); an
 * untrusted one nothing, and each denial says to trust the workspace.
 */
export function runTrust(trusted: boolean): Trust {
    return makeTrust({ ...(trusted ? TRUSTED : DENIED), grant: GRANT });
}

/** The workspace root of a document: the folder holding it, else the first folder, else its own directory. */
export function rootOf(ctx: ServerContext, uri: string): string {
    const parsed = URI.parse(uri);
    const file = parsed.scheme === 'file' ? parsed.fsPath : undefined;
    const folders = ctx.folders();
    const holding = file && folders
        .filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
        .sort((a, b) => b.length - a.length)[0];
    return holding || folders[0] || (file ? path.dirname(file) : process.cwd());
}

/** The document's path relative to `root`, `/`-separated (how reports and messages name it). */
export function relativeFile(uri: string, root: string): string {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') {
        return path.posix.basename(parsed.path) || uri;
    }
    return path.relative(root, parsed.fsPath).split(path.sep).join('/');
}

/** The application layer's workspace over the server's services, rooted at `root`. */
export function workspaceAt(ctx: ServerContext, root: string): Workspace {
    return Workspace.open({ root, trust: runTrust(ctx.trusted()), services: ctx.services });
}

/**
 * The document `uri` once validated: as the editor has it when open, else read from
 * disk into the workspace (as opening it would). A workspace file the editor never
 * opened is only indexed at start-up: it is built as an edit would build it. Throws
 * when cancelled or unreadable.
 */
export async function documentOf(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<LangiumDocument> {
    await ctx.ready();
    const parsed = URI.parse(uri);
    const { LangiumDocuments, DocumentBuilder, WorkspaceLock, TextDocuments } = ctx.services.shared.workspace;
    const known = LangiumDocuments.getDocument(parsed);
    // Just opened, it may wait for the workspace lock still: it is the editor's all the same.
    const opened = TextDocuments?.get(uri) !== undefined;
    if (!known && !opened && (parsed.scheme !== 'file' || !fs.existsSync(parsed.fsPath))) {
        throw new Error(`${uri} is not open in the editor, nor a file`);
    }
    if (!known || known.state < DocumentState.Validated) {
        await WorkspaceLock.write((cancel) => DocumentBuilder.update([parsed], [], cancel));
    }
    await DocumentBuilder.waitUntil(DocumentState.Validated, parsed, token);
    const document = LangiumDocuments.getDocument(parsed);
    if (!document || document.parseResult.value.$type === 'INVALID') {
        throw new Error(`${uri} cannot be read`);
    }
    return document;
}

/** A validated document as the application layer checks it, with its workspace. */
export interface OpenTarget {
    root: string;
    file: string;
    workspace: Workspace;
    checked: CheckedFile;
}

export async function openTarget(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<OpenTarget> {
    const document = await documentOf(ctx, uri, token);
    const root = rootOf(ctx, uri);
    const file = relativeFile(uri, root);
    return { root, file, workspace: workspaceAt(ctx, root), checked: checked(file, document) };
}

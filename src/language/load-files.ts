/**
 * Loads `.kmflow` files from disk for the command line and the MCP face: the bundled
 * catalogs, the files asked for and everything they import, then builds and validates
 * them. Files that cannot be used (missing, a folder, binary, too large) come back as
 * problems, one clear line each, never as exceptions.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { KmflowServices } from './kmflow-module.js';
import { isDocument, type Document } from './generated/ast.js';
import { BUNDLED_CATALOGS, bundledCatalog, isCatalogUri, resolveImport, type BundledCatalog } from './catalogs.js';
import { createCatalogDocuments } from './kmflow-workspace-manager.js';
import { declaredServers } from './prepare-run.js';
import { serverContextFiles } from './workspace-context.js';

/** Larger files are refused: no workflow is this big, and parsing it would stall the CLI. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface FileProblem {
    file: string;
    message: string;
}

export interface LoadOptions {
    /**
     * Workspace root: its `.kmflow/schemas.lock.json` describes the servers' tools, and its
     * files that declare servers are loaded as context (server declarations are
     * workspace-wide, as in the language server).
     */
    root?: string;
    /** Also ask the declared servers for their tools now (`check --live`). */
    live?: boolean;
    /**
     * Documents given as text (an editor's unsaved buffer, an MCP call's source): loaded
     * as if they were these files, after the `files` asked for; their imports come from disk.
     */
    sources?: ReadonlyArray<{ file: string; text: string }>;
    /**
     * Load every bundled catalog, imported or not (what `kmflow tools` lists and a
     * suggestion picks from). Otherwise `std` and only the catalogs the documents use:
     * those they import, and those bound to a server they declare (the declarations are
     * compared with what the server publishes); parsing `km` costs more than most files.
     */
    allCatalogs?: boolean;
    /** Called once every document is parsed, before they are linked and checked (the CLI collects garbage there). */
    afterParse?: () => void;
}

export interface LoadedFiles {
    /** The documents of the files asked for, in order (those that could be read). */
    documents: Array<{ file: string; document: LangiumDocument }>;
    problems: FileProblem[];
    /** Why the schema lock could not be read, when it exists but is broken. */
    lockError?: string;
}

/** Reads one file as kmflow source, or says in one line why it cannot. */
export async function readSource(file: string): Promise<{ text: string } | { problem: string }> {
    let stat;
    try {
        stat = await fs.stat(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return { problem: code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})` };
    }
    if (stat.isDirectory()) {
        return { problem: 'is a directory, not a .kmflow file' };
    }
    if (stat.size > MAX_FILE_BYTES) {
        return { problem: `is too large (${(stat.size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB)` };
    }
    let bytes: Buffer;
    try {
        bytes = await fs.readFile(file);
    } catch (err) {
        return { problem: `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    if (bytes.includes(0)) {
        return { problem: 'is binary, not kmflow text' };
    }
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD') && !bytes.toString('latin1').includes('\uFFFD')) {
        return { problem: 'is not UTF-8 text' };
    }
    return { text };
}

export async function loadFiles(services: KmflowServices, files: string[], options: LoadOptions = {}): Promise<LoadedFiles> {
    const shared = services.shared;
    const langiumDocuments = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    const addCatalogs = (which: (c: BundledCatalog) => boolean): void => {
        for (const doc of createCatalogDocuments(factory, (c) => which(c) && !langiumDocuments.hasDocument(c.uri))) {
            langiumDocuments.addDocument(doc);
        }
    };
    addCatalogs((c) => c.name === 'std' || Boolean(options.allCatalogs));
    const result: LoadedFiles = { documents: [], problems: [] };
    const queue: Array<{ file: string; requested: boolean; text?: string }> = [
        ...files.map((file) => ({ file, requested: true })),
        ...(options.sources ?? []).map((s) => ({ ...s, requested: true })),
    ];
    const seen = new Set<string>();
    if (options.root) {
        const requested = new Set(files.map((file) => path.resolve(file)));
        queue.push(...(await serverContextFiles(options.root, requested)).map((c) => ({ ...c, requested: false })));
    }
    while (queue.length > 0) {
        const { file, requested, text } = queue.shift()!;
        const uri = URI.file(path.resolve(file));
        if (seen.has(uri.toString()) || (!requested && langiumDocuments.hasDocument(uri))) {
            continue;
        }
        seen.add(uri.toString());
        const source = text !== undefined ? { text } : await readSource(file);
        if ('problem' in source) {
            // An unreadable import is reported by the importing document's check.
            if (requested) {
                result.problems.push({ file, message: source.problem });
            }
            continue;
        }
        const document = factory.fromString(source.text, uri);
        langiumDocuments.addDocument(document);
        if (requested) {
            result.documents.push({ file, document });
        }
        const root = document.parseResult.value;
        for (const imp of isDocument(root) ? root.imports : []) {
            const target = imp.path ? resolveImport(uri, imp.path) : undefined;
            if (target?.scheme === 'file') {
                queue.push({ file: target.fsPath, requested: false });
            }
        }
    }
    const used = usedCatalogs(langiumDocuments.all.map((d) => d.parseResult.value).filter(isDocument));
    addCatalogs((c) => used.has(c));
    const catalog = services.tools.ServerTools;
    if (options.root) {
        result.lockError = await catalog.loadLock(options.root);
    }
    if (options.live) {
        await catalog.fetchLive(declaredServers(services), { root: options.root });
    }
    options.afterParse?.();
    await shared.workspace.DocumentBuilder.build(langiumDocuments.all.toArray(), { validation: true });
    return result;
}

/** The bundled catalogs documents import, or whose server they declare. */
function usedCatalogs(documents: Iterable<Document>): Set<BundledCatalog> {
    const used = new Set<BundledCatalog>();
    for (const doc of documents) {
        if (doc.$document && isCatalogUri(doc.$document.uri)) {
            continue;
        }
        for (const imp of doc.imports) {
            const catalog = imp.path ? bundledCatalog(imp.path) : undefined;
            if (catalog) {
                used.add(catalog);
            }
        }
        for (const server of doc.servers) {
            for (const catalog of BUNDLED_CATALOGS) {
                if (catalog.server !== undefined && catalog.server === server.name) {
                    used.add(catalog);
                }
            }
        }
    }
    return used;
}

/** The diagnostics a built document carries. */
export function diagnosticsOf(document: LangiumDocument): Diagnostic[] {
    return document.diagnostics ?? [];
}

/**
 * Loads one kmflow document for a run from the editor's text (saved or not), with the
 * bundled catalogs and every file it imports read from disk, then builds and checks it:
 * the same services and checks as `kmflow check`, without `vscode`.
 */
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { resolveImport } from '../../language/catalogs.js';
import { isDocument } from '../../language/generated/ast.js';
import { createKmflowServices, type KmflowServices } from '../../language/kmflow-module.js';
import { createCatalogDocuments } from '../../language/kmflow-workspace-manager.js';
import { readSource } from '../../language/load-files.js';
import { codeOf } from '../../language/suppressions.js';

/** An error of the checked document, 1-based like the CLI prints it. */
export interface LoadError {
    line: number;
    column: number;
    code: string;
    message: string;
}

/** A built and validated document and the services that built it. */
export interface LoadedWorkflow {
    services: KmflowServices;
    document: LangiumDocument;
    /** Errors only (warnings do not stop a run). */
    errors: LoadError[];
}

/**
 * Builds the document at `uri` from `text`. Imported files come from disk; ones that
 * cannot be read are reported by the importing document's own check.
 */
export async function loadWorkflowText(uri: string, text: string): Promise<LoadedWorkflow> {
    const { Kmflow: services } = createKmflowServices(NodeFileSystem);
    const shared = services.shared;
    const documents = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    for (const doc of createCatalogDocuments(factory)) {
        documents.addDocument(doc);
    }
    const mainUri = URI.parse(uri);
    const document = factory.fromString(text, mainUri);
    documents.addDocument(document);
    const seen = new Set<string>([mainUri.toString()]);
    const queue: LangiumDocument[] = [document];
    while (queue.length > 0) {
        const current = queue.shift()!;
        const root = current.parseResult.value;
        for (const imp of isDocument(root) ? root.imports : []) {
            const target = imp.path ? resolveImport(current.uri, imp.path) : undefined;
            if (target?.scheme !== 'file' || seen.has(target.toString())) {
                continue;
            }
            seen.add(target.toString());
            const source = await readSource(path.resolve(target.fsPath));
            if ('text' in source) {
                const imported = factory.fromString(source.text, target);
                documents.addDocument(imported);
                queue.push(imported);
            }
        }
    }
    await shared.workspace.DocumentBuilder.build(documents.all.toArray(), { validation: true });
    const errors = (document.diagnostics ?? [])
        .filter((d) => (d.severity ?? 1) === 1)
        .map((d) => ({
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            code: codeOf(d) ?? 'syntax',
            message: d.message,
        }));
    return { services, document, errors };
}

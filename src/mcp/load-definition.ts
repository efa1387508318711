/**
 * `workflow_definition` → checked workflows: source text is parsed in memory as if it
 * were a file in the server's root (its imports resolve from there); `{file, workflow}`
 * is loaded from disk. Same parser, checks and preparation as the CLI.
 */
import * as path from 'node:path';
import { NodeFileSystem } from 'langium/node';
import { URI, type LangiumDocument } from 'langium';
import { formatDiagnostic, toCliDiagnostic } from '../cli/diagnostic-format.js';
import { resolveImport } from '../language/catalogs.js';
import { isDocument, type Document } from '../language/generated/ast.js';
import { createKmflowServices, type KmflowServices } from '../language/kmflow-module.js';
import { createCatalogDocuments } from '../language/kmflow-workspace-manager.js';
import { diagnosticsOf, loadFiles } from '../language/load-files.js';
import { prepareRun, type PreparedRun } from '../language/prepare-run.js';
import type { Definition } from './orchestrator-args.js';

/** A prepared workflow, with the security warnings its file has (errors under enterprise mode). */
export interface LoadedRun extends PreparedRun {
    security: string[];
}

/** The workflows a definition names, checked and prepared to run. */
export type Loaded = { ok: true; runs: LoadedRun[] } | { ok: false; errors: string[] };

const SECURITY_CODES = new Set(['security-escalation', 'sensitive-data']);

/** The label inline source text carries in diagnostics. */
export const INLINE_LABEL = 'workflow_definition';

/**
 * Loads `definitions` together (one workspace, so one may import another file) and
 * prepares their workflows: a file's named workflow, else its only one; with `all`,
 * every workflow each definition declares (for `coordinate`). Errors come back as
 * `file:line:col severity code message` lines.
 */
export async function loadDefinitions(root: string, definitions: readonly Definition[], all: boolean): Promise<Loaded> {
    const { Kmflow } = createKmflowServices(NodeFileSystem);
    const docs = Kmflow.shared.workspace.LangiumDocuments;
    const factory = Kmflow.shared.workspace.LangiumDocumentFactory;
    for (const doc of createCatalogDocuments(factory)) {
        if (!docs.hasDocument(doc.uri)) {
            docs.addDocument(doc);
        }
    }
    const entries: Array<{ label: string; document?: LangiumDocument; file?: string; workflow?: string; security: string[] }> = [];
    const files: string[] = [];
    definitions.forEach((d, i) => {
        if (typeof d === 'string') {
            // Not written anywhere: a name in the root only so that imports resolve there.
            const uri = URI.file(path.join(root, `.kmflow-mcp-definition-${i}.kmflow`));
            const document = factory.fromString(d, uri);
            docs.addDocument(document);
            entries.push({ label: definitions.length > 1 ? `${INLINE_LABEL}[${i}]` : INLINE_LABEL, document, security: [] });
            files.push(...importedFiles(document));
        } else {
            const file = path.resolve(root, d.file);
            entries.push({ label: d.file, file, workflow: d.workflow, security: [] });
            files.push(file);
        }
    });
    const loaded = await loadFiles(Kmflow, files);
    const errors: string[] = [];
    for (const e of entries) {
        if (e.file) {
            const problem = loaded.problems.find((p) => p.file === e.file);
            e.document = loaded.documents.find((x) => x.file === e.file)?.document;
            if (!e.document) {
                errors.push(`${e.label}: ${problem?.message ?? 'cannot be read'}`);
                continue;
            }
        }
        for (const d of diagnosticsOf(e.document!).map((x) => toCliDiagnostic(e.label, x))) {
            if (d.severity === 'error') {
                errors.push(formatDiagnostic(d));
            } else if (SECURITY_CODES.has(d.code)) {
                e.security.push(formatDiagnostic(d));
            }
        }
    }
    if (errors.length > 0) {
        return { ok: false, errors };
    }
    const runs: LoadedRun[] = [];
    for (const e of entries) {
        try {
            runs.push(...prepareEntry(Kmflow, e.document!, e.workflow, all).map((r) => ({ ...r, security: e.security })));
        } catch (err) {
            errors.push(`${e.label}: ${(err as Error).message}`);
        }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, runs };
}

function prepareEntry(services: KmflowServices, document: LangiumDocument, workflow: string | undefined, all: boolean): PreparedRun[] {
    if (workflow !== undefined || !all) {
        return [prepareRun(services, document, workflow)];
    }
    const root = document.parseResult.value;
    const names = isDocument(root) ? (root as Document).workflows.map((w) => w.name) : [];
    return names.length === 0 ? [prepareRun(services, document)] : names.map((name) => prepareRun(services, document, name));
}

/** Files a parsed document imports (bundled catalogs are loaded anyway). */
function importedFiles(document: LangiumDocument): string[] {
    const root = document.parseResult.value;
    const out: string[] = [];
    for (const imp of isDocument(root) ? root.imports : []) {
        const target = imp.path ? resolveImport(document.uri, imp.path) : undefined;
        if (target?.scheme === 'file') {
            out.push(target.fsPath);
        }
    }
    return out;
}

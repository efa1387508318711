/**
 * `workflow_definition` → checked workflows: source text is parsed in memory as if it
 * were a file in the server's root (its imports resolve from there); `{file, workflow}`
 * is loaded from disk; the seed's dictionary form is translated to source text first
 * (seed-dictionary-definition.ts) and its diagnostics located by JSON path. Same
 * parser, checks and preparation as the CLI.
 */
import * as path from 'node:path';
import { NodeFileSystem } from 'langium/node';
import { URI, type LangiumDocument } from 'langium';
import { formatDiagnostic, toCliDiagnostic } from '../cli/diagnostic-format.js';
import { parseDuration } from '../language/durations.js';
import { resolveImport } from '../language/catalogs.js';
import { isDocument, type Document, type Workflow } from '../language/generated/ast.js';
import { createKmflowServices, type KmflowServices } from '../language/kmflow-module.js';
import { createCatalogDocuments } from '../language/kmflow-workspace-manager.js';
import { diagnosticsOf, loadFiles } from '../language/load-files.js';
import { prepareRun, type PreparedRun } from '../language/prepare-run.js';
import type { Definition } from './orchestrator-args.js';
import {
    formatPathDiagnostic, isSeedDictionary, locateDiagnostic, translateSeedDictionary, type PathDiagnostic,
} from './seed-dictionary-definition.js';
import type { GeneratedSource } from './seed-dictionary-source.js';
import type { StatedSettings } from './settings-precedence.js';

/** A prepared workflow, with the security warnings its file has (errors under enterprise mode). */
export interface LoadedRun extends PreparedRun {
    security: string[];
    /** The settings the workflow itself states, in the seed's vocabulary. */
    stated: StatedSettings;
}

/** The workflows a definition names, checked and prepared to run; errors as lines, dictionary ones also by path. */
export type Loaded = { ok: true; runs: LoadedRun[] } | { ok: false; errors: string[]; diagnostics: PathDiagnostic[] };

const SECURITY_CODES = new Set(['security-escalation', 'sensitive-data']);

/** The label inline source text carries in diagnostics. */
export const INLINE_LABEL = 'workflow_definition';

interface Entry {
    label: string;
    document?: LangiumDocument;
    file?: string;
    workflow?: string;
    security: string[];
    /** A dictionary definition: its generated source, JSON path root and stated settings. */
    dictionary?: { source: GeneratedSource; root: string; stated: StatedSettings };
}

/**
 * Loads `definitions` together (one workspace, so one may import another file) and
 * prepares their workflows: a file's named workflow, else its only one; with `all`,
 * every workflow each definition declares (for `coordinate`). Errors come back as
 * `file:line:col severity code message` lines, or `$.json.path severity code message`
 * for a dictionary.
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
    const entries: Entry[] = [];
    const files: string[] = [];
    const pathDiagnostics: PathDiagnostic[] = [];
    const errors: string[] = [];
    definitions.forEach((d, i) => {
        const label = definitions.length > 1 ? `${INLINE_LABEL}[${i}]` : INLINE_LABEL;
        let text: string | undefined = typeof d === 'string' ? d : undefined;
        let dictionary: Entry['dictionary'];
        if (isSeedDictionary(d)) {
            const jsonRoot = definitions.length > 1 ? `$[${i}]` : '$';
            const translated = translateSeedDictionary(d, jsonRoot);
            if (!translated.ok) {
                pathDiagnostics.push(...translated.diagnostics);
                errors.push(...translated.diagnostics.map(formatPathDiagnostic));
                return;
            }
            dictionary = { source: translated.source, root: jsonRoot, stated: translated.stated };
            text = translated.source.text;
        }
        if (text !== undefined) {
            // Not written anywhere: a name in the root only so that imports resolve there.
            const uri = URI.file(path.join(root, `.kmflow-mcp-definition-${i}.kmflow`));
            const document = factory.fromString(text, uri);
            docs.addDocument(document);
            entries.push({ label, document, security: [], dictionary });
            files.push(...importedFiles(document));
        } else {
            const ref = d as { file: string; workflow?: string };
            const file = path.resolve(root, ref.file);
            entries.push({ label: ref.file, file, workflow: ref.workflow, security: [] });
            files.push(file);
        }
    });
    const loaded = await loadFiles(Kmflow, files, { root });
    for (const e of entries) {
        if (e.file) {
            const problem = loaded.problems.find((p) => p.file === e.file);
            e.document = loaded.documents.find((x) => x.file === e.file)?.document;
            if (!e.document) {
                errors.push(`${e.label}: ${problem?.message ?? 'cannot be read'}`);
                continue;
            }
        }
        for (const diagnostic of diagnosticsOf(e.document!)) {
            const d = toCliDiagnostic(e.label, diagnostic);
            const located = e.dictionary ? locateDiagnostic(e.document!, e.dictionary.source, diagnostic, e.dictionary.root) : undefined;
            const line = located ? formatPathDiagnostic(located) : formatDiagnostic(d);
            if (d.severity === 'error') {
                errors.push(line);
                if (located) {
                    pathDiagnostics.push(located);
                }
            } else if (SECURITY_CODES.has(d.code)) {
                e.security.push(line);
            }
        }
    }
    if (errors.length > 0) {
        return { ok: false, errors, diagnostics: pathDiagnostics };
    }
    const runs: LoadedRun[] = [];
    for (const e of entries) {
        try {
            runs.push(...prepareEntry(Kmflow, e.document!, e.workflow, all).map((r) => ({
                ...r, security: e.security, stated: e.dictionary?.stated ?? statedSettingsOf(e.document!, r.workflow.id),
            })));
        } catch (err) {
            errors.push(`${e.label}: ${(err as Error).message}`);
        }
    }
    return errors.length > 0 ? { ok: false, errors, diagnostics: pathDiagnostics } : { ok: true, runs };
}

/** The settings a kmflow workflow states (what it leaves out, the seed's defaults fill). */
function statedSettingsOf(document: LangiumDocument, name: string): StatedSettings {
    const root = document.parseResult.value;
    const wf: Workflow | undefined = isDocument(root) ? (root as Document).workflows.find((w) => w.name === name) : undefined;
    if (!wf) {
        return {};
    }
    const stated: Record<string, unknown> = {
        execution_mode: wf.mode, optimization_target: wf.target, tool_selection: wf.selection, resource_strategy: wf.resources,
        monitoring_level: wf.monitoring, cache_strategy: wf.cache, error_handling: wf.errors,
        enterprise_mode: wf.enterprise ? true : undefined, timeout: wf.timeout ? parseDuration(wf.timeout) / 1000 : undefined,
    };
    return Object.fromEntries(Object.entries(stated).filter(([, v]) => v !== undefined)) as StatedSettings;
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

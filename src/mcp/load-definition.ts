/**
 * `workflow_definition` → checked workflows: source text is parsed in memory as if it
 * were a file in the server's root (its imports resolve from there); `{file, workflow}`
 * is loaded from disk; the seed's dictionary form is translated to source text first
 * (seed-dictionary-definition.ts) and its diagnostics located by JSON path. Same
 * parser, checks and preparation as the CLI. Every path stays in the root
 * (definition-paths.ts); the caller's in-memory documents are named in `callerFiles`.
 */
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { formatDiagnostic, toCliDiagnostic } from '../language/diagnostic-format.js';
import { parseDuration } from '../language/durations.js';
import { isDocument, type Document, type Workflow } from '../language/generated/ast.js';
import { isSet, lastOf } from '../language/ast-options.js';
import type { KmflowServices } from '../language/kmflow-module.js';
import { diagnosticsOf } from '../language/load-files.js';
import { PrepareError, prepareRun, type PreparedRun } from '../language/prepare-run.js';
import { Workspace } from '../app/index.js';
import { confineDefinitionFile, confineImports } from './definition-paths.js';
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
    /** `caller`: source text or a dictionary from the call; `root`: a `{file}` of the root. */
    origin: 'caller' | 'root';
}

/** The workflows a definition names, checked and prepared to run; errors as lines, dictionary ones also by path. */
export type Loaded =
    | { ok: true; runs: LoadedRun[]; callerFiles: Map<string, string> }
    | { ok: false; errors: string[]; diagnostics: PathDiagnostic[] };

const SECURITY_CODES = new Set(['security-escalation', 'sensitive-data']);

/** The label inline source text carries in diagnostics. */
export const INLINE_LABEL = 'workflow_definition';

interface Entry {
    label: string;
    document?: LangiumDocument;
    file?: string;
    /** The caller's source text (or dictionary), loaded as `file`; otherwise a `{file}` of the root. */
    source?: boolean;
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
export async function loadDefinitions(root: string, definitions: readonly Definition[], all: boolean,
    log: (message: string) => void = () => undefined): Promise<Loaded> {
    const workspace = Workspace.open({ root });
    const Kmflow = workspace.services;
    const factory = Kmflow.shared.workspace.LangiumDocumentFactory;
    const entries: Entry[] = [];
    const files: string[] = [];
    /** The caller's source texts, loaded as if they were files of the root. */
    const sources: Array<{ file: string; text: string }> = [];
    const pathDiagnostics: PathDiagnostic[] = [];
    const errors: string[] = [];
    /** The caller's in-memory documents: file path → label. */
    const callerFiles = new Map<string, string>();
    for (const [i, d] of definitions.entries()) {
        const label = definitions.length > 1 ? `${INLINE_LABEL}[${i}]` : INLINE_LABEL;
        let text: string | undefined = typeof d === 'string' ? d : undefined;
        let dictionary: Entry['dictionary'];
        if (isSeedDictionary(d)) {
            const jsonRoot = definitions.length > 1 ? `$[${i}]` : '$';
            const translated = translateSeedDictionary(d, jsonRoot);
            if (!translated.ok) {
                pathDiagnostics.push(...translated.diagnostics);
                errors.push(...translated.diagnostics.map(formatPathDiagnostic));
                continue;
            }
            dictionary = { source: translated.source, root: jsonRoot, stated: translated.stated };
            text = translated.source.text;
        }
        if (text !== undefined) {
            // Not written anywhere: a name in the root only so that imports resolve there.
            const uri = URI.file(path.join(root, `.kmflow-mcp-definition-${i}.kmflow`));
            // Parsed once here so that its imports are confined before anything is read.
            const imports = await confineImports(root, factory.fromString(text, uri), label);
            callerFiles.set(uri.fsPath, label);
            sources.push({ file: uri.fsPath, text });
            entries.push({ label, file: uri.fsPath, source: true, security: [], dictionary });
            files.push(...imports.files);
            errors.push(...imports.refused);
        } else {
            const ref = d as { file: string; workflow?: string };
            const confined = await confineDefinitionFile(root, ref.file);
            if (!confined.ok) {
                errors.push(confined.line);
                continue;
            }
            entries.push({ label: ref.file, file: confined.file, workflow: ref.workflow, security: [] });
            files.push(confined.file);
        }
    }
    if (errors.length > 0) {
        // A path out of the root: nothing is read.
        return { ok: false, errors, diagnostics: pathDiagnostics };
    }
    const loaded = await workspace.load({ files, sources });
    for (const e of entries) {
        if (e.file) {
            const problem = loaded.problems.find((p) => p.file === e.file);
            e.document = loaded.files.find((x) => x.file === e.file)?.document;
            if (!e.document) {
                errors.push(`workflow_definition.file: '${e.label}': ${problem?.message ?? 'cannot be read'}`);
                continue;
            }
        }
        for (const diagnostic of checkerDiagnostics(e.document!, log)) {
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
                origin: e.source ? 'caller' as const : 'root' as const,
            })));
        } catch (err) {
            if (!(err instanceof PrepareError)) {
                throw err;
            }
            errors.push(`${e.label}: ${prepareMessage(err, e)}`);
        }
    }
    return errors.length > 0 ? { ok: false, errors, diagnostics: pathDiagnostics } : { ok: true, runs, callerFiles };
}

/** A PrepareError in the tool's words (its field, not the CLI's `--workflow`). */
function prepareMessage(err: PrepareError, e: Entry): string {
    if (err.code !== 'ambiguous-workflow') {
        return err.message;
    }
    const ast = e.document!.parseResult.value;
    const names = isDocument(ast) ? (ast as Document).workflows.map((w) => w.name) : [];
    const how = !e.source ? 'choose one with workflow_definition.workflow' : 'give one workflow, or use operation coordinate to run them all';
    return `the definition has ${names.length} workflows (${names.join(', ')}); ${how}`;
}

/** The prefix Langium gives a check that threw instead of reporting. */
const CHECK_THREW = 'An error occurred during validation';

/**
 * A document's diagnostics without a check's crash: its detail goes to the server's log
 * only, and the caller sees it only when nothing else explains the failure (a broken
 * document usually has its syntax errors to show).
 */
function checkerDiagnostics(document: LangiumDocument, log: (message: string) => void): ReturnType<typeof diagnosticsOf> {
    const all = diagnosticsOf(document);
    const crashed = all.filter((d) => d.message.startsWith(CHECK_THREW));
    if (crashed.length === 0) {
        return all;
    }
    crashed.forEach((d) => log(`check of ${document.uri.toString()} threw: ${d.message}`));
    const rest = all.filter((d) => !crashed.includes(d));
    const broken = document.parseResult.lexerErrors.length > 0 || document.parseResult.parserErrors.length > 0;
    return broken ? rest : [...rest, { ...crashed[0]!, message: 'internal error in a check; see the server\'s log' }];
}

/** The settings a kmflow workflow states (what it leaves out, the seed's defaults fill). */
function statedSettingsOf(document: LangiumDocument, name: string): StatedSettings {
    const root = document.parseResult.value;
    const wf: Workflow | undefined = isDocument(root) ? (root as Document).workflows.find((w) => w.name === name) : undefined;
    if (!wf) {
        return {};
    }
    const timeout = lastOf(wf.timeout);
    const stated: Record<string, unknown> = {
        execution_mode: lastOf(wf.mode), optimization_target: lastOf(wf.target), tool_selection: lastOf(wf.selection),
        resource_strategy: lastOf(wf.resources), monitoring_level: lastOf(wf.monitoring), cache_strategy: lastOf(wf.cache),
        error_handling: lastOf(wf.errors), enterprise_mode: isSet(wf.enterprise) ? true : undefined,
        timeout: timeout ? parseDuration(timeout) / 1000 : undefined,
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

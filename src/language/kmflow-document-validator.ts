/**
 * Turns Langium's built-in lexer, parser and linker errors into kmflow's stable codes
 * (`syntax`, `unknown-tool`, `unknown-step`, `unknown-workflow`, `missing-dependency`), and applies
 * `kmflow-ignore` comments to everything a document reports.
 */
import {
    DefaultDocumentValidator, type AstNode, type LangiumCoreServices, type ValidateSingleNodeOptions, type LangiumDocument, type ParseResult,
    type ValidationOptions, type IndexManager,
} from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { closest, distance } from 'fastest-levenshtein';
import { Codes, type DiagnosticCode, type KmflowDiagnosticData } from './diagnostic-codes.js';
import { applySuppressions } from './suppressions.js';
import { ToolDecl, isDocument, type TestDecl } from './generated/ast.js';
import type { KmflowScopeProvider } from './kmflow-scope-provider.js';
import type { KmflowServices } from './kmflow-module.js';
import type { ServerToolCatalog } from './server-tools.js';
import { normalizeToolId } from './tool-descriptors.js';
import { lineStartsOf, positionIn } from './lean-cst.js';

/** The root and the types that occur only as its direct children. */
const TOP_LEVEL_TYPES = new Set(['Document', 'Import', 'Server', 'ToolDecl', 'Workflow', 'TestDecl']);

export class KmflowDocumentValidator extends DefaultDocumentValidator {
    protected readonly indexManager: IndexManager;
    protected readonly scopes: KmflowScopeProvider;
    protected readonly serverTools: ServerToolCatalog;
    protected readonly kmflow: KmflowServices;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.indexManager = services.shared.workspace.IndexManager;
        this.scopes = services.references.ScopeProvider as KmflowScopeProvider;
        this.kmflow = services as unknown as KmflowServices;
        this.serverTools = this.kmflow.tools.ServerTools;
    }

    /**
     * kmflow's checks are on the document and its top-level declarations only: when no
     * check is registered for any other type, the walk stops there instead of visiting
     * every expression node of the file. Any check on a nested type restores the full walk.
     */
    protected override validateSingleNodeOptions(node: AstNode, options: ValidationOptions): ValidateSingleNodeOptions {
        const result = super.validateSingleNodeOptions(node, options);
        if (node.$container?.$container === undefined && node.$container !== undefined && this.onlyTopLevelChecks()) {
            return { ...result, validateChildren: false };
        }
        return result;
    }

    private topLevelOnly?: boolean;

    private onlyTopLevelChecks(): boolean {
        if (this.topLevelOnly === undefined) {
            const entries = (this.validationRegistry as unknown as { entries: { keys(): Iterable<string> } }).entries;
            const types = [...entries.keys()];
            this.topLevelOnly = types.every((t) => TOP_LEVEL_TYPES.has(t));
        }
        return this.topLevelOnly;
    }

    override async validateDocument(document: LangiumDocument, options: ValidationOptions = {},
        cancelToken?: CancellationToken): Promise<Diagnostic[]> {
        this.topLevelOnly = undefined;
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        return applySuppressions(document.textDocument.getText(), diagnostics);
    }

    protected override processLexingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        super.processLexingErrors(parseResult, diagnostics, options);
        retag(diagnostics, start, Codes.Syntax);
    }

    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const start = diagnostics.length;
        super.processParsingErrors(parseResult, diagnostics, options);
        retag(diagnostics, start, Codes.Syntax);
        const root = parseResult.value?.$cstNode?.root;
        for (let i = start; i < diagnostics.length; i++) {
            diagnostics[i].message = friendlyParserMessage(diagnostics[i].message);
            if (root) {
                missingValue(root.fullText, lineStartsOf(root), diagnostics[i]);
            }
        }
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], options: ValidationOptions): void {
        // Most documents link cleanly: looked for first, where Langium's `for...of`, run once
        // and unoptimised, made an iterator result for each of 40,000 references.
        if (!document.references.some((reference) => reference.error !== undefined)) {
            return;
        }
        const start = diagnostics.length;
        super.processLinkingErrors(document, diagnostics, options);
        const kept: Diagnostic[] = [];
        for (const d of diagnostics.splice(start)) {
            const mapped = this.mapLinkingError(document, d);
            if (mapped) {
                kept.push(mapped);
            }
        }
        diagnostics.push(...kept);
    }

    /** One linking error in kmflow's words; undefined when it is not an error here. */
    protected mapLinkingError(document: LangiumDocument, d: Diagnostic): Diagnostic | undefined {
        const data = d.data as { containerType: string; property: string; refText: string };
        const name = data.refText;
        switch (`${data.containerType}.${data.property}`) {
            case 'TestDecl.workflow':
                return tag(d, Codes.UnknownWorkflow, `no workflow '${name}' is declared here or in an imported file`, { name });
            case 'Given.step':
            case 'Ref.target': {
                const test = testAt(document, d);
                if (test) {
                    // A test naming no workflow has no steps: its own error says so, once.
                    return test.workflow?.ref ? tag(d, Codes.UnknownStep, `'${name}' is not a step of workflow '${test.workflow.$refText}'` +
                        `${data.property === 'target' ? ` (the run is 'run', inputs are 'input.${name}')` : ''}`, { name }) : undefined;
                }
                return data.property === 'target' ? tag(d, Codes.UnknownStep,
                    `'${name}' is not a step of this workflow nor an 'each' variable (inputs are 'input.${name}')`, { name }) : d;
            }
            case 'Step.tool':
            case 'Given.tool':
            case 'Compensation.tool': {
                const server = this.serverOf(name);
                if (server) {
                    return this.checkServerTool(d, server, normalizeToolId(name).slice(server.length + 1));
                }
                const suggestions = this.nearestTools(document, name);
                const hint = suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : '';
                return tag(d, Codes.UnknownTool, `unknown tool '${name}'${hint}`, { suggestions });
            }
            case 'Step.after':
                return tag(d, Codes.UnknownStep, `'after' names no step '${name}' of this workflow`, { name });
            case 'ToolDecl.dependsOn':
                return tag(d, Codes.MissingDependency, `depends_on names '${name}', which is not declared or imported`);
            case 'ToolDecl.integrates':
            case 'ToolDecl.replacedBy': {
                const suggestions = this.nearestTools(document, name);
                const hint = suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : '';
                return { ...tag(d, Codes.UnknownTool, `unknown tool '${name}'${hint}`, { suggestions }), severity: 2 };
            }
            default:
                return d;
        }
    }

    /** The declared server of a `SERVER.TOOL` reference, if some file of the workspace declares it. */
    protected serverOf(name: string): string | undefined {
        const dot = name.indexOf('.');
        const server = dot > 0 ? name.slice(0, dot) : undefined;
        // One index scan per build (ToolIndex caches it), not one per unresolved step.
        return server && this.kmflow.tools.ToolIndex.declaredServers().has(server) ? server : undefined;
    }

    /**
     * A server tool is fine when the server lists it, or when the server's tools are not
     * known at all (its `server` line says so, once, instead of every step).
     */
    protected checkServerTool(d: Diagnostic, server: string, tool: string): Diagnostic | undefined {
        const tools = this.serverTools.toolsOf(server);
        // `find` also knows a locked tool the live list dropped: that is `schema-drift`, said on the step.
        if (!tools || this.serverTools.find(server, tool)) {
            return undefined;
        }
        const suggestions = nearestNames(tool, tools.map((t) => t.via!.tool)).map((t) => `${server}.${quoteToolName(t)}`);
        const hint = suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : '';
        return tag(d, Codes.UnknownTool, `server '${server}' lists no tool '${tool}'${hint}`, { suggestions });
    }

    /** The visible tool names nearest to `name`, best first. */
    protected nearestTools(document: LangiumDocument, name: string): string[] {
        const visible = this.scopes.visibleUris(document.uri);
        const names = this.indexManager.allElements(ToolDecl.$type, visible).map((t) => t.name).distinct().toArray();
        return nearestNames(name, names);
    }
}

/** The `test` block a diagnostic lies in, if any. */
function testAt(document: LangiumDocument, d: Diagnostic): TestDecl | undefined {
    const root = document.parseResult.value;
    if (!isDocument(root) || root.tests.length === 0) {
        return undefined;
    }
    const offset = document.textDocument.offsetAt(d.range.start);
    return root.tests.find((t) => t.$cstNode !== undefined && t.$cstNode.offset <= offset && offset < t.$cstNode.end);
}

/** Up to three names within a plausible edit distance of `name`, nearest first. */
export function nearestNames(name: string, candidates: string[]): string[] {
    if (candidates.length === 0) {
        return [];
    }
    const limit = Math.max(2, Math.floor(name.length / 3));
    const scored = candidates
        .map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) }))
        .filter((x) => x.d <= limit || x.c.endsWith(name) || x.c.endsWith(`_${name}`))
        .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
    const result = scored.slice(0, 3).map((x) => x.c);
    return result.length > 0 ? result : [closest(name, candidates)].filter((c) => distance(c, name) <= name.length / 2);
}

function retag(diagnostics: Diagnostic[], from: number, code: DiagnosticCode): void {
    for (let i = from; i < diagnostics.length; i++) {
        diagnostics[i].code = code;
        diagnostics[i].data = { code } satisfies KmflowDiagnosticData;
    }
}

function tag(d: Diagnostic, code: DiagnosticCode, message: string, extra: Partial<KmflowDiagnosticData> = {}): Diagnostic {
    return { ...d, code, message, data: { ...(d.data as object), code, ...extra } };
}

/** Chevrotain speaks of token types; users think in words. */
/**
 * A parser error right after an object entry's `key:` (what accepting a parameter
 * completion leaves) is a missing value: said so, and placed just after the colon.
 */
function missingValue(text: string, lineStarts: readonly number[], d: Diagnostic): void {
    if (!/^(unexpected|expected) /.test(d.message) || d.range.start.line >= lineStarts.length) {
        return;
    }
    const offset = lineStarts[d.range.start.line]! + d.range.start.character;
    const m = /[{,]\s*([A-Za-z_][\w-]*|"(?:[^"\\\n]|\\.)*")\s*:(\s*)$/.exec(text.slice(Math.max(0, offset - 400), offset));
    if (!m) {
        return;
    }
    const position = positionIn(lineStarts, offset - m[2]!.length);
    d.range = { start: position, end: position };
    d.message = `missing value after '${m[1]}:'`;
}

function friendlyParserMessage(message: string): string {
    return message
        .replace(/Expecting token of type '([^']+)' but found `([^`]*)`\.?/, (_m, want: string, found: string) =>
            `expected ${tokenName(want)} but found '${found}'`)
        // A rule of one token of a set, labelled by token-sets.ts.
        .replace(/^Expecting `([^`]+)` but found `([^`]*)`\.?$/, (_m, want: string, found: string) => `expected ${want} but found '${found}'`)
        .replace(/^Expecting: one of these possible Token sequences:[\s\S]*but found: '([^']*)'$/, (_m, found: string) =>
            `unexpected '${found}'`);
}

function tokenName(type: string): string {
    switch (type) {
        case 'ID': return 'a name';
        case 'STRING': return 'a string';
        case 'NUMBER': return 'a number';
        case 'DURATION': return 'a duration such as 30s';
        case 'EOF': return 'the end of the file';
        default: return `'${type}'`;
    }
}

/** A server's tool name as written after `SERVER.`: quoted unless it is an identifier. */
export function quoteToolName(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

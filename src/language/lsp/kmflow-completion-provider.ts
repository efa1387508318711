/**
 * Completion that knows where it is: grammar keywords valid at the cursor (Langium's
 * default, minus keywords that are only allowed as names), tools after `uses` with their
 * category and purpose, steps in `after` and references, and from the text around the
 * cursor: `with` parameter names and enum values from the tool's JSON Schema, `input.`
 * names, `STEP.output.` paths, capabilities, facts, groups, categories and servers.
 */
import { GrammarAST, AstUtils, type AstNodeDescription, type CstNode, type LangiumDocument, type ReferenceInfo, type Stream } from 'langium';
import { tokenSetLeafAt } from './token-set-completion.js';
import {
    DefaultCompletionProvider, type CompletionContext, type CompletionProviderOptions, type CompletionValueItem,
} from 'langium/lsp';
import {
    CompletionItemKind, CompletionList, InsertTextFormat, type CompletionItem, type CompletionParams, type Range,
} from 'vscode-languageserver';
import type { JsonSchema, ToolDescriptor } from '../../engine/model/index.js';
import { isDocument, isStep, type Document, type Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import type { ToolIndex } from '../tool-index.js';
import type { ServerToolCatalog } from '../server-tools.js';
import { quoteToolName } from '../kmflow-document-validator.js';
import { normalizeToolId } from '../tool-descriptors.js';
import { textContextAt, type TextContext } from './completion-context.js';
import { schemaProperties, schemaType, toolMarkdown } from './tool-markdown.js';
import { testAt, workflowAt } from './symbol-at.js';
import { TEST_RUN_SUBJECT } from '../kmflow-scope-computation.js';
import { lastOf } from '../ast-options.js';

/** Keywords of these rules are names there, not keywords: never propose them as such. */
const NAME_RULES = new Set(['SoftKeyword', 'Key']);
const CATEGORIES = ['foundation', 'intelligence', 'creation', 'communication', 'visual_media', 'data_management',
    'enterprise', 'autonomous', 'custom'];
const STEP_MEMBERS: Array<[string, string]> = [
    ['output', 'the tool\'s structured output (or its parsed text)'],
    ['ok', 'true when the step succeeded'],
    ['status', 'succeeded | failed | skipped | cancelled | compensated'],
    ['result', 'the raw MCP CallToolResult'],
    ['error', 'when it failed: code, message, attempts, advice and the server\'s own fields'],
    ['attempts', 'how many calls it took'],
];
/** What a test's expectations read of `run`: the run's report. */
const RUN_MEMBERS: Array<[string, string]> = [
    ['status', 'succeeded | failed | partial | rolled_back | cancelled'],
    ['durationMs', 'how long the run took, on the test\'s fake clock'],
    ['criticalPathMs', 'the longest chain of dependent steps, measured'],
    ['criticalPath', 'that chain\'s step ids'],
    ['steps', 'every step\'s report, in the workflow\'s order'],
    ['metrics', 'stepsPerSecond, utilization, maxConcurrency, healthScore, tools'],
    ['bottlenecks', 'what slowed the run down'],
];

export class KmflowCompletionProvider extends DefaultCompletionProvider {
    protected readonly services: KmflowServices;
    protected readonly tools: ToolIndex;
    protected readonly serverTools: ServerToolCatalog;

    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.', ' ', '"'] };

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
        this.tools = services.tools.ToolIndex;
        this.serverTools = services.tools.ServerTools;
    }

    override async getCompletion(document: LangiumDocument, params: CompletionParams): Promise<CompletionList | undefined> {
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        const context = textContextAt(text, offset);
        if (context) {
            const own = this.contextItems(document, context, offset);
            if (own && context.kind !== 'withValue') {
                return CompletionList.create(own, true);
            }
            if (own && context.kind === 'withValue' && (context.inString || own.length > 0 && context.start < offset)) {
                return CompletionList.create(own, true);
            }
            const list = await super.getCompletion(document, params);
            return own && list ? CompletionList.create([...own, ...list.items], true) : list;
        }
        // A space only triggers completion where something kmflow knows must follow.
        if (params.context?.triggerCharacter === ' ' && !/\b(uses|after|capability|via|given|tool|expect|for)\s$/.test(text.slice(Math.max(0, offset - 20), offset))) {
            return CompletionList.create([], true);
        }
        return super.getCompletion(document, params);
    }

    /** Items for a text context; undefined to fall back to the grammar's proposals. */
    protected contextItems(document: LangiumDocument, context: TextContext, offset: number): CompletionItem[] | undefined {
        const edit = (start: number, end = offset): Range =>
            ({ start: document.textDocument.positionAt(start), end: document.textDocument.positionAt(end) });
        const item = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string, newText = label,
            start = context.start, end = offset): CompletionItem => ({
            label, kind, detail, sortText: `0${label}`,
            documentation: documentation ? { kind: 'markdown', value: documentation } : undefined,
            textEdit: { range: edit(start, end), newText },
        });
        const workflow = this.workflowNear(document, offset);
        switch (context.kind) {
            case 'input':
                return (workflow?.inputs ?? []).map((i) =>
                    item(i.name, CompletionItemKind.Variable, i.type, i.default ? `default \`${i.default.$cstNode?.text}\`` : 'required'));
            case 'member': {
                if (context.root === 'env' || context.root === 'secret') {
                    return [];
                }
                if (context.root === TEST_RUN_SUBJECT && testAt(document, offset)) {
                    return context.path.length === 0 ? RUN_MEMBERS.map(([m, doc]) => item(m, CompletionItemKind.Field, doc)) : [];
                }
                const step = workflow?.steps.find((s) => s.name === context.root);
                if (!step) {
                    return workflow?.steps.some((s) => lastOf(s.each)?.name === context.root) ? [] : undefined;
                }
                if (context.path.length === 0) {
                    return STEP_MEMBERS.map(([m, doc]) => item(m, CompletionItemKind.Field, doc));
                }
                if (context.path[0] !== 'output') {
                    return [];
                }
                let schema = this.tools.toolOf(step)?.outputSchema;
                for (const field of context.path.slice(1)) {
                    schema = schemaProperties(schema)[field];
                }
                return Object.entries(schemaProperties(schema)).map(([name, p]) =>
                    item(name, CompletionItemKind.Field, schemaType(p), p.description as string | undefined));
            }
            case 'withKey': {
                const tool = this.findTool(document, context.tool);
                const required = new Set(Array.isArray(tool?.inputSchema?.required) ? tool.inputSchema.required as string[] : []);
                return Object.entries(schemaProperties(tool?.inputSchema))
                    .filter(([name]) => !context.present.includes(name))
                    .map(([name, p]) => {
                        const key = /^[A-Za-z_]\w*$/.test(name) ? name : JSON.stringify(name);
                        // Replacing the name of an entry that has its value already: the name only.
                        const hasValue = /^[\w-]*\s*:/.test(document.textDocument.getText().slice(offset));
                        const it = item(name, CompletionItemKind.Property, `${schemaType(p)}${required.has(name) ? ' (required)' : ''}`,
                            p.description as string | undefined, hasValue ? key : `${escapeSnippet(key)}: ${placeholder(p, 1)}`);
                        if (!hasValue) {
                            it.insertTextFormat = InsertTextFormat.Snippet;
                        }
                        it.sortText = `${required.has(name) ? '0' : '1'}${name}`;
                        return it;
                    });
            }
            case 'withValue': {
                const tool = this.findTool(document, context.tool);
                const p = schemaProperties(tool?.inputSchema)[context.key];
                const values = Array.isArray(p?.enum) ? p.enum as unknown[] : p?.type === 'boolean' && !context.inString ? [true, false] : [];
                return values.map((v) => item(JSON.stringify(v), CompletionItemKind.EnumMember, `${context.key} of ${tool?.id}`,
                    undefined, JSON.stringify(v), context.start, context.end));
            }
            case 'name':
                return this.names(document, workflow, context.setting, context.listed)
                    .map(([name, detail]) => item(name, CompletionItemKind.Value, detail));
        }
    }

    /** Candidate names after a setting such as `uses capability` or `requires`. */
    protected names(document: LangiumDocument, workflow: Workflow | undefined, setting: string, listed: string[]): Array<[string, string]> {
        const unique = (xs: Iterable<string>, detail: (x: string) => string): Array<[string, string]> =>
            [...new Set(xs)].filter((x) => !listed.includes(x)).sort().map((x) => [x, detail(x)]);
        const steps = workflow?.steps ?? [];
        switch (setting) {
            case 'capability':
            case 'capabilities': {
                const providers = new Map<string, string[]>();
                for (const tool of this.tools.visibleTools(document)) {
                    for (const c of tool.capabilities) {
                        providers.set(c, [...(providers.get(c) ?? []), tool.id]);
                    }
                }
                return unique(providers.keys(), (c) => `provided by ${providers.get(c)!.slice(0, 3).join(', ')}${providers.get(c)!.length > 3 ? ', ...' : ''}`);
            }
            case 'requires':
                return unique(steps.flatMap((s) => s.ensures), (f) => `ensured by ${steps.filter((s) => s.ensures.includes(f)).map((s) => s.name).join(', ')}`);
            case 'ensures':
                return unique(steps.flatMap((s) => s.requires), () => 'required by a step');
            case 'parallel_group':
                return unique(steps.flatMap((s) => lastOf(s.parallelGroup) ?? []), () => 'parallel group');
            case 'category':
                return unique(CATEGORIES, () => 'tool category');
            case 'via':
                return unique(['builtin', ...this.tools.declaredServers()], (s) => s === 'builtin' ? 'kmflow built-in' : 'server');
            case 'given tool': {
                const tools = new Map(this.tools.visibleTools(document).map((t) => [t.id, [t.category, t.title].filter(Boolean).join(' · ') || 'tool']));
                this.serverToolCandidates(document).forEach((c) => tools.set(c.name, 'server tool'));
                return unique(tools.keys(), (id) => tools.get(id)!);
            }
            default:
                return [];
        }
    }

    /** The workflow around the cursor (a test's, in a test); while the text does not parse, the last one before it. */
    protected workflowNear(document: LangiumDocument, offset: number): Workflow | undefined {
        const found = workflowAt(document, offset) ?? testAt(document, offset)?.workflow?.ref;
        if (found) {
            return found;
        }
        const root = document.parseResult.value;
        const before = isDocument(root) ? (root as Document).workflows.filter((w) => (w.$cstNode?.offset ?? Infinity) <= offset) : [];
        return before[before.length - 1];
    }

    protected findTool(document: LangiumDocument, text: string): ToolDescriptor | undefined {
        const id = normalizeToolId(text);
        const tools = this.tools.visibleTools(document);
        const dot = id.indexOf('.');
        return tools.find((t) => t.id === id)
            ?? tools.find((t) => dot > 0 && t.via?.server === id.slice(0, dot) && t.via.tool === id.slice(dot + 1))
            ?? (dot > 0 ? this.serverTools.find(id.slice(0, dot), id.slice(dot + 1)) : undefined);
    }

    protected override filterKeyword(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        if (!super.filterKeyword(context, keyword)) {
            return false;
        }
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule);
        if (!rule || !NAME_RULES.has(rule.name)) {
            return true;
        }
        // The same word may be a real keyword here too (`timeout` in a step body).
        return context.features.some((f) => GrammarAST.isKeyword(f.feature) && f.feature.value === keyword.value &&
            !NAME_RULES.has(AstUtils.getContainerOfType(f.feature, GrammarAST.isParserRule)?.name ?? ''));
    }

    /** Langium's, and a name's leaf where a token-set rule stands (token-set-completion.ts). */
    protected override findDataTypeRuleStart(cst: CstNode, offset: number): [number, number] | undefined {
        return super.findDataTypeRuleStart(cst, offset) ?? tokenSetLeafAt(cst, offset, this.grammarConfig.nameRegexp);
    }

    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const candidates = super.getReferenceCandidates(refInfo, context);
        if (refInfo.property === 'tool') {
            return candidates.concat(this.serverToolCandidates(context.document));
        }
        if (refInfo.property !== 'after') {
            return candidates;
        }
        const step = AstUtils.getContainerOfType(refInfo.container, isStep);
        return candidates.filter((c) => c.name !== step?.name);
    }

    /** `SERVER.TOOL` of every declared server whose tools are known (live, or from the lock). */
    protected serverToolCandidates(document: LangiumDocument): AstNodeDescription[] {
        const result: AstNodeDescription[] = [];
        for (const server of this.tools.declaredServers()) {
            for (const tool of this.serverTools.toolsOf(server) ?? []) {
                result.push({ name: `${server}.${quoteToolName(tool.via!.tool)}`, type: 'ToolDecl', documentUri: document.uri, path: '' });
            }
        }
        return result;
    }

    /**
     * `TOOL { with { REQ: value, ... } }` with a typed placeholder per required parameter;
     * undefined when the tool requires none or a block follows the cursor already.
     */
    protected toolSnippet(tool: ToolDescriptor, name: string, context: CompletionContext): string | undefined {
        const required = Array.isArray(tool.inputSchema?.required) ? tool.inputSchema.required as string[] : [];
        const rest = context.textDocument.getText().slice(context.tokenEndOffset);
        if (required.length === 0 || /^\s*\{/.test(rest)) {
            return undefined;
        }
        const props = schemaProperties(tool.inputSchema);
        const entries = required.map((key, i) => {
            const quoted = /^[A-Za-z_]\w*$/.test(key) ? key : JSON.stringify(key);
            return `${escapeSnippet(quoted)}: ${placeholder(props[key], i + 1)}`;
        });
        return `${escapeSnippet(name)} { with { ${entries.join(', ')} } }`;
    }

    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo,
        context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        if (description.type === 'ToolDecl') {
            const tool = this.findTool(context.document, description.name);
            if (tool) {
                const snippet = refInfo.property === 'tool' && isStep(refInfo.container)
                    ? this.toolSnippet(tool, description.name, context) : undefined;
                return {
                    ...item,
                    ...(snippet ? { insertText: snippet, insertTextFormat: InsertTextFormat.Snippet } : {}),
                    kind: CompletionItemKind.Function,
                    detail: [tool.category, tool.title].filter(Boolean).join(' · ') || 'tool',
                    labelDetails: { description: tool.category },
                    documentation: { kind: 'markdown', value: toolMarkdown(tool) },
                };
            }
        }
        if (description.type === 'Step' && isStep(description.node)) {
            const step = description.node;
            return {
                ...item,
                kind: CompletionItemKind.Method,
                detail: step.capability !== undefined ? `capability ${step.capability}` : `step · ${step.tool?.$refText ?? ''}`,
            };
        }
        return item;
    }
}

/** Text taken literally in a snippet. */
function escapeSnippet(text: string): string {
    return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A tab stop typed by the parameter's schema: `"${n}"`, `${n:0}`, `${n|true,false|}`, a choice of enum values. */
export function placeholder(schema: JsonSchema | undefined, n: number): string {
    if (Array.isArray(schema?.enum) && schema.enum.length > 0) {
        const choices = schema.enum.map((v) => JSON.stringify(v).replace(/[\\$}|,]/g, (c) => `\\${c}`));
        return `\${${n}|${choices.join(',')}|}`;
    }
    const types = Array.isArray(schema?.type) ? schema.type as unknown[] : [schema?.type];
    const type = types.find((t) => t !== 'null');
    switch (type) {
        case 'string':
            return `"\${${n}}"`;
        case 'number':
        case 'integer':
            return `\${${n}:0}`;
        case 'boolean':
            return `\${${n}|true,false|}`;
        case 'array':
            return `[\${${n}}]`;
        case 'object':
            return `{ \${${n}} }`;
        default:
            return `\${${n}}`;
    }
}

/**
 * Hovers: a tool's descriptor (in `uses`, `depends_on`, or on its declaration), a step's
 * tool and dependencies, an input's type and default, a server's transport.
 */
import { AstUtils, CstUtils, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { AstNodeHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import {
    isCompensation, isInputDecl, isServer, isStep, isToolDecl, isWorkflow, type Compensation, type InputDecl, type Server, type Step, type Workflow,
} from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import type { ToolIndex } from '../tool-index.js';
import { toToolDescriptor } from '../tool-descriptors.js';
import { buildGraph } from '../../engine/graph/index.js';
import { workflowSpecOf } from '../validation/workflow-context.js';
import { workflowRefs } from './expression-refs.js';
import { symbolAt } from './symbol-at.js';
import { toolMarkdown } from './tool-markdown.js';
import { lastOf } from '../ast-options.js';

export class KmflowHoverProvider extends AstNodeHoverProvider {
    protected readonly services: KmflowServices;
    protected readonly tools: ToolIndex;

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
        this.tools = services.tools.ToolIndex;
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const offset = document.textDocument.offsetAt(params.position);
        const symbol = symbolAt(this.services, document, offset);
        const range = symbol && {
            start: document.textDocument.positionAt(symbol.offset),
            end: document.textDocument.positionAt(symbol.offset + symbol.length),
        };
        if (symbol?.kind === 'input') {
            return { contents: { kind: 'markdown', value: this.inputMarkdown(symbol.name, symbol.decl) }, range };
        }
        if (symbol?.kind === 'step') {
            return { contents: { kind: 'markdown', value: this.stepMarkdown(symbol.step) }, range };
        }
        const serverTool = this.serverToolAt(document, offset);
        if (serverTool) {
            return serverTool;
        }
        return super.getHoverContent(document, params);
    }

    /** A `uses SERVER.TOOL` the server lists (no declaration to link to): its descriptor from the live list or lock. */
    protected serverToolAt(document: LangiumDocument, offset: number): Hover | undefined {
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findLeafNodeAtOffset(root, offset);
        const owner = leaf && AstUtils.getContainerOfType(leaf.astNode, (n): n is Step | Compensation => isStep(n) || isCompensation(n));
        const ref = owner?.tool;
        if (!owner || !ref?.$refNode || ref.ref || offset < ref.$refNode.offset || offset > ref.$refNode.end) {
            return undefined;
        }
        const tool = this.tools.toolOf(owner);
        return tool && { contents: { kind: 'markdown', value: toolMarkdown(tool) }, range: ref.$refNode.range };
    }

    protected override getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        if (isToolDecl(node)) {
            return toolMarkdown(toToolDescriptor(this.services, node));
        }
        if (isStep(node)) {
            return this.stepMarkdown(node);
        }
        if (isInputDecl(node)) {
            return this.inputMarkdown(node.name, node);
        }
        if (isServer(node)) {
            return this.serverMarkdown(node);
        }
        return undefined;
    }

    protected inputMarkdown(name: string, decl: InputDecl | undefined): string {
        if (!decl) {
            return `**input ${name}**: not declared by this workflow`;
        }
        const fallback = decl.default?.$cstNode?.text;
        return `**input ${name}**: \`${decl.type}\`` +
            (fallback !== undefined ? ` = \`${fallback}\`` : ' (required: a run without it stops before starting)');
    }

    protected stepMarkdown(step: Step): string {
        const tool = this.tools.toolOf(step);
        const uses = step.capability !== undefined
            ? `capability \`${step.capability}\``
            : `\`${tool?.id ?? step.tool?.$refText ?? '?'}\`${tool?.title ? ` — ${tool.title}` : ''}`;
        const lines = [`**step ${step.name}**${step.title ? ` — ${step.title}` : ''}`, '', `uses ${uses}`];
        const description = lastOf(step.description);
        if (description) {
            lines.push('', description);
        }
        const workflow = AstUtils.getContainerOfType(step, isWorkflow);
        const after = step.after.map((a) => a.$refText);
        const reads = new Set<string>();
        const providers = new Set<string>();
        if (workflow) {
            for (const ref of workflowRefs(this.services, workflow)) {
                if (ref.step === step && ref.kind === 'step' && ref.name !== step.name) {
                    reads.add(ref.name);
                }
            }
            for (const other of workflow.steps) {
                if (other !== step && other.ensures.some((f) => step.requires.includes(f))) {
                    providers.add(other.name);
                }
            }
        }
        const list = (xs: Iterable<string>): string => [...xs].map((x) => `\`${x}\``).join(', ');
        const deps: string[] = [];
        if (after.length > 0) {
            deps.push(`- after: ${list(after)}`);
        }
        if (reads.size > 0) {
            deps.push(`- reads: ${list(reads)}`);
        }
        if (step.requires.length > 0) {
            deps.push(`- requires: ${list(step.requires)}${providers.size > 0 ? ` (ensured by ${list(providers)})` : ''}`);
        }
        const handles = workflow ? this.completionDependencies(workflow, step) : [];
        if (handles.length > 0) {
            deps.push(`- runs whatever the outcome of ${list(handles)}: it reads only their \`ok\`, \`status\` or ` +
                '`error` (or waits `after ... always`), so it is not skipped when they fail — a failure handler. ' +
                '`STEP.error` has `code`, `message`, `attempts` and the server\'s own fields.');
        }
        if (step.ensures.length > 0) {
            deps.push(`- ensures: ${list(step.ensures)}`);
        }
        lines.push('', deps.length > 0 ? '**Depends on**' : 'No dependencies: starts at once.', ...deps);
        return lines.join('\n');
    }

    /** The steps `step` holds a completion dependency on (runs after them in any state). */
    protected completionDependencies(workflow: Workflow, step: Step): string[] {
        const graph = buildGraph(workflowSpecOf(this.services, workflow));
        const i = graph.index.get(step.name);
        return i === undefined ? [] : [...graph.completion[i] ?? []].map((j) => graph.ids[j]!);
    }

    protected serverMarkdown(server: Server): string {
        const url = lastOf(server.url);
        const args = lastOf(server.args)?.items.map((a) => a.$cstNode?.text ?? '') ?? [];
        const transport = url ? `HTTP \`${url}\`` : `stdio \`${[lastOf(server.command) ?? '?', ...args].join(' ')}\``;
        return `**server ${server.name}** — ${transport}`;
    }
}

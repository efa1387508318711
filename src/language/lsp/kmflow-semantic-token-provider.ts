/**
 * Semantic tokens: steps, tools, servers, inputs, capabilities and facts, the setting
 * keywords of bodies and their values, and references (also inside `${}` strings); in
 * test blocks, the tested workflow, the stubbed steps and tools, and what expectations read.
 */
import { AstUtils, GrammarUtils, type AstNode, type CstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import {
    isCompensation, isEachClause, isGiven, isInputDecl, isPerfMetric, isRef, isResourceAmount, isServer, isStep, isTestDecl, isToolDecl, isVia,
    isWorkflow, type TestDecl,
} from '../generated/ast.js';
import { isBodyKeyword } from '../grammar-options.js';
import type { KmflowServices } from '../kmflow-module.js';
import { workflowRefs, type RefKind } from './expression-refs.js';

const REF_TYPES: Record<RefKind, string> = {
    input: SemanticTokenTypes.parameter,
    step: SemanticTokenTypes.function,
    item: SemanticTokenTypes.variable,
    env: SemanticTokenTypes.property,
    secret: SemanticTokenTypes.property,
};

export class KmflowSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
    }

    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void | 'prune' {
        const decl = [SemanticTokenModifiers.declaration];
        if (isWorkflow(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.class, modifier: decl });
            this.settingKeywords(node, acceptor);
            // References, `${}` ones included, come from the workflow's index in one pass.
            const text = AstUtils.getDocument(node).textDocument;
            for (const ref of workflowRefs(this.services, node)) {
                const start = text.positionAt(ref.offset);
                acceptor({ line: start.line, char: start.character, length: ref.length, type: REF_TYPES[ref.kind] });
            }
        } else if (isStep(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.function, modifier: decl });
            this.toolRef(node, acceptor);
            if (node.capability !== undefined) {
                acceptor({ node, property: 'capability', type: SemanticTokenTypes.enumMember });
            }
            node.after.forEach((_a, index) => acceptor({ node, property: 'after', index, type: SemanticTokenTypes.function }));
            node.requires.forEach((_r, index) => acceptor({ node, property: 'requires', index, type: SemanticTokenTypes.event }));
            node.ensures.forEach((_r, index) => acceptor({ node, property: 'ensures', index, type: SemanticTokenTypes.event }));
            this.settingKeywords(node, acceptor);
        } else if (isCompensation(node)) {
            this.toolRef(node, acceptor);
        } else if (isToolDecl(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.type, modifier: decl });
            node.capabilities.forEach((_c, index) => acceptor({ node, property: 'capabilities', index, type: SemanticTokenTypes.enumMember }));
            node.dependsOn.forEach((_d, index) => acceptor({ node, property: 'dependsOn', index, type: SemanticTokenTypes.type }));
            node.integrates.forEach((_d, index) => acceptor({ node, property: 'integrates', index, type: SemanticTokenTypes.type }));
            this.settingKeywords(node, acceptor);
        } else if (isServer(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.namespace, modifier: decl });
            this.settingKeywords(node, acceptor);
        } else if (isTestDecl(node)) {
            acceptor({ node, property: 'workflow', type: SemanticTokenTypes.class });
            this.settingKeywords(node, acceptor);
            this.testRefs(node, acceptor);
        } else if (isGiven(node)) {
            if (node.tool) {
                this.toolRef(node, acceptor);
            } else {
                acceptor({ node, property: 'step', type: SemanticTokenTypes.function });
            }
        } else if (isVia(node)) {
            acceptor({ node, property: 'server', type: SemanticTokenTypes.namespace });
        } else if (isInputDecl(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.parameter, modifier: decl });
        } else if (isEachClause(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: decl });
        } else if (isResourceAmount(node)) {
            acceptor({ node, property: 'kind', type: SemanticTokenTypes.property });
        } else if (isPerfMetric(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.property });
        }
    }

    /** References in a test's expectations and stub values: steps, and `run`. */
    protected testRefs(test: TestDecl, acceptor: SemanticTokenAcceptor): void {
        for (const node of AstUtils.streamAst(test)) {
            if (isRef(node) && node.target) {
                acceptor({ node, property: 'target', type: isTestDecl(node.target.ref) ? SemanticTokenTypes.variable : SemanticTokenTypes.function });
            } else if (isRef(node) && node.scope) {
                acceptor({ node, property: 'name', type: REF_TYPES[node.scope as RefKind] });
            }
        }
    }

    protected toolRef(node: AstNode & { tool?: unknown }, acceptor: SemanticTokenAcceptor): void {
        const cst = GrammarUtils.findNodeForProperty(node.$cstNode, 'tool');
        if (cst) {
            acceptor({ cst, type: SemanticTokenTypes.type });
        }
    }

    /** The words of a body's options (`mode`, `timeout`, `backoff`...), directly in this node; the grammar says which. */
    protected settingKeywords(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        for (const cst of directKeywords(node.$cstNode)) {
            if (/^[a-z_]+$/.test(cst.text) && isBodyKeyword(cst.grammarSource)) {
                acceptor({ cst, type: SemanticTokenTypes.keyword, modifier: [SemanticTokenModifiers.modification] });
            }
        }
    }
}

/** The keyword leaves that are direct children of a node's CST (not inside names or children). */
export function directKeywords(cst: CstNode | undefined): CstNode[] {
    if (!cst || !('content' in cst)) {
        return [];
    }
    return (cst as CstNode & { content: CstNode[] }).content.filter((c) => c.grammarSource?.$type === 'Keyword');
}

/**
 * The outline: servers, tools, workflows and tests; under a workflow its inputs and steps,
 * under a test its values, stubs and expectations (test-symbols.ts). Only declarations,
 * not the names Langium also finds in metrics or `each` clauses.
 */
import { GrammarUtils, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import { isDocument, isInputDecl, isServer, isStep, isTestDecl, isToolDecl, isWorkflow, type Document } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { lastOf } from '../ast-options.js';
import { testSymbol } from './test-symbols.js';

export class KmflowDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
    constructor(services: KmflowServices) {
        super(services);
    }

    override getSymbols(document: LangiumDocument, _params: DocumentSymbolParams): MaybePromise<DocumentSymbol[]> {
        const root = document.parseResult.value;
        if (!isDocument(root)) {
            return [];
        }
        const doc = root as Document;
        const nodes: AstNode[] = [...doc.servers, ...doc.tools, ...doc.workflows, ...doc.tests]
            .sort((a, b) => (a.$cstNode?.offset ?? 0) - (b.$cstNode?.offset ?? 0));
        return nodes.flatMap((n) => this.symbolOf(n));
    }

    protected symbolOf(node: AstNode): DocumentSymbol[] {
        if (isTestDecl(node)) {
            return testSymbol(node);
        }
        const cst = node.$cstNode;
        const nameNode = GrammarUtils.findNodeForProperty(cst, 'name');
        const name = (node as AstNode & { name?: string }).name;
        if (!cst || !nameNode || !name) {
            return [];
        }
        const children = isWorkflow(node)
            ? [...node.inputs, ...node.steps].sort((a, b) => (a.$cstNode?.offset ?? 0) - (b.$cstNode?.offset ?? 0)).flatMap((c) => this.symbolOf(c))
            : undefined;
        return [{
            name,
            detail: this.detailOf(node),
            kind: this.kindOf(node),
            range: cst.range,
            selectionRange: nameNode.range,
            children,
        }];
    }

    protected kindOf(node: AstNode): SymbolKind {
        if (isWorkflow(node)) {
            return SymbolKind.Class;
        }
        if (isStep(node)) {
            return SymbolKind.Method;
        }
        if (isToolDecl(node)) {
            return SymbolKind.Function;
        }
        if (isServer(node)) {
            return SymbolKind.Module;
        }
        return isInputDecl(node) ? SymbolKind.Variable : SymbolKind.Field;
    }

    protected detailOf(node: AstNode): string | undefined {
        if (isStep(node)) {
            return node.capability !== undefined ? `capability ${node.capability}` : node.tool?.$refText;
        }
        if (isInputDecl(node)) {
            return node.type;
        }
        if (isToolDecl(node) || isWorkflow(node)) {
            return node.title;
        }
        return isServer(node) ? (lastOf(node.url) ?? lastOf(node.command)) : undefined;
    }
}

/**
 * Go to definition beyond Langium's cross-references: `input.NAME` and steps inside `${}`
 * strings, `via SERVER` to the server's declaration, and an `import` to its file or
 * bundled catalog (`kmflow-catalog:/km.kmflow`).
 */
import { AstUtils, GrammarUtils, type AstNode, type IndexManager, type LangiumDocument, type LangiumDocuments, type MaybePromise } from 'langium';
import { DefaultDefinitionProvider } from 'langium/lsp';
import { LocationLink, type DefinitionParams, type Range } from 'vscode-languageserver';
import { Server, isServer } from '../generated/ast.js';
import { resolveImport } from '../catalogs.js';
import type { KmflowServices } from '../kmflow-module.js';
import { symbolAt } from './symbol-at.js';

export class KmflowDefinitionProvider extends DefaultDefinitionProvider {
    protected readonly services: KmflowServices;
    protected readonly indexManager: IndexManager;
    protected readonly documents: LangiumDocuments;

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
        this.indexManager = services.shared.workspace.IndexManager;
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    override getDefinition(document: LangiumDocument, params: DefinitionParams): MaybePromise<LocationLink[] | undefined> {
        const text = document.textDocument;
        const offset = text.offsetAt(params.position);
        const symbol = symbolAt(this.services, document, offset);
        if (!symbol) {
            return super.getDefinition(document, params);
        }
        const origin: Range = { start: text.positionAt(symbol.offset), end: text.positionAt(symbol.offset + symbol.length) };
        switch (symbol.kind) {
            case 'input':
                return symbol.decl ? [this.linkTo(symbol.decl, origin)] : undefined;
            case 'step':
                return [this.linkTo(symbol.step, origin)];
            case 'via': {
                const server = this.findServer(symbol.via.server);
                return server ? [this.linkTo(server, origin)] : undefined;
            }
            case 'import': {
                const target = resolveImport(document.uri, symbol.node.path);
                if (!target || !this.documents.hasDocument(target)) {
                    return undefined;
                }
                const start = { line: 0, character: 0 };
                return [LocationLink.create(target.toString(), { start, end: start }, { start, end: start }, origin)];
            }
        }
    }

    /** The first declaration of a server in the workspace (servers are global). */
    protected findServer(name: string): Server | undefined {
        const description = this.indexManager.allElements(Server.$type).find((s) => s.name === name);
        if (!description) {
            return undefined;
        }
        if (description.node && isServer(description.node)) {
            return description.node;
        }
        const doc = this.documents.getDocument(description.documentUri);
        const node = doc && this.services.workspace.AstNodeLocator.getAstNode(doc.parseResult.value, description.path);
        return isServer(node) ? node : undefined;
    }

    protected linkTo(node: AstNode, origin: Range): LocationLink {
        const uri = AstUtils.getDocument(node).uri.toString();
        const name = GrammarUtils.findNodeForProperty(node.$cstNode, 'name') ?? node.$cstNode!;
        return LocationLink.create(uri, node.$cstNode!.range, name.range, origin);
    }
}

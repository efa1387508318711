/**
 * Rename of steps, inputs and tools. Steps and inputs are renamed everywhere in their
 * workflow, `after`, references and `${}` strings included, and in the `test` blocks of
 * it in any document (`given STEP`, `input NAME =`, `expect STEP.…`); tools (cross-file) by
 * Langium's reference index.
 */
import type { LangiumDocument } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import {
    ResponseError, TextEdit, type PrepareRenameParams, type Range, type RenameParams, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { KmflowServices } from '../kmflow-module.js';
import { isCatalogUri } from '../catalogs.js';
import { occurrencesOf, symbolAt } from './symbol-at.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOOL_ID = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

export class KmflowRenameProvider extends DefaultRenameProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
    }

    override async rename(document: LangiumDocument, params: RenameParams): Promise<WorkspaceEdit | undefined> {
        const text = document.textDocument;
        const symbol = symbolAt(this.services, document, text.offsetAt(params.position));
        if (symbol?.kind === 'input' || symbol?.kind === 'step') {
            if (!NAME.test(params.newName)) {
                throw new ResponseError(-32602, `'${params.newName}' is not a valid ${symbol.kind} id`);
            }
            const changes: Record<string, TextEdit[]> = {};
            for (const o of occurrencesOf(this.services, symbol, true)) {
                const at = o.document.textDocument;
                (changes[at.uri] ??= []).push(
                    TextEdit.replace({ start: at.positionAt(o.offset), end: at.positionAt(o.offset + o.length) }, params.newName));
            }
            return { changes };
        }
        if (!TOOL_ID.test(params.newName)) {
            throw new ResponseError(-32602, `'${params.newName}' is not a valid id`);
        }
        const result = await super.rename(document, params);
        // Bundled catalogs are read-only: renaming one of their tools would leave the catalog behind.
        if (result?.changes && Object.keys(result.changes).some((uri) => isCatalogUri(uri))) {
            throw new ResponseError(-32602, 'tools of a bundled catalog cannot be renamed');
        }
        return result;
    }

    override prepareRename(document: LangiumDocument, params: PrepareRenameParams): Range | undefined {
        const text = document.textDocument;
        const symbol = symbolAt(this.services, document, text.offsetAt(params.position));
        if (symbol?.kind === 'input' || symbol?.kind === 'step') {
            return { start: text.positionAt(symbol.offset), end: text.positionAt(symbol.offset + symbol.length) };
        }
        return super.prepareRename(document, params) as Range | undefined;
    }
}

/**
 * Find references, adding what Langium does not link: `input.NAME` (inputs are not
 * cross-references) and steps named inside `${}` strings.
 */
import type { LangiumDocument, MaybePromise } from 'langium';
import { DefaultReferencesProvider } from 'langium/lsp';
import { Location, type ReferenceParams } from 'vscode-languageserver';
import type { KmflowServices } from '../kmflow-module.js';
import { occurrencesOf, symbolAt } from './symbol-at.js';

export class KmflowReferencesProvider extends DefaultReferencesProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        super(services);
        this.services = services;
    }

    override findReferences(document: LangiumDocument, params: ReferenceParams): MaybePromise<Location[]> {
        const text = document.textDocument;
        const symbol = symbolAt(this.services, document, text.offsetAt(params.position));
        if (symbol?.kind !== 'input' && symbol?.kind !== 'step') {
            return super.findReferences(document, params);
        }
        // Steps and inputs are local to their workflow, so every occurrence is in this document.
        return occurrencesOf(this.services, symbol, params.context.includeDeclaration).map((o) =>
            Location.create(text.uri, { start: text.positionAt(o.offset), end: text.positionAt(o.offset + o.length) }));
    }
}

/**
 * Find references, adding what Langium does not link: `input.NAME` (inputs are not
 * cross-references), steps named inside `${}` strings, and the names the workflow's `test`
 * blocks give its steps and inputs.
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
        const symbol = symbolAt(this.services, document, document.textDocument.offsetAt(params.position));
        if (symbol?.kind !== 'input' && symbol?.kind !== 'step') {
            return super.findReferences(document, params);
        }
        // Steps and inputs are local to their workflow and to the tests of it, wherever those are.
        return occurrencesOf(this.services, symbol, params.context.includeDeclaration).map((o) => {
            const text = o.document.textDocument;
            return Location.create(text.uri, { start: text.positionAt(o.offset), end: text.positionAt(o.offset + o.length) });
        });
    }
}

/**
 * Langium's document factory, with the re-parse of a changed document made incremental:
 * only the top-level blocks an edit touches are parsed again and spliced in, when that is
 * exact (reparse.ts); otherwise the whole text is parsed, as Langium does. Either way
 * the document gets a new `parseResult` object, so caches per parse (parse-cache.ts)
 * start afresh. It also remembers which version of an open document each parse read, so
 * the diagnostics published for it can say so.
 */
import {
    DefaultLangiumDocumentFactory, DocumentState, type AstNode, type LangiumDocument, type LangiumSharedCoreServices,
} from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { reparseIncrementally } from './reparse.js';

export class KmflowDocumentFactory extends DefaultLangiumDocumentFactory {
    /** How the documents were parsed again since start: a block spliced in, or the whole text. */
    readonly reparses = { incremental: 0, full: 0 };
    protected readonly versions = new WeakMap<LangiumDocument, number>();

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    /** The version of the open text document that `document` was last parsed from (undefined when not open). */
    parsedVersion(document: LangiumDocument): number | undefined {
        return this.versions.get(document);
    }

    /** As Langium's, but the new text is parsed incrementally where that is exact. */
    override async update<T extends AstNode = AstNode>(document: LangiumDocument<T>, cancellationToken: CancellationToken): Promise<LangiumDocument<T>> {
        const oldText = document.parseResult.value.$cstNode?.root.fullText;
        const textDocument = this.textDocuments?.get(document.uri.toString());
        const text = textDocument ? textDocument.getText() : await this.fileSystemProvider.readFile(document.uri);
        if (textDocument) {
            Object.defineProperty(document, 'textDocument', { value: textDocument });
            this.versions.set(document, textDocument.version);
        } else {
            const getter = this.createTextDocumentGetter(document.uri, text);
            Object.defineProperty(document, 'textDocument', { get: getter });
            this.versions.delete(document);
        }
        if (oldText !== text) {
            const spliced = oldText === undefined ? undefined : this.reparse(document, oldText, text);
            if (spliced) {
                this.reparses.incremental++;
                document.parseResult = spliced;
            } else {
                this.reparses.full++;
                document.parseResult = await this.parseAsync<T>(document.uri, text, cancellationToken);
                (document.parseResult.value as { $document?: LangiumDocument }).$document = document;
            }
        }
        document.state = DocumentState.Parsed;
        return document;
    }

    protected reparse<T extends AstNode>(document: LangiumDocument<T>, oldText: string, text: string): LangiumDocument<T>['parseResult'] | undefined {
        const services = this.serviceRegistry.getServices(document.uri);
        return reparseIncrementally(services.parser.LangiumParser, services.shared.AstReflection, document.parseResult, oldText, text) as
            LangiumDocument<T>['parseResult'] | undefined;
    }
}

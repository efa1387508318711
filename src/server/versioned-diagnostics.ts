/**
 * Each `publishDiagnostics` says which version of the document it is for (LSP's optional
 * `version`): the version of the open text the document was parsed from (the document
 * factory remembers it). A client can then tell the diagnostics of an edit from late ones
 * of an earlier text; the benchmark times a keystroke to the diagnostics of its version.
 */
import { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { KmflowDocumentFactory } from '../language/incremental/document-factory.js';

export function publishWithVersions(connection: Connection, shared: LangiumSharedServices): void {
    const factory = shared.workspace.LangiumDocumentFactory as Partial<KmflowDocumentFactory>;
    const documents = shared.workspace.LangiumDocuments;
    const send = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = (params: PublishDiagnosticsParams): Promise<void> => {
        if (params.version === undefined && factory.parsedVersion) {
            const document = documents.getDocument(URI.parse(params.uri));
            const version = document && factory.parsedVersion(document);
            if (version !== undefined) {
                return send({ ...params, version });
            }
        }
        return send(params);
    };
}

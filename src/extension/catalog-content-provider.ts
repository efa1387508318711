/**
 * Serves the bundled catalogs (`kmflow-catalog:/km.kmflow`) read-only, so go to
 * definition into `std` or `km` opens their source like any file, but not for editing.
 * The source comes from the language server (`kmflow/catalog`), which bundles them.
 */
import { vscode } from './vscode-api.js';
import { CATALOG_SCHEME } from '../shared/lsp-protocol.js';
import type { KmflowClient } from './kmflow-client.js';

/** The `kmflow-catalog:` scheme's documents. */
export class CatalogContentProvider implements vscode.TextDocumentContentProvider {
    static readonly scheme = CATALOG_SCHEME;

    constructor(private readonly server: KmflowClient) {}

    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
        const { text } = await this.server.request('kmflow/catalog', { uri: uri.toString() }).catch(() => ({ text: undefined }));
        return text ?? `// No bundled catalog at ${uri.toString()}\n`;
    }
}

/** Registers the provider and makes its documents kmflow ones. */
export function registerCatalogDocuments(context: vscode.ExtensionContext, server: KmflowClient): void {
    context.subscriptions.push(
        vscode.workspace.registerTextDocumentContentProvider(CatalogContentProvider.scheme, new CatalogContentProvider(server)),
        vscode.workspace.onDidOpenTextDocument((doc) => {
            if (doc.uri.scheme === CatalogContentProvider.scheme && doc.languageId !== 'kmflow') {
                void vscode.languages.setTextDocumentLanguage(doc, 'kmflow');
            }
        }),
    );
}

/**
 * Serves the bundled catalogs (`kmflow-catalog:/km.kmflow`) read-only, so go to
 * definition into `std` or `km` opens their source like any file, but not for editing.
 */
import * as vscode from 'vscode';
import { BUNDLED_CATALOGS, CATALOG_SCHEME } from '../language/catalogs.js';

/** The `kmflow-catalog:` scheme's documents. */
export class CatalogContentProvider implements vscode.TextDocumentContentProvider {
    static readonly scheme = CATALOG_SCHEME;

    provideTextDocumentContent(uri: vscode.Uri): string {
        const catalog = BUNDLED_CATALOGS.find((c) => c.uri.path === uri.path);
        return catalog?.source ?? `// No bundled catalog at ${uri.toString()}\n`;
    }
}

/** Registers the provider and makes its documents kmflow ones. */
export function registerCatalogDocuments(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
        vscode.workspace.registerTextDocumentContentProvider(CatalogContentProvider.scheme, new CatalogContentProvider()),
        vscode.workspace.onDidOpenTextDocument((doc) => {
            if (doc.uri.scheme === CatalogContentProvider.scheme && doc.languageId !== 'kmflow') {
                void vscode.languages.setTextDocumentLanguage(doc, 'kmflow');
            }
        }),
    );
}

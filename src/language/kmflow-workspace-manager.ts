/**
 * Loads the bundled catalogs (`std`, `km`) as documents of every workspace, so their
 * tools are indexed, linked, hovered and navigable like the user's own declarations.
 */
import {
    DefaultWorkspaceManager, type LangiumDocument, type LangiumDocumentFactory, type LangiumSharedCoreServices,
} from 'langium';
import type { WorkspaceFolder } from 'vscode-languageserver-types';
import { BUNDLED_CATALOGS, type BundledCatalog } from './catalogs.js';

export class KmflowWorkspaceManager extends DefaultWorkspaceManager {
    protected readonly documentFactory: LangiumDocumentFactory;

    constructor(services: LangiumSharedCoreServices) {
        super(services);
        this.documentFactory = services.workspace.LangiumDocumentFactory;
    }

    protected override async loadAdditionalDocuments(
        folders: WorkspaceFolder[], collector: (document: LangiumDocument) => void): Promise<void> {
        await super.loadAdditionalDocuments(folders, collector);
        for (const doc of createCatalogDocuments(this.documentFactory)) {
            collector(doc);
        }
    }
}

/** One fresh document per bundled catalog (of those `which` keeps, default all). */
export function createCatalogDocuments(factory: LangiumDocumentFactory, which: (c: BundledCatalog) => boolean = () => true): LangiumDocument[] {
    return BUNDLED_CATALOGS.filter(which).map((c) => factory.fromString(c.source, c.uri));
}

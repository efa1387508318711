/** Builds in-memory kmflow documents with the real services, as the CLI and server do. */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { createKmflowServices, type KmflowServices } from '../../src/language/kmflow-module.js';
import { createCatalogDocuments } from '../../src/language/kmflow-workspace-manager.js';
import { toCliDiagnostic, type CliDiagnostic } from '../../src/language/diagnostic-format.js';

export interface Workspace {
    services: KmflowServices;
    documents: Map<string, LangiumDocument>;
}

/** Parses, links and (unless told not to) validates `files` (name → text) together with the bundled catalogs. */
export async function buildWorkspace(files: Record<string, string>, options: { validation?: boolean } = {}): Promise<Workspace> {
    const { Kmflow } = createKmflowServices(EmptyFileSystem);
    const langiumDocuments = Kmflow.shared.workspace.LangiumDocuments;
    const factory = Kmflow.shared.workspace.LangiumDocumentFactory;
    for (const doc of createCatalogDocuments(factory)) {
        langiumDocuments.addDocument(doc);
    }
    const documents = new Map<string, LangiumDocument>();
    for (const [name, text] of Object.entries(files)) {
        const doc = factory.fromString(text, URI.file(`/ws/${name}`));
        langiumDocuments.addDocument(doc);
        documents.set(name, doc);
    }
    await Kmflow.shared.workspace.DocumentBuilder.build(langiumDocuments.all.toArray(), { validation: options.validation ?? true });
    return { services: Kmflow, documents };
}

/** The CLI-shaped diagnostics of one document (`main.kmflow` unless named). */
export async function check(text: string, others: Record<string, string> = {}): Promise<CliDiagnostic[]> {
    const ws = await buildWorkspace({ 'main.kmflow': text, ...others });
    return diagnosticsOf(ws, 'main.kmflow');
}

export function diagnosticsOf(ws: Workspace, name: string): CliDiagnostic[] {
    const doc = ws.documents.get(name)!;
    return (doc.diagnostics ?? []).map((d) => toCliDiagnostic(name, d));
}

/** `code@line:column` of each diagnostic, sorted: compact to assert on. */
export function codesAt(diagnostics: CliDiagnostic[]): string[] {
    return diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`).sort();
}

/**
 * A kmflow workspace over an in-memory file system, changed as an editor's server changes
 * it: the text of a file replaced, then `DocumentBuilder.update` (parse, index, link,
 * validate with the update's options). `set(…, fresh)` drops the document first and makes
 * it anew from its text (a full parse), else the builder parses the change as it would.
 */
import { type URI, type FileSystemNode, type FileSystemProvider, type LangiumDocument } from 'langium';
import { createKmflowServices, type KmflowServices } from '../../src/language/kmflow-module.js';
import { createCatalogDocuments } from '../../src/language/kmflow-workspace-manager.js';

export interface MemoryWorkspace {
    services: KmflowServices;
    set(uri: URI, text: string, fresh: boolean): Promise<LangiumDocument>;
    get(uri: URI): LangiumDocument;
}

class MemoryFileSystem implements FileSystemProvider {
    readonly files = new Map<string, string>();
    private node(uri: URI): FileSystemNode {
        return { uri, isFile: this.files.has(uri.toString()), isDirectory: !this.files.has(uri.toString()) };
    }
    stat(uri: URI): Promise<FileSystemNode> { return Promise.resolve(this.node(uri)); }
    statSync(uri: URI): FileSystemNode { return this.node(uri); }
    exists(uri: URI): Promise<boolean> { return Promise.resolve(this.files.has(uri.toString())); }
    existsSync(uri: URI): boolean { return this.files.has(uri.toString()); }
    readBinary(): Promise<Uint8Array> { return Promise.resolve(new Uint8Array()); }
    readBinarySync(): Uint8Array { return new Uint8Array(); }
    readFile(uri: URI): Promise<string> { return Promise.resolve(this.readFileSync(uri)); }
    readFileSync(uri: URI): string {
        const text = this.files.get(uri.toString());
        if (text === undefined) {
            throw new Error(`no file ${uri.toString()}`);
        }
        return text;
    }
    readDirectory(): Promise<FileSystemNode[]> { return Promise.resolve([]); }
    readDirectorySync(): FileSystemNode[] { return []; }
}

export async function openWorkspace(): Promise<MemoryWorkspace> {
    const files = new MemoryFileSystem();
    const { shared, Kmflow } = createKmflowServices({ fileSystemProvider: () => files });
    const documents = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    const builder = shared.workspace.DocumentBuilder;
    for (const doc of createCatalogDocuments(factory)) {
        documents.addDocument(doc);
    }
    await builder.build(documents.all.toArray(), { validation: true });
    return {
        services: Kmflow,
        async set(uri, text, fresh) {
            if (fresh && documents.hasDocument(uri)) {
                await builder.update([], [uri]);
            }
            files.files.set(uri.toString(), text);
            if (!documents.hasDocument(uri)) {
                documents.addDocument(factory.fromString(text, uri));
            }
            await builder.update([uri], []);
            return documents.getDocument(uri)!;
        },
        get(uri) {
            return documents.getDocument(uri)!;
        },
    };
}

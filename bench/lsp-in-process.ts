/**
 * The language in process, no connection: Langium's bare parse of a text beside a cold
 * build (parse, index, scope, link, validate) with kmflow's services. Imported after the
 * entry registered the `.kmflow` text loader (bench/lsp.ts).
 */
import { EmptyFileSystem, URI } from 'langium';
import { createKmflowServices } from '../src/language/kmflow-module.js';
import { createCatalogDocuments } from '../src/language/kmflow-workspace-manager.js';

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/**
 * Bare parse, then a cold build of the same files with all of kmflow's services: parsing
 * (creating the documents) and the rest of the build (index, scope, link, validate) timed
 * apart. Each figure is the best of three fresh runs, so JIT warm-up and a busy machine
 * do not decide which phase looks slower.
 */
export async function inProcess(files: Record<string, string>): Promise<Record<string, number>> {
    const texts = Object.values(files);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    let parseMs = Infinity;
    let docParseMs = Infinity;
    let linkValidateMs = Infinity;
    let buildMs = Infinity;
    let errors = 0;
    for (let round = 0; round < 3; round++) {
        const { Kmflow } = createKmflowServices(EmptyFileSystem);
        // The parser is built on first access: keep that (grammar analysis) out of the parse time.
        const parser = Kmflow.parser.LangiumParser;
        const t0 = performance.now();
        for (const text of texts) {
            parser.parse(text);
        }
        parseMs = Math.min(parseMs, performance.now() - t0);
        const { Kmflow: fresh } = createKmflowServices(EmptyFileSystem);
        const documents = fresh.shared.workspace.LangiumDocuments;
        const factory = fresh.shared.workspace.LangiumDocumentFactory;
        for (const doc of createCatalogDocuments(factory)) {
            documents.addDocument(doc);
        }
        // The catalogs are built once at start-up in a real server: not part of this build.
        await fresh.shared.workspace.DocumentBuilder.build(documents.all.toArray(), { validation: true });
        const t1 = performance.now();
        const docs = Object.entries(files).map(([name, text]) => {
            const doc = factory.fromString(text, URI.file(`/bench/${name}`));
            documents.addDocument(doc);
            return doc;
        });
        const t2 = performance.now();
        await fresh.shared.workspace.DocumentBuilder.build(docs, { validation: true });
        const t3 = performance.now();
        docParseMs = Math.min(docParseMs, t2 - t1);
        linkValidateMs = Math.min(linkValidateMs, t3 - t2);
        buildMs = Math.min(buildMs, t3 - t1);
        errors = docs.reduce((n, d) => n + (d.diagnostics ?? []).filter((x) => x.severity === 1).length, 0);
    }
    return {
        megabytes: round(bytes / 1e6, 2),
        parseMs: round(parseMs),
        buildParseMs: round(docParseMs),
        buildMs: round(buildMs),
        linkValidateMs: round(linkValidateMs),
        linkValidateOverParse: round(linkValidateMs / docParseMs, 2),
        buildMBps: round(bytes / 1e6 / (buildMs / 1000), 2),
        parseMBps: round(bytes / 1e6 / (parseMs / 1000), 2),
        errors,
    };
}


/**
 * The linker's and the scope computation's walks without Langium's streams
 * (src/language/incremental/fast-traversal.ts) visit the same nodes and references in
 * the same order as Langium's, so linking and local symbols come out exactly as Langium
 * makes them: the same `document.references`, in the same order, the same symbols per
 * container, in the same order. Over the examples, the benchmark's documents and
 * documents with errors.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    AstUtils, DefaultLinker, DefaultScopeComputation, isReference, type AstNode, type AstNodeDescription,
    type LangiumDocument, type MultiMap, type ReferenceInfo,
} from 'langium';
import type { KmflowServices } from '../../src/language/kmflow-module.js';
import { buildWorkspace } from '../helpers/documents.js';
import { allNodes, forEachReference } from '../../src/language/incremental/fast-traversal.js';
import { generate } from '../../bench/lsp-documents.js';

const examplesDir = path.join(import.meta.dirname, '../../examples');
const texts = [
    ...fs.readdirSync(examplesDir).filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8')),
    generate(300, 5),
    // With errors: recovery leaves partial nodes and unresolved references.
    'workflow w { step a uses nope { with { x: b.output } } step b uses log { after a, zz }\n',
    'tool t { depends_on missing integrates other }\nworkflow v { step s uses t { } step s uses t { after s } }\n',
];

async function workspace(): Promise<{ services: KmflowServices; docs: LangiumDocument[] }> {
    const ws = await buildWorkspace(Object.fromEntries(texts.map((text, i) => [`t${i}.kmflow`, text])), { validation: false });
    return { services: ws.services, docs: [...ws.documents.values()] };
}

function refKey(r: ReferenceInfo): unknown[] {
    return [r.reference, r.container, r.property, r.index];
}

describe('walks without streams', () => {
    it('visit the nodes and references of streamAst, streamAllContents and streamReferences, in order', async () => {
        const { docs } = await workspace();
        for (const doc of docs) {
            const root = doc.parseResult.value;
            expect(allNodes(root, true)).toEqual(AstUtils.streamAst(root).toArray());
            const all = allNodes(root, false);
            expect(all.length).toBe(AstUtils.streamAllContents(root).count());
            expect(all.every((n, i) => n === AstUtils.streamAllContents(root).toArray()[i])).toBe(true);
            for (const node of allNodes(root, true)) {
                const ours: unknown[][] = [];
                forEachReference(node, (r) => ours.push(refKey(r)));
                expect(ours).toEqual(AstUtils.streamReferences(node).toArray().map(refKey));
            }
        }
    });

    it('link as Langium links: the same references, in the same order, to the same targets', async () => {
        const { services, docs } = await workspace();
        const linker = services.references.Linker;
        for (const doc of docs) {
            const shape = (d: LangiumDocument): unknown[] => d.references.map((r) => [r, isReference(r) ? r.ref : undefined, r.error?.message]);
            const ours = shape(doc);
            linker.unlink(doc);
            await DefaultLinker.prototype.link.call(linker, doc);
            expect(shape(doc)).toEqual(ours);
        }
    });

    it('collect the local symbols Langium collects, per container, in order', async () => {
        const { services, docs } = await workspace();
        const computation = services.references.ScopeComputation;
        for (const doc of docs) {
            const ours = await computation.collectLocalSymbols(doc) as MultiMap<AstNode, AstNodeDescription>;
            const langiums = await DefaultScopeComputation.prototype.collectLocalSymbols.call(computation, doc) as MultiMap<AstNode, AstNodeDescription>;
            const shape = (m: MultiMap<AstNode, AstNodeDescription>): unknown[] =>
                [...m.keys()].map((k) => [k, m.get(k).map((d) => [d.name, d.type, d.path, d.node])]);
            expect(shape(ours)).toEqual(shape(langiums));
        }
    });
});

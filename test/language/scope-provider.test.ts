/**
 * The scope provider's shortcuts (src/language/kmflow-scope-provider.ts) answer as
 * Langium's scope chain does: outside test blocks, every reference's scope finds the
 * same element for its text and lists the same elements, in the same order, as
 * DefaultScopeProvider's; scopes of one container over one outer scope are shared. And
 * the types the scope code and the checks compare by name (`$type ===`) have no subtypes.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AstUtils, DefaultScopeProvider, EmptyFileSystem, type LangiumDocument, type ReferenceInfo } from 'langium';
import { createKmflowServices, type KmflowServices } from '../../src/language/kmflow-module.js';
import { isTestDecl } from '../../src/language/generated/ast.js';
import { buildWorkspace } from '../helpers/documents.js';
import { forEachReference, subtreeOf } from '../../src/language/incremental/fast-traversal.js';
import { generate } from '../../bench/lsp-documents.js';
import { seededRandom } from '../../src/engine/run/retry.js';

const examplesDir = path.join(import.meta.dirname, '../../examples');
const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.kmflow'));
const texts = [
    ...files.map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8')),
    generate(200, 5),
    'workflow w { step a uses nope { with { x: b.output } } step b uses log { after a, zz }\n',
    'workflow v { input n: string step s uses log { with { message: "${n}" } each x in [1] each y in [2] } step s uses log { after s } }\n',
];

async function workspace(): Promise<{ services: KmflowServices; docs: LangiumDocument[] }> {
    // Examples import one another by relative path: they keep their names, in one folder.
    const ws = await buildWorkspace(Object.fromEntries(texts.map((text, i) => [files[i] ?? `t${i}.kmflow`, text])), { validation: false });
    return { services: ws.services, docs: [...ws.documents.values()] };
}

function referencesOf(doc: LangiumDocument): ReferenceInfo[] {
    const root = doc.parseResult.value;
    const refs: ReferenceInfo[] = [];
    forEachReference(root, (r) => refs.push(r));
    for (const node of subtreeOf(root)) {
        if (node !== root) {
            forEachReference(node, (r) => refs.push(r));
        }
    }
    return refs;
}

describe('scope provider', () => {
    it('finds and lists what Langium\'s scope chain does, outside test blocks', async () => {
        const { services, docs } = await workspace();
        const ours = services.references.ScopeProvider;
        let compared = 0;
        for (const doc of docs) {
            for (const info of referencesOf(doc)) {
                if (AstUtils.getContainerOfType(info.container, isTestDecl)) {
                    continue;
                }
                const theirs = DefaultScopeProvider.prototype.getScope.call(ours, info);
                const scope = ours.getScope(info);
                const text = info.reference.$refText;
                expect(scope.getElement(text)).toBe(theirs.getElement(text));
                expect(scope.getElements(text).toArray()).toEqual(theirs.getElements(text).toArray());
                expect(scope.getAllElements().toArray()).toEqual(theirs.getAllElements().toArray());
                compared++;
            }
        }
        expect(compared).toBeGreaterThan(200);
    });

    it('answers the same in any order of references, across documents, workflows and test blocks', async () => {
        // The scopes last found are kept by parent (getScope): asking in a shuffled order,
        // test blocks included, must not hand one container's scope to another's reference.
        const { services, docs } = await workspace();
        const ours = services.references.ScopeProvider;
        const all = docs.flatMap((doc) => referencesOf(doc));
        const shuffled = [...all, ...all];
        const random = seededRandom(7);
        for (let i = shuffled.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        shuffled.forEach((info, i) => {
            const text = info.reference.$refText;
            // The same provider with nothing kept: the answer worked out from scratch.
            const expected = ours.getScope.call(Object.assign(Object.create(ours) as object, { parentScopes: [] }), info);
            const scope = ours.getScope(info);
            // Compared by identity, named by the reference: a failing deep diff of descriptions runs out of memory.
            const where = `'${text}' at ${info.container.$type}.${info.property}`;
            expect(scope.getElement(text) === expected.getElement(text), where).toBe(true);
            if (i % 50 === 0) {
                const found = scope.getAllElements().toArray();
                const wanted = expected.getAllElements().toArray();
                expect(found.length, where).toBe(wanted.length);
                expect(found.every((d, k) => d === wanted[k]), where).toBe(true);
            }
        });
        expect(shuffled.length).toBeGreaterThan(400);
    });

    it('gives the references of one workflow\'s steps one scope', async () => {
        const { services, docs } = await workspace();
        const scopes = services.references.ScopeProvider;
        const generated = docs[files.length]!;
        const afters = referencesOf(generated).filter((r) => r.property === 'after');
        expect(afters.length).toBeGreaterThan(10);
        const workflows = new Set(afters.map((r) => r.container.$container));
        expect(new Set(afters.map((r) => scopes.getScope(r))).size).toBe(workflows.size);
    });

    it('compares by name only types without subtypes', () => {
        const { Kmflow } = createKmflowServices(EmptyFileSystem);
        for (const type of ['Ref', 'Literal', 'Step', 'TestDecl', 'FailureRule', 'EachClause']) {
            expect(Kmflow.shared.AstReflection.getAllSubTypes(type)).toEqual([type]);
        }
    });
});

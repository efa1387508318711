/**
 * The names a `test` block gives the steps and inputs of the workflow it tests:
 * `given STEP`, `input NAME = …`, and every `STEP.…` / `input.NAME` its expressions read,
 * `${}` strings included. References and rename of a step or an input reach into the tests
 * of its workflow, in any document, through these.
 */
import { GrammarUtils, type LangiumCoreServices, type LangiumDocument } from 'langium';
import { isDocument, type Document, type TestDecl, type Workflow } from '../generated/ast.js';
import { TEST_RUN_SUBJECT } from '../kmflow-scope-computation.js';
import { ParseCache } from '../parse-cache.js';
import { entryKey } from '../static-values.js';
import { refsUnder } from './expression-refs.js';

/** A step or input of the tested workflow, named in a test. */
export interface TestRefOccurrence {
    kind: 'step' | 'input';
    name: string;
    /** Document offset and length of the name. */
    offset: number;
    length: number;
}

const cache = new ParseCache<TestDecl, TestRefOccurrence[]>();

/** The step and input names of a test block, in document order. Cached per parse (parse-cache.ts). */
export function testRefs(services: LangiumCoreServices, test: TestDecl): TestRefOccurrence[] {
    return cache.get(test, () => {
        const out: TestRefOccurrence[] = [];
        for (const value of test.values) {
            const cst = GrammarUtils.findNodeForProperty(value.$cstNode, 'name');
            if (value.kind === 'input' && cst) {
                out.push({ kind: 'input', name: entryKey(value.name), offset: cst.offset, length: cst.length });
            }
        }
        for (const given of test.givens) {
            const cst = GrammarUtils.findNodeForProperty(given.$cstNode, 'step');
            if (given.step && cst) {
                out.push({ kind: 'step', name: given.step.$refText, offset: cst.offset, length: cst.length });
            }
        }
        for (const ref of refsUnder(services, test)) {
            // Inside a test `run` is the run, never a step called run (the scope provider's rule).
            if (ref.kind === 'input' || (ref.kind === 'step' && ref.name !== TEST_RUN_SUBJECT)) {
                out.push({ kind: ref.kind, name: ref.name, offset: ref.offset, length: ref.length });
            }
        }
        return out.sort((a, b) => a.offset - b.offset);
    });
}

/** The test blocks of the workspace that test `workflow`, each with its document. */
export function testsOf(services: LangiumCoreServices, workflow: Workflow): Array<{ document: LangiumDocument; test: TestDecl }> {
    const result: Array<{ document: LangiumDocument; test: TestDecl }> = [];
    for (const document of services.shared.workspace.LangiumDocuments.all) {
        const root = document.parseResult.value;
        if (!isDocument(root)) {
            continue;
        }
        for (const test of (root as Document).tests) {
            // The name first: resolving every test's workflow would link documents that cannot name it.
            if (test.workflow?.$refText === workflow.name && test.workflow.ref === workflow) {
                result.push({ document, test });
            }
        }
    }
    return result;
}

/**
 * The kmflow symbol under the cursor when Langium's cross-references do not say it: an
 * input (declaration or `input.NAME`), a step named inside `${}`, a step declaration, the
 * server of a `via`, or an import; in a `test` block, the tested workflow's step or input
 * it names. Definition, references, rename and hover share it.
 */
import { AstUtils, GrammarUtils, type CstNode, type LangiumCoreServices, type LangiumDocument } from 'langium';
import {
    isDocument, type Document, type Import, type InputDecl, type Step, type TestDecl, type Via, type Workflow,
} from '../generated/ast.js';
import { refAt, workflowRefs, type RefOccurrence } from './expression-refs.js';
import { testRefs, testsOf } from './test-refs.js';

export type KmflowSymbol =
    | { kind: 'input'; workflow: Workflow; name: string; decl?: InputDecl; offset: number; length: number }
    | { kind: 'step'; workflow: Workflow; step: Step; offset: number; length: number }
    | { kind: 'via'; via: Via; offset: number; length: number }
    | { kind: 'import'; node: Import; offset: number; length: number };

/** The `test` block whose text contains `offset`. */
export function testAt(document: LangiumDocument, offset: number): TestDecl | undefined {
    const root = document.parseResult.value;
    return isDocument(root) ? (root as Document).tests.find((t) => contains(t.$cstNode, offset)) : undefined;
}

/** The workflow whose text contains `offset`. */
export function workflowAt(document: LangiumDocument, offset: number): Workflow | undefined {
    const root = document.parseResult.value;
    if (!isDocument(root)) {
        return undefined;
    }
    return (root as Document).workflows.find((w) => contains(w.$cstNode, offset));
}

export function symbolAt(services: LangiumCoreServices, document: LangiumDocument, offset: number): KmflowSymbol | undefined {
    const workflow = workflowAt(document, offset);
    if (workflow) {
        return symbolInWorkflow(services, workflow, offset);
    }
    const test = testAt(document, offset);
    if (test) {
        return symbolInTest(services, test, offset);
    }
    const root = document.parseResult.value as Document;
    // Any `via` under the cursor, the ones a repeated option overrides included.
    const via = root.tools?.flatMap((t) => t.via).find((v) => contains(v.$cstNode, offset));
    const viaName = GrammarUtils.findNodeForProperty(via?.$cstNode, 'server');
    if (via && viaName && contains(viaName, offset)) {
        return { kind: 'via', via, offset: viaName.offset, length: viaName.length };
    }
    const imp = root.imports?.find((i) => contains(i.$cstNode, offset));
    const path = GrammarUtils.findNodeForProperty(imp?.$cstNode, 'path');
    if (imp && path && contains(path, offset)) {
        return { kind: 'import', node: imp, offset: path.offset, length: path.length };
    }
    return undefined;
}

function symbolInWorkflow(services: LangiumCoreServices, workflow: Workflow, offset: number): KmflowSymbol | undefined {
    const ref = refAt(workflowRefs(services, workflow), offset);
    if (ref) {
        return fromRef(workflow, ref);
    }
    for (const decl of workflow.inputs) {
        const cst = GrammarUtils.findNodeForProperty(decl.$cstNode, 'name');
        if (cst && contains(cst, offset)) {
            return { kind: 'input', workflow, name: decl.name, decl, offset: cst.offset, length: cst.length };
        }
    }
    for (const step of workflow.steps) {
        if (!contains(step.$cstNode, offset)) {
            continue;
        }
        const name = GrammarUtils.findNodeForProperty(step.$cstNode, 'name');
        if (name && contains(name, offset)) {
            return { kind: 'step', workflow, step, offset: name.offset, length: name.length };
        }
        for (const [i, cst] of GrammarUtils.findNodesForProperty(step.$cstNode, 'after').entries()) {
            const target = workflow.steps.find((s) => s.name === step.after[i]?.$refText);
            if (target && contains(cst, offset)) {
                return { kind: 'step', workflow, step: target, offset: cst.offset, length: cst.length };
            }
        }
    }
    return undefined;
}

/** The step or input of the tested workflow that a test block names at `offset`. */
function symbolInTest(services: LangiumCoreServices, test: TestDecl, offset: number): KmflowSymbol | undefined {
    const workflow = test.workflow?.ref;
    const ref = workflow && testRefs(services, test).find((r) => r.offset <= offset && offset <= r.offset + r.length);
    if (!workflow || !ref) {
        return undefined;
    }
    if (ref.kind === 'input') {
        const decl = workflow.inputs.find((i) => i.name === ref.name);
        return { kind: 'input', workflow, name: ref.name, decl, offset: ref.offset, length: ref.length };
    }
    const step = workflow.steps.find((s) => s.name === ref.name);
    return step ? { kind: 'step', workflow, step, offset: ref.offset, length: ref.length } : undefined;
}

function fromRef(workflow: Workflow, ref: RefOccurrence): KmflowSymbol | undefined {
    if (ref.kind === 'input') {
        const decl = workflow.inputs.find((i) => i.name === ref.name);
        return { kind: 'input', workflow, name: ref.name, decl, offset: ref.offset, length: ref.length };
    }
    if (ref.kind === 'step') {
        const step = workflow.steps.find((s) => s.name === ref.name);
        return step ? { kind: 'step', workflow, step, offset: ref.offset, length: ref.length } : undefined;
    }
    return undefined;
}

/** One place a step or input is named, in its workflow's document or in a test's. */
export interface Occurrence {
    document: LangiumDocument;
    offset: number;
    length: number;
}

/**
 * Every occurrence of a symbol: the declaration (optional), each reference in its workflow,
 * and each name the workflow's `test` blocks give it, in whichever documents they are.
 * Ordered by document, then offset.
 */
export function occurrencesOf(services: LangiumCoreServices, symbol: KmflowSymbol & { kind: 'input' | 'step' },
    includeDeclaration: boolean): Occurrence[] {
    const home = AstUtils.getDocument(symbol.workflow);
    const result: Occurrence[] = [];
    const name = symbol.kind === 'input' ? symbol.name : symbol.step.name;
    const declNode = symbol.kind === 'input' ? symbol.decl : symbol.step;
    if (includeDeclaration && declNode) {
        const cst = GrammarUtils.findNodeForProperty(declNode.$cstNode, 'name');
        if (cst) {
            result.push({ document: home, offset: cst.offset, length: cst.length });
        }
    }
    for (const ref of workflowRefs(services, symbol.workflow)) {
        if (ref.kind === symbol.kind && ref.name === name) {
            result.push({ document: home, offset: ref.offset, length: ref.length });
        }
    }
    if (symbol.kind === 'step') {
        for (const step of symbol.workflow.steps) {
            GrammarUtils.findNodesForProperty(step.$cstNode, 'after').forEach((cst, i) => {
                if (step.after[i]?.$refText === name) {
                    result.push({ document: home, offset: cst.offset, length: cst.length });
                }
            });
        }
    }
    for (const { document, test } of testsOf(services, symbol.workflow)) {
        for (const ref of testRefs(services, test)) {
            if (ref.kind === symbol.kind && ref.name === name) {
                result.push({ document, offset: ref.offset, length: ref.length });
            }
        }
    }
    const uri = (o: Occurrence): string => o.document.uri.toString();
    return result.sort((a, b) => (uri(a) === uri(b) ? a.offset - b.offset : uri(a) < uri(b) ? -1 : 1));
}

export function contains(cst: CstNode | undefined, offset: number): boolean {
    return cst !== undefined && cst.offset <= offset && offset <= cst.end;
}

/**
 * Checks of `test` blocks: unique titles, values the tested workflow takes, stubs whose
 * value the tool could really answer (its output JSON Schema), a stub given twice, and a
 * cassette that exists. Unknown workflows, steps and tools are linking errors
 * (kmflow-document-validator.ts); what only a run can tell, the test runner reports.
 */
import * as path from 'node:path';
import { AstUtils, GrammarUtils, URI, type ValidationAcceptor } from 'langium';
import { cassettePath } from '../../engine/state/index.js';
import type { ToolDescriptor } from '../../engine/model/index.js';
import { isRef, type Document, type Given, type TestDecl, type Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { Codes } from '../diagnostic-codes.js';
import { entryKey } from '../static-values.js';
import { staticSchemaErrors } from './tool-checks.js';
import { lastIndex, lastOf } from '../ast-options.js';

/** Two tests of one file with the same title: results and snapshots could not tell them apart. */
export function checkTestTitles(doc: Document, accept: ValidationAcceptor): void {
    const first = new Map<string, TestDecl>();
    for (const test of doc.tests) {
        const earlier = first.get(test.title);
        if (!earlier) {
            first.set(test.title, test);
            continue;
        }
        accept('error', `test "${test.title}" is already declared on line ${(earlier.$cstNode?.range.start.line ?? 0) + 1}`, {
            node: test, property: 'title', code: Codes.DuplicateId, data: { code: Codes.DuplicateId },
        });
    }
}

export function checkTest(services: KmflowServices, test: TestDecl, accept: ValidationAcceptor): void {
    checkCassette(services, test, accept);
    const workflow = test.workflow?.ref;
    if (!workflow) {
        return;
    }
    checkValues(workflow, test, accept);
    const seen = new Map<string, Given>();
    for (const given of test.givens) {
        const key = given.tool ? `tool ${given.tool.$refText}` : `step ${given.step?.$refText ?? ''}`;
        const earlier = seen.get(key);
        if (earlier) {
            accept('warning', `'${key}' is stubbed again on line ${(given.$cstNode?.range.start.line ?? 0) + 1}; only that one counts`, {
                node: earlier, code: Codes.RepeatedOption, data: { code: Codes.RepeatedOption },
            });
        }
        seen.set(key, given);
        checkStub(services, given, accept);
    }
}

/** `input NAME` must be an input of the workflow; each name once. */
function checkValues(workflow: Workflow, test: TestDecl, accept: ValidationAcceptor): void {
    const inputs = new Set(workflow.inputs.map((i) => i.name));
    const given = new Map<string, number>();
    test.values.forEach((value) => {
        const name = entryKey(value.name);
        if (value.kind === 'input' && !inputs.has(name)) {
            accept('error', `workflow '${workflow.name}' has no input '${name}' (inputs: ${[...inputs].join(', ') || 'none'})`, {
                node: value, property: 'name', code: Codes.UnknownInput, data: { code: Codes.UnknownInput },
            });
        }
        const key = `${value.kind} ${name}`;
        const count = (given.get(key) ?? 0) + 1;
        given.set(key, count);
        if (count === 2) {
            const last = test.values.filter((v) => `${v.kind} ${entryKey(v.name)}` === key);
            accept('warning', `'${key}' is given ${last.length} times; only the last one (line ${(last[lastIndex(last)]!.$cstNode?.range.start.line ?? 0) + 1}) counts`, {
                node: last[0]!, property: 'name', code: Codes.RepeatedOption, data: { code: Codes.RepeatedOption },
            });
        }
    });
}

/** A stub answers as the tool would: its value fits the tool's output schema, and is known before the run. */
function checkStub(services: KmflowServices, given: Given, accept: ValidationAcceptor): void {
    const tool = stubbedTool(services, given);
    for (const outcome of given.outcomes) {
        if (!outcome.value) {
            continue;
        }
        for (const node of AstUtils.streamAst(outcome.value)) {
            if (isRef(node) && !node.scope && node.target?.ref) {
                accept('error', `a stub's value is fixed before the run: it may read input.NAME, not '${node.target.$refText}'`, {
                    node, code: Codes.InvalidStub, data: { code: Codes.InvalidStub },
                });
            }
        }
        for (const { error, target } of staticSchemaErrors(tool?.outputSchema, outcome.value, undefined)) {
            const what = error.message.replace(/^'parameters'/, 'the output').replace(/parameter '/, 'field \'');
            accept('error', `${tool!.id} never answers this (its output schema): ${what}`, {
                ...(target ?? { node: outcome, property: 'value' }),
                code: Codes.InvalidStub,
                data: { code: Codes.InvalidStub, tool: tool!.id },
            } as Parameters<ValidationAcceptor>[2]);
        }
    }
}

/** The tool a stub stands in for: the named one, or the stubbed step's (unknown for `uses capability`). */
function stubbedTool(services: KmflowServices, given: Given): ToolDescriptor | undefined {
    const index = services.tools.ToolIndex;
    if (given.tool) {
        return index.toolOf(given);
    }
    const step = given.step?.ref;
    return step && step.capability === undefined ? index.toolOf(step) : undefined;
}

/** `replay "NAME"` names a cassette that exists (a bare name under the root's `.kmflow/recordings`). */
function checkCassette(services: KmflowServices, test: TestDecl, accept: ValidationAcceptor): void {
    const name = lastOf(test.replay);
    const uri = AstUtils.getDocument(test).uri;
    if (name === undefined || uri.scheme !== 'file') {
        return;
    }
    const dir = path.dirname(uri.fsPath);
    const bare = !name.endsWith('.json') && !name.includes('/') && !name.includes(path.sep);
    const root = services.tools.ServerTools.root;
    if (bare && root === undefined) {
        return;
    }
    const file = cassettePath(root ?? dir, name, dir);
    if (!services.shared.workspace.FileSystemProvider.existsSync(URI.file(file))) {
        const cst = lastOf(GrammarUtils.findNodesForProperty(test.$cstNode, 'replay'));
        accept('warning', `no cassette ${file}: record it with 'kmflow run WORKFLOW_FILE --record ${bare ? name : 'NAME'}'`, {
            node: test, ...(cst ? { range: cst.range } : { property: 'title' }), code: Codes.MissingCassette, data: { code: Codes.MissingCassette },
        } as Parameters<ValidationAcceptor>[2]);
    }
}

/**
 * A checked `test` block as plain data for the test runner (src/app/testing): its
 * workflow, the values it gives, its stubs with their outcomes, its expectations as the
 * engine's expressions (`run` read as an item, like `output` in a `failure` block), and
 * whether it snapshots the report. Places are 1-based, so failures can point at them.
 */
import { GrammarUtils, type CstNode, type LangiumCoreServices } from 'langium';
import type { Expr, SourceLocation } from '../engine/model/index.js';
import type { Expression, Given, Outcome, TestDecl } from './generated/ast.js';
import { ExpressionConverter } from './to-engine-model.js';
import { TEST_RUN_SUBJECT } from './kmflow-scope-computation.js';
import { entryKey } from './static-values.js';
import { normalizeToolId } from './tool-descriptors.js';
import { locationOf } from './locations.js';
import { lastOf } from './ast-options.js';

/** How one stubbed call ends. */
export type StubOutcome =
    | { kind: 'returns'; value: Expr }
    | { kind: 'fails'; code?: string; message?: string; retryable: boolean }
    | { kind: 'times-out' }
    | { kind: 'disconnects' };

/**
 * `given STEP ...` or `given tool TOOL ...`: the outcomes of successive calls, each for
 * `count` calls; the last one answers every call after.
 */
export interface StubSpec {
    step?: string;
    tool?: string;
    outcomes: Array<StubOutcome & { count: number }>;
    location?: SourceLocation;
}

/** `expect EXPR`, with its source text for messages. */
export interface ExpectationSpec {
    expr: Expr;
    text: string;
    location?: SourceLocation;
}

/** A value the test gives: `input NAME = …`, `env NAME = …`, `secret NAME = …`. */
export interface TestValueSpec {
    name: string;
    value: Expr;
    location?: SourceLocation;
}

export interface TestSpec {
    name: string;
    /** The tested workflow's id. */
    workflow: string;
    location?: SourceLocation;
    inputs: TestValueSpec[];
    env: TestValueSpec[];
    secrets: TestValueSpec[];
    /** `replay "NAME"`: the cassette answering calls no stub answers (the last one counts). */
    replay?: { name: string; location?: SourceLocation };
    stubs: StubSpec[];
    expects: ExpectationSpec[];
    /** `snapshot report`: where it is written. */
    snapshot?: SourceLocation;
}

export function toTestSpec(services: LangiumCoreServices, test: TestDecl): TestSpec {
    const conv = new ExpressionConverter(services, TEST_RUN_SUBJECT);
    const values = (kind: string): TestValueSpec[] => test.values.filter((v) => v.kind === kind)
        .map((v) => ({ name: entryKey(v.name), value: convert(conv, v.value), location: locationOf(v) }));
    const replay = lastOf(test.replay);
    const at = (cst: CstNode | undefined): SourceLocation | undefined => {
        const file = locationOf(test)?.file;
        return file !== undefined && cst ? { file, line: cst.range.start.line + 1, column: cst.range.start.character + 1 } : locationOf(test);
    };
    return {
        name: test.title,
        workflow: test.workflow?.$refText ?? '',
        location: locationOf(test),
        inputs: values('input'),
        env: values('env'),
        secrets: values('secret'),
        ...(replay !== undefined && { replay: { name: replay, location: at(lastOf(GrammarUtils.findNodesForProperty(test.$cstNode, 'replay'))) } }),
        stubs: test.givens.map((g) => toStub(conv, g)),
        expects: test.expects.map((e) => ({ expr: convert(conv, e.expr), text: e.expr?.$cstNode?.text ?? '', location: locationOf(e) })),
        ...(test.snapshot.length > 0 && { snapshot: at(lastOf(GrammarUtils.findNodesForKeyword(test.$cstNode, 'snapshot'))) }),
    };
}

function toStub(conv: ExpressionConverter, given: Given): StubSpec {
    return {
        ...(given.tool ? { tool: normalizeToolId(given.tool.$refText) } : { step: given.step?.$refText ?? '' }),
        outcomes: given.outcomes.map((o) => ({ ...toOutcome(conv, o), count: o.count ?? 1 })),
        location: locationOf(given),
    };
}

function toOutcome(conv: ExpressionConverter, o: Outcome): StubOutcome {
    if (o.fails) {
        return { kind: 'fails', ...(o.code !== undefined && { code: o.code }), ...(o.message !== undefined && { message: o.message }), retryable: o.retryable };
    }
    if (o.timesOut) {
        return { kind: 'times-out' };
    }
    if (o.disconnects) {
        return { kind: 'disconnects' };
    }
    return { kind: 'returns', value: convert(conv, o.value) };
}

function convert(conv: ExpressionConverter, expr: Expression | undefined): Expr {
    return expr ? conv.convert(expr) : { kind: 'literal', value: null };
}

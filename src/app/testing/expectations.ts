/**
 * A test's expectations, evaluated with the engine's own expressions against the run's
 * report: `STEP.status`, `STEP.output…`, `STEP.attempts`, `STEP.error.code` read the
 * report's steps as a running workflow reads finished steps, `run` is the report itself
 * (`run.status`, `run.durationMs` on the fake clock), `input.NAME` the run's inputs.
 * One that does not hold says what was expected and what the run gave; one that cannot
 * be evaluated says why.
 */
import { describeExpr, EvalError, evaluate, truthy, type EvalScope, type StepView } from '../../engine/model/index.js';
import type { RunReport } from '../../engine/run/index.js';
import type { ExpectationSpec } from '../../language/to-test-spec.js';
import { TEST_RUN_SUBJECT } from '../../language/kmflow-scope-computation.js';
import type { TestFailure, TestPlace } from './test-types.js';

/** What expectations read besides the report. */
export interface ExpectationScope {
    inputs: Readonly<Record<string, unknown>>;
    env: Readonly<Record<string, string | undefined>>;
    secrets: Readonly<Record<string, string | undefined>>;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** The scope an expectation is evaluated in: the report's steps, and `run` as an item. */
export function reportScope(report: RunReport, values: ExpectationScope): EvalScope {
    const steps = new Map<string, StepView>(report.steps.map((s) => [s.id, s]));
    return { steps, inputs: values.inputs, env: values.env, secrets: values.secrets, items: { [TEST_RUN_SUBJECT]: report } };
}

/**
 * The expectations that failed (or could not be evaluated), each placed by `place`;
 * the count of those that held.
 */
export function checkExpectations(expects: readonly ExpectationSpec[], scope: EvalScope, place: (e: ExpectationSpec) => TestPlace):
    { failures: TestFailure[]; held: number } {
    const failures: TestFailure[] = [];
    let held = 0;
    for (const expectation of expects) {
        const failure = checkOne(expectation, scope);
        if (failure) {
            failures.push({ ...place(expectation), ...failure });
        } else {
            held++;
        }
    }
    return { failures, held };
}

function checkOne(expectation: ExpectationSpec, scope: EvalScope): Omit<TestFailure, keyof TestPlace> | undefined {
    const text = expectation.text || describeExpr(expectation.expr);
    let value: unknown;
    try {
        value = evaluate(expectation.expr, scope);
    } catch (err) {
        const why = err instanceof EvalError ? err.message : `the expression failed: ${(err as Error).message}`;
        return { kind: 'expression', message: `cannot evaluate \`expect ${text}\`: ${why}` };
    }
    if (truthy(value)) {
        return undefined;
    }
    const expr = expectation.expr;
    if (expr.kind === 'binary' && COMPARISONS.has(expr.op)) {
        // Both sides evaluated once more: the whole evaluated without error, so they do too.
        const actual = evaluate(expr.left, scope);
        const expected = evaluate(expr.right, scope);
        return {
            kind: 'expect',
            message: `expected ${text}, but ${describeExpr(expr.left)} is ${show(actual)}`,
            expected: expr.op === '==' ? expected : `${expr.op} ${show(expected)}`,
            actual,
        };
    }
    return { kind: 'expect', message: `expected ${text}, but it is ${show(value)}`, expected: true, actual: value ?? null };
}

/** A value as a message shows it: JSON, shortened. */
export function show(value: unknown): string {
    const text = value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}


/**
 * Evaluation of the language's expressions (`with`, `when`, `each ... in`) against what
 * a run knows: finished steps, inputs, env, secrets and the current fan-out item.
 *
 * Missing data is not an error (`a.output.missing` is `undefined`), because optional
 * fields are common in tool outputs; operators on the wrong types are, with the
 * expression quoted so the user can find it.
 */
import { describeExpr } from './expression-refs.js';
import type { Expr } from './model.js';

export { describeExpr, forEachStepRef, referencedSecrets, referencedSteps, referencesSecret } from './expression-refs.js';

/** What an expression sees of one step (`STEP.output`, `STEP.ok`, ...). */
export interface StepView {
    readonly status: string;
    readonly output?: unknown;
    readonly result?: unknown;
    readonly error?: { message: string; code: string; retryable: boolean; advice?: string; details?: Record<string, unknown> };
    readonly attempts?: number;
}

/** Everything an expression may read. */
export interface EvalScope {
    readonly steps: ReadonlyMap<string, StepView>;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Secret values by name; the engine fills it from the environment. */
    readonly secrets: Readonly<Record<string, string | undefined>>;
    /** `each NAME in LIST` variables in force. */
    readonly items?: Readonly<Record<string, unknown>>;
}

/** An expression that cannot be evaluated (wrong operand types, division by zero). */
export class EvalError extends Error {
    override readonly name = 'EvalError';
    readonly code = 'expression';
}

/** Evaluates `expr`. Throws EvalError on a type error, never on missing data. */
export function evaluate(expr: Expr, scope: EvalScope): unknown {
    switch (expr.kind) {
        case 'literal':
            return expr.value;
        case 'list': {
            // Indexed loops, no closure: every step's parameters pass here, mostly before
            // V8 optimises it, where a for-of makes an iterator result per entry.
            const items = expr.items;
            const out: unknown[] = [];
            for (let i = 0; i < items.length; i++) {
                out.push(evaluate(items[i]!, scope));
            }
            return out;
        }
        case 'object': {
            const out: Record<string, unknown> = {};
            const entries = expr.entries;
            for (let i = 0; i < entries.length; i++) {
                const entry = entries[i]!;
                out[entry.key] = evaluate(entry.value, scope);
            }
            return out;
        }
        case 'template': {
            let text = '';
            for (const part of expr.parts) {
                text += typeof part === 'string' ? part : stringify(evaluate(part, scope));
            }
            return text;
        }
        case 'ref':
            return evalRef(expr, scope);
        case 'unary':
            return evalUnary(expr, scope);
        case 'binary':
            return evalBinary(expr, scope);
    }
}

/** Truthiness of `when`, `and`, `or`, `not`: false, null, missing, 0, NaN and "" are false. */
export function truthy(value: unknown): boolean {
    // JS-like (so `[]` and `{}` are true) because GitHub Actions expressions behave the
    // same way and users carry that habit.
    return Boolean(value);
}

/** Text of a value inside a template or string `+`: objects as JSON, null/undefined as ''. */
export function stringify(value: unknown): string {
    if (value === undefined || value === null) {
        return '';
    }
    if (typeof value === 'object') {
        return JSON.stringify(value);
    }
    return String(value);
}

function evalRef(expr: Extract<Expr, { kind: 'ref' }>, scope: EvalScope): unknown {
    let value: unknown;
    let path = expr.path;
    switch (expr.root) {
        case 'input':
            value = own(scope.inputs, expr.name);
            break;
        case 'env':
            value = own(scope.env, expr.name);
            break;
        case 'secret':
            value = own(scope.secrets, expr.name);
            break;
        case 'item':
            value = scope.items ? own(scope.items, expr.name) : undefined;
            break;
        case 'step': {
            const step = scope.steps.get(expr.name);
            if (!step) {
                return undefined;
            }
            const first = path[0];
            if (!first || !('field' in first)) {
                return step;
            }
            value = stepField(step, first.field, expr.name);
            path = path.slice(1);
            break;
        }
    }
    for (const access of path) {
        if (value === undefined || value === null) {
            return undefined;
        }
        const key = 'field' in access ? access.field : evaluate(access.index, scope);
        value = member(value, key);
    }
    return value;
}

/** Outcomes after which a step has no output to read. */
const NO_OUTPUT = new Set(['failed', 'cancelled']);

function stepField(step: StepView, field: string, name: string): unknown {
    switch (field) {
        case 'ok':
            return step.status === 'succeeded';
        case 'output':
        case 'result':
            if (NO_OUTPUT.has(step.status)) {
                throw new EvalError(`step '${name}' ${step.status}, so it has no ${field}; ` +
                    `read ${name}.error (code, message, attempts) or test ${name}.ok first`);
            }
            return field === 'output' ? step.output : step.result ?? step.output;
        case 'status':
            return step.status;
        case 'error':
            // The server's own fields first, so `code`, `message` and `attempts` are kmflow's.
            return step.error
                ? { ...step.error.details, ...withoutDetails(step.error), attempts: step.attempts ?? 0 }
                : undefined;
        case 'attempts':
            return step.attempts;
        default:
            return undefined;
    }
}

function withoutDetails(error: NonNullable<StepView['error']>): Omit<NonNullable<StepView['error']>, 'details'> {
    const { details: _details, ...rest } = error;
    return rest;
}

function own(record: Readonly<Record<string, unknown>>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function member(value: unknown, key: unknown): unknown {
    if (Array.isArray(value)) {
        if (typeof key === 'number') {
            return Number.isInteger(key) ? value[key] : undefined;
        }
        return key === 'length' ? value.length : undefined;
    }
    if (typeof value === 'string') {
        if (typeof key === 'number') {
            return value[key];
        }
        return key === 'length' ? value.length : undefined;
    }
    if (typeof value === 'object' && value !== null && (typeof key === 'string' || typeof key === 'number')) {
        return own(value as Record<string, unknown>, String(key));
    }
    return undefined;
}

function evalUnary(expr: Extract<Expr, { kind: 'unary' }>, scope: EvalScope): unknown {
    const operand = evaluate(expr.operand, scope);
    if (expr.op === 'not') {
        return !truthy(operand);
    }
    if (typeof operand !== 'number') {
        throw new EvalError(`cannot negate ${typeName(operand)} in \`${describeExpr(expr)}\``);
    }
    return -operand;
}

function evalBinary(expr: Extract<Expr, { kind: 'binary' }>, scope: EvalScope): unknown {
    // `and`/`or` short-circuit and return an operand, like GitHub Actions' `&&`/`||`, so
    // `input.name or "default"` works as a fallback.
    if (expr.op === 'and') {
        const left = evaluate(expr.left, scope);
        return truthy(left) ? evaluate(expr.right, scope) : left;
    }
    if (expr.op === 'or') {
        const left = evaluate(expr.left, scope);
        return truthy(left) ? left : evaluate(expr.right, scope);
    }
    const left = evaluate(expr.left, scope);
    const right = evaluate(expr.right, scope);
    switch (expr.op) {
        case '==':
            return deepEqual(left, right);
        case '!=':
            return !deepEqual(left, right);
        case '<':
        case '<=':
        case '>':
        case '>=':
            return compare(expr, left, right);
        case '+':
            if (typeof left === 'number' && typeof right === 'number') {
                return left + right;
            }
            if (typeof left === 'string' || typeof right === 'string') {
                return stringify(left) + stringify(right);
            }
            throw new EvalError(`cannot add ${typeName(left)} and ${typeName(right)} in \`${describeExpr(expr)}\``);
        default:
            return arithmetic(expr, left, right);
    }
}

function compare(expr: Extract<Expr, { kind: 'binary' }>, left: unknown, right: unknown): boolean {
    const sameKind =
        (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
    if (!sameKind) {
        throw new EvalError(`cannot compare ${typeName(left)} with ${typeName(right)} in \`${describeExpr(expr)}\``);
    }
    const a = left as number | string;
    const b = right as number | string;
    switch (expr.op) {
        case '<':
            return a < b;
        case '<=':
            return a <= b;
        case '>':
            return a > b;
        default:
            return a >= b;
    }
}

function arithmetic(expr: Extract<Expr, { kind: 'binary' }>, left: unknown, right: unknown): number {
    if (typeof left !== 'number' || typeof right !== 'number') {
        throw new EvalError(
            `'${expr.op}' needs two numbers, got ${typeName(left)} and ${typeName(right)} in \`${describeExpr(expr)}\``,
        );
    }
    switch (expr.op) {
        case '-':
            return left - right;
        case '*':
            return left * right;
        default:
            if (right === 0) {
                // Infinity is not JSON; a report or the next tool would get null silently.
                throw new EvalError(`division by zero in \`${describeExpr(expr)}\``);
            }
            return left / right;
    }
}

/** Structural equality; `null` and a missing value (`undefined`) are equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (a === null || a === undefined || b === null || b === undefined) {
        return (a === null || a === undefined) && (b === null || b === undefined);
    }
    if (typeof a !== 'object' || typeof b !== 'object') {
        return false;
    }
    if (Array.isArray(a) !== Array.isArray(b)) {
        return false;
    }
    if (Array.isArray(a)) {
        const bb = b as unknown[];
        return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
    }
    const ak = Object.keys(a);
    const bo = b as Record<string, unknown>;
    if (ak.length !== Object.keys(bo).length) {
        return false;
    }
    const ao = a as Record<string, unknown>;
    return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

function typeName(value: unknown): string {
    if (value === null) {
        return 'null';
    }
    if (value === undefined) {
        return 'nothing (missing value)';
    }
    return Array.isArray(value) ? 'list' : typeof value === 'object' ? 'object' : typeof value;
}

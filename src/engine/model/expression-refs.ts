/**
 * Static views of an expression: the steps and secrets it reads (dependencies,
 * redaction, the `sensitive-data` check) and its source-like text (messages).
 */
import type { Expr } from './model.js';

/** Source-like text of an expression, for messages. */
export function describeExpr(expr: Expr): string {
    switch (expr.kind) {
        case 'literal':
            return JSON.stringify(expr.value);
        case 'list':
            return `[${expr.items.map(describeExpr).join(', ')}]`;
        case 'object':
            return `{ ${expr.entries.map((e) => `${e.key}: ${describeExpr(e.value)}`).join(', ')} }`;
        case 'template':
            return `"${expr.parts.map((p) => (typeof p === 'string' ? p : `\${${describeExpr(p)}}`)).join('')}"`;
        case 'ref': {
            const head = expr.root === 'step' || expr.root === 'item' ? expr.name : `${expr.root}.${expr.name}`;
            return head + expr.path.map((a) => ('field' in a ? `.${a.field}` : `[${describeExpr(a.index)}]`)).join('');
        }
        case 'unary':
            return expr.op === 'not' ? `not ${describeExpr(expr.operand)}` : `-${describeExpr(expr.operand)}`;
        case 'binary':
            return `${describeExpr(expr.left)} ${expr.op} ${describeExpr(expr.right)}`;
    }
}

/** Ids of the steps an expression reads: each is a dependency of the step using it. */
export function referencedSteps(expr: Expr | undefined, into: Set<string> = new Set()): Set<string> {
    walk(expr, (ref) => {
        if (ref.root === 'step') {
            into.add(ref.name);
        }
    });
    return into;
}

/** Names of the secrets an expression reads (`secret.NAME`). */
export function referencedSecrets(expr: Expr | undefined, into: Set<string> = new Set()): Set<string> {
    walk(expr, (ref) => {
        if (ref.root === 'secret') {
            into.add(ref.name);
        }
    });
    return into;
}

/** Calls `visit` with the step id of every step reference in `expr` (repeats included). */
export function forEachStepRef(expr: Expr | undefined, visit: (stepId: string) => void): void {
    walk(expr, (ref) => {
        if (ref.root === 'step') {
            visit(ref.name);
        }
    });
}

/** Whether an expression reads any `secret.NAME`. */
export function referencesSecret(expr: Expr | undefined): boolean {
    return referencedSecrets(expr).size > 0;
}

/** Calls `visit` with every reference in `expr`, those inside `[index]` accesses included. */
export function forEachRef(expr: Expr | undefined, visit: (ref: Extract<Expr, { kind: 'ref' }>) => void): void {
    walk(expr, visit);
}

function walk(expr: Expr | undefined, visit: (ref: Extract<Expr, { kind: 'ref' }>) => void): void {
    if (!expr) {
        return;
    }
    switch (expr.kind) {
        case 'literal':
            return;
        case 'list':
            expr.items.forEach((item) => walk(item, visit));
            return;
        case 'object':
            expr.entries.forEach((entry) => walk(entry.value, visit));
            return;
        case 'template':
            expr.parts.forEach((part) => typeof part !== 'string' && walk(part, visit));
            return;
        case 'ref':
            visit(expr);
            expr.path.forEach((access) => 'index' in access && walk(access.index, visit));
            return;
        case 'unary':
            walk(expr.operand, visit);
            return;
        case 'binary':
            walk(expr.left, visit);
            walk(expr.right, visit);
            return;
    }
}

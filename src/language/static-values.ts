/**
 * Values known before a run: literals, lists and objects of literals. Tool schemas,
 * server `env`/`args`, input defaults and the static part of `with` blocks use it.
 */
import {
    isBinaryExpr, isListLit, isLiteral, isObjectLit, isUnaryExpr, type Expression, type Literal,
} from './generated/ast.js';
import { parseDuration } from './durations.js';

/** Marks a value that is only known at run time. */
export const DYNAMIC: unique symbol = Symbol('dynamic');
export type StaticValue = unknown | typeof DYNAMIC;

/** The value of a literal; strings with `${}` interpolation are dynamic. */
export function literalValue(node: Literal): StaticValue {
    if (node.str !== undefined) {
        return hasInterpolation(node) ? DYNAMIC : node.str;
    }
    if (node.num !== undefined) {
        return node.num;
    }
    if (node.dur !== undefined) {
        return parseDuration(node.dur);
    }
    if (node.bool !== undefined) {
        return node.bool === 'true';
    }
    return null;
}

export function hasInterpolation(node: Literal): boolean {
    // A raw `${` stays `${` once escapes are read, so the value rules most strings out cheaply.
    return node.str !== undefined && node.str.includes('${') && (node.$cstNode?.text ?? node.str).includes('${');
}

/**
 * The value of an expression when every part of it is static; `DYNAMIC` where a part
 * depends on the run. Lists and objects keep their static members and mark the rest.
 */
export function staticValue(node: Expression | undefined): StaticValue {
    if (!node) {
        return undefined;
    }
    if (isLiteral(node)) {
        return literalValue(node);
    }
    if (isListLit(node)) {
        return node.items.map(staticValue);
    }
    if (isObjectLit(node)) {
        const result: Record<string, unknown> = {};
        for (const entry of node.entries) {
            result[entryKey(entry.key)] = staticValue(entry.value);
        }
        return result;
    }
    if (isUnaryExpr(node) && node.op === '-') {
        const v = staticValue(node.operand);
        return typeof v === 'number' ? -v : DYNAMIC;
    }
    if (isBinaryExpr(node)) {
        return DYNAMIC;
    }
    return DYNAMIC;
}

/** A plain JSON value: dynamic parts become undefined (schemas, env, args). */
export function jsonValue(node: Expression | undefined): unknown {
    const strip = (v: unknown): unknown => {
        if (v === DYNAMIC) {
            return undefined;
        }
        if (Array.isArray(v)) {
            return v.map(strip);
        }
        if (v && typeof v === 'object') {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
        }
        return v;
    };
    return strip(staticValue(node));
}

/** Object keys written as strings keep their text without quotes. */
export function entryKey(key: string | undefined): string {
    if (key === undefined) {
        return '';
    }
    return key.startsWith('"') && key.endsWith('"') ? JSON.parse(key) as string : key;
}

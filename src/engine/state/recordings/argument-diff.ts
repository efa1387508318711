/**
 * How a call's arguments differ from the recorded ones, as lines a person reads in a
 * failed step: `- path: recorded` and `+ path: now` for each value that changed, only
 * one of them for a value added or removed.
 */
import { canonicalJson } from '../cache/canonical.js';

/** Lines shown at most; the rest are counted. */
const MAX_LINES = 24;
/** Characters of one value shown at most. */
const MAX_VALUE = 160;

const ABSENT = Symbol('absent');

/** The diff lines from `recorded` to `now` (empty when they are the same). */
export function argumentDiff(recorded: unknown, now: unknown): string[] {
    const lines: string[] = [];
    walk(recorded, now, '', lines);
    if (lines.length > MAX_LINES) {
        const more = lines.length - MAX_LINES;
        return [...lines.slice(0, MAX_LINES), `… and ${more} more line${more === 1 ? '' : 's'}`];
    }
    return lines;
}

function walk(a: unknown, b: unknown, at: string, lines: string[]): void {
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        for (const key of keys) {
            const field = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
            walk(own(a, key), own(b, key), at === '' ? field : `${at}.${field}`, lines);
        }
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
            walk(i < a.length ? a[i] : ABSENT, i < b.length ? b[i] : ABSENT, `${at}[${i}]`, lines);
        }
        return;
    }
    if (a !== ABSENT && b !== ABSENT && canonicalJson(a) === canonicalJson(b)) {
        return;
    }
    const where = at === '' ? '(arguments)' : at;
    if (a !== ABSENT) {
        lines.push(`- ${where}: ${shown(a)}`);
    }
    if (b !== ABSENT) {
        lines.push(`+ ${where}: ${shown(b)}`);
    }
}

function own(value: Record<string, unknown>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : ABSENT;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
    const text = canonicalJson(value);
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

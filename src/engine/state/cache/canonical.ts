/**
 * Canonical JSON (object keys sorted, recursively; no whitespace) and SHA-256: the
 * stable text behind cache keys and workflow hashes, so `{a, b}` and `{b, a}` are the
 * same call.
 */
import * as crypto from 'node:crypto';

/** JSON with sorted keys. `undefined` members are dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value === null || typeof value !== 'object') {
        return value;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
        out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
}

/** Hex SHA-256 of a string (the one-shot `crypto.hash` where Node has it: 3× faster). */
export function sha256(text: string): string {
    return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

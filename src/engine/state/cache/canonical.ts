/**
 * Canonical JSON (object keys sorted, recursively; no whitespace) and SHA-256: the
 * stable text behind cache keys and workflow hashes, so `{a, b}` and `{b, a}` are the
 * same call.
 */
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * JSON with sorted keys. `undefined` members are dropped, as JSON.stringify does, and so
 * are members named in `omit` at any depth (the journal's hashes leave out `location`).
 */
export function canonicalJson(value: unknown, omit?: ReadonlySet<string>): string {
    return JSON.stringify(sortKeys(value, omit)) ?? 'null';
}

/**
 * A copy with keys sorted, as JSON.stringify will write it. Primitive members are taken
 * without a call each and undefined ones left out (JSON drops them anyway): a 10k-step
 * workflow is hashed before every journaled run, and most of a step's members are such.
 */
function sortKeys(value: unknown, omit: ReadonlySet<string> | undefined): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v !== null && typeof v === 'object' ? sortKeys(v, omit) : v));
    }
    if (value === null || typeof value !== 'object') {
        return value;
    }
    const out: Record<string, unknown> = {};
    const keys = sortedInPlace(Object.keys(value));
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined || (omit !== undefined && omit.has(key))) {
            continue;
        }
        out[key] = member !== null && typeof member === 'object' ? sortKeys(member, omit) : member;
    }
    return out;
}

/** Up to this many keys are sorted by insertion; more by `Array.prototype.sort`. */
const INSERTION_MAX = 24;

/**
 * `keys.sort()`, by insertion for the few keys most objects have: `Array.prototype.sort`
 * set up a work array for each (most of what hashing a 10k-step workflow allocated). The
 * same order: strings compared by UTF-16 code units, as `sort()` without a comparator.
 */
function sortedInPlace(keys: string[]): string[] {
    if (keys.length > INSERTION_MAX) {
        return keys.sort();
    }
    for (let i = 1; i < keys.length; i++) {
        const key = keys[i]!;
        let j = i - 1;
        while (j >= 0 && keys[j]! > key) {
            keys[j + 1] = keys[j]!;
            j--;
        }
        keys[j + 1] = key;
    }
    return keys;
}

/** Hex SHA-256 of a string (the one-shot `crypto.hash` where Node has it: 3× faster). */
export function sha256(text: string): string {
    const crypto = nodeCrypto();
    return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

let loadedCrypto: typeof NodeCrypto | undefined;

/**
 * `node:crypto`, loaded by the first hash: loading it starts OpenSSL (6-9 ms measured here),
 * which a command that hashes nothing (`kmflow check`) need not pay. A built-in module
 * resolves the same from any file, Node's own included.
 */
function nodeCrypto(): typeof NodeCrypto {
    return loadedCrypto ??= createRequire(process.execPath)('node:crypto') as typeof NodeCrypto;
}

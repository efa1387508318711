/**
 * Retry policy: exponential backoff with jitter from a seedable generator, so a test
 * or a benchmark with a seed waits the same every time.
 */
import type { ErrorPolicy } from '../model/model.js';
import type { ToolError } from '../tools/tool-error.js';

/** mulberry32: a tiny, fast, seedable PRNG in [0, 1). Not for cryptography. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * Wait before retry number `retry` (0 for the first retry): `backoffMs · 2^retry`,
 * with "equal jitter" (half fixed, half random) so concurrent retries spread out but
 * never retry sooner than half the nominal delay.
 */
export function backoffDelay(backoffMs: number, retry: number, random: () => number): number {
    const nominal = backoffMs * 2 ** retry;
    return nominal / 2 + (random() * nominal) / 2;
}

/** Codes that look transient whoever raised them. */
const TRANSIENT = new Set(['timeout', 'disconnected']);

/**
 * Whether a failed attempt should be retried under `policy`. Any policy: only
 * retryable errors. `adaptive`: only those that look transient, i.e. a timeout, a
 * disconnect, or an error its raiser explicitly marked retryable (an MCP `isError`
 * result with `_meta.retryable: true`); never invalid parameters, and never an error
 * that is retryable only by default (a tool that threw a plain Error).
 */
export function shouldRetry(error: ToolError, policy: ErrorPolicy): boolean {
    if (!error.retryable) {
        return false;
    }
    if (policy !== 'adaptive') {
        return true;
    }
    return error.code !== 'invalid-param' && (TRANSIENT.has(error.code) || error.retryableMarked);
}

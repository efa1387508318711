/**
 * Retry policy: exponential backoff with jitter from a seedable generator, so a test
 * or a benchmark with a seed waits the same every time.
 */
import type { ErrorPolicy } from './model.js';
import type { ToolError } from './tool-error.js';

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

/** Errors worth retrying under the `adaptive` policy: those that look transient. */
const TRANSIENT = new Set(['timeout', 'disconnected']);

/** Whether a failed attempt should be retried under `policy`. */
export function shouldRetry(error: ToolError, policy: ErrorPolicy): boolean {
    if (!error.retryable) {
        return false;
    }
    return policy === 'adaptive' ? TRANSIENT.has(error.code) : true;
}

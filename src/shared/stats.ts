/**
 * Percentiles, the one implementation: nearest rank, so a percentile is always an actual
 * sample, never an interpolation or a guess. Linear time (quickselect), so a tool with
 * 10k calls does not pay for a full sort to read its p50 and p95.
 */
import quickselect from 'quickselect';

/** Index of the nearest-rank `p` percentile among `n` sorted values (n > 0). */
function rank(n: number, p: number): number {
    return Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
}

/** The nearest-rank `p` percentiles (0 < p <= 1) of `values`, one per `p` in that order; 0s for no values. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
    const out = ps.map(() => 0);
    if (values.length === 0) {
        return out;
    }
    const a = [...values];
    // Highest rank first: each selection leaves only smaller values before it, where the next one looks.
    const wanted = ps.map((p, i) => ({ i, k: rank(a.length, p) })).sort((x, y) => y.k - x.k);
    let right = a.length - 1;
    for (const { i, k } of wanted) {
        quickselect(a, k, 0, right);
        out[i] = a[k]!;
        right = k;
    }
    return out;
}

/** The nearest-rank `p` percentile (0 < p <= 1) of `values`; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
    return percentiles(values, [p])[0]!;
}

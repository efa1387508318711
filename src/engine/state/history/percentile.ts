/** Nearest-rank percentiles: an actual sample, never an interpolation or a guess. */

/** The nearest-rank `p` percentile (0 < p <= 1) of `values`; 0 for no values. */
export function nearestRank(values: readonly number[], p: number): number {
    if (values.length === 0) {
        return 0;
    }
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Rounds to the microsecond, as the run report does. */
export function roundMs(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

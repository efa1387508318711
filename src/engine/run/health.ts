/**
 * A run's health score, 0..100, defined for every outcome (succeeded, partial, failed,
 * cancelled, rolled back):
 *
 *   health = 100 × (0.5 × callSuccess + 0.2 × latency + 0.3 × completion)
 *
 * - callSuccess: successful calls / calls (1 when nothing was called);
 * - latency: the call-weighted mean over tools of min(1, expected / p95), expected being
 *   the tool's declared `response_time`, else 1000 ms (1 when nothing was called);
 * - completion: steps that ended as the workflow meant (succeeded, or skipped by their own
 *   `when`) / steps (1 for an empty workflow). A run cancelled before any call ended
 *   scores 70 + 30 × its completed share; only a run whose every step completed and
 *   every call succeeded in time scores 100.
 */
export interface HealthInput {
    calls: number;
    errors: number;
    /** Σ calls × min(1, expected / p95), over tools. */
    weightedLatency: number;
    /** Steps that ended as the workflow meant: succeeded, or skipped by their own `when`. */
    completedSteps: number;
    steps: number;
}

export function healthScore(input: HealthInput): number {
    const callSuccess = input.calls > 0 ? (input.calls - input.errors) / input.calls : 1;
    const latency = input.calls > 0 ? input.weightedLatency / input.calls : 1;
    const completion = input.steps > 0 ? input.completedSteps / input.steps : 1;
    return Math.round(1000 * (0.5 * callSuccess + 0.2 * latency + 0.3 * completion)) / 10;
}

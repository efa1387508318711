/**
 * The `adaptive` mode's concurrency limit: AIMD, as in TCP congestion control.
 * - Starts at 2 (START), never below 1 nor above `max_parallel` (or the number of
 *   tasks known so far, when there is no `max_parallel`).
 * - Additive increase: +1 after each successful call while latency holds: both that
 *   call's latency and the tool's recent latency (EWMA, α = 0.3) stay within 1.5×
 *   its best observed latency plus 1 ms (the 1 ms absorbs timer noise on
 *   sub-millisecond tools). Per tool, because tools differ by orders of magnitude.
 *   The call itself counts, not only the EWMA: one increase per success grows the
 *   limit fast, and a lagging average alone would overshoot by a whole batch.
 * - Latency that degrades holds the limit; it does not cut it (only failures do),
 *   so a slow but healthy backend keeps the throughput it has.
 * - Multiplicative decrease: halved on any failed call (timeouts and errors alike,
 *   retried attempts included): a failing backend is the loss signal.
 * Every change is recorded as `{at: ms since the run started, limit}` for the report.
 */
import type { ToolStats } from './run-state.js';

const START = 2;
const ALPHA = 0.3;
const HOLD_RATIO = 1.5;
const NOISE_MS = 1;

export class AdaptiveLimit {
    limit: number;
    readonly course: Array<{ at: number; limit: number }> = [];
    private readonly ewma = new Map<ToolStats, number>();
    private readonly best = new Map<ToolStats, number>();

    constructor(
        private readonly max: number,
        private readonly startedAt: number,
    ) {
        this.limit = Math.max(1, Math.min(START, max));
        this.course.push({ at: 0, limit: this.limit });
    }

    /**
     * One call ended. `cap` is the current upper bound (tasks known so far, or
     * max_parallel). Returns the new limit.
     */
    observe(stats: ToolStats, ok: boolean, ms: number, now: number, cap: number): number {
        const upper = Math.max(1, Math.min(this.max, cap));
        let next = this.limit;
        if (!ok) {
            next = Math.max(1, Math.floor(this.limit / 2));
        } else {
            const prev = this.ewma.get(stats);
            const avg = prev === undefined ? ms : prev + ALPHA * (ms - prev);
            this.ewma.set(stats, avg);
            const best = Math.min(this.best.get(stats) ?? Infinity, ms);
            this.best.set(stats, best);
            const bound = best * HOLD_RATIO + NOISE_MS;
            if (ms <= bound && avg <= bound && this.limit < upper) {
                next = this.limit + 1;
            }
        }
        if (next !== this.limit) {
            this.limit = next;
            this.course.push({ at: Math.round((now - this.startedAt) * 1000) / 1000, limit: next });
        }
        return next;
    }
}

/**
 * The `adaptive` mode's concurrency limit: AIMD, as in TCP congestion control.
 * - Starts at 2 (START), never below 1 nor above `max_parallel` (or the number of
 *   tasks known so far, when there is no `max_parallel`).
 * - Additive increase: +1 after each successful call while latency holds, i.e. the
 *   tool's recent latency (EWMA, α = 0.3) stays within 1.5× its best observed
 *   latency plus 1 ms (the 1 ms absorbs timer noise on sub-millisecond tools).
 *   Per tool, because tools differ by orders of magnitude.
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
            if (avg <= best * HOLD_RATIO + NOISE_MS && this.limit < upper) {
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

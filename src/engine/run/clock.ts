/**
 * Time as the engine sees it. The scheduler, timeouts, backoff and the `delay` tool all
 * go through a Clock, so tests can swap in FakeClock and get exact, repeatable times.
 */
import { PriorityQueue } from './priority-queue.js';

/** Opaque timer handle. */
export type TimerHandle = unknown;

/** A source of time and timers. */
export interface Clock {
    /** Milliseconds since the Unix epoch (fractional: sub-millisecond precision). */
    now(): number;
    setTimer(callback: () => void, ms: number): TimerHandle;
    clearTimer(handle: TimerHandle): void;
}

// Read once: `performance.timeOrigin` is a getter that crosses into native code, and
// `now()` runs several times per step.
const timeOrigin = performance.timeOrigin;

/** Wall-clock time with `performance.now()` precision, Node timers. */
export const realClock: Clock = {
    now: () => timeOrigin + performance.now(),
    setTimer: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Resolves after `ms` on `clock`; rejects with the signal's reason when it aborts first
 * (so an aborted `delay` really stops waiting).
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = (): void => {
            clock.clearTimer(handle);
            reject(signal!.reason);
        };
        const handle = clock.setTimer(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

interface FakeTimer {
    at: number;
    seq: number;
    callback: () => void;
    cancelled: boolean;
}

/** Whether timer `a` fires before `b`: the earlier first, ties in creation order. */
const firesFirst = (a: FakeTimer, b: FakeTimer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * A deterministic clock for tests. Time stands still while anything can still run;
 * when the process has nothing else to do (a `setImmediate` finds the microtask queue
 * drained), it jumps to the earliest timer and fires it. Ties fire in creation order.
 *
 * Its timers are a heap (a cancelled one is dropped when it comes out): `plan` and
 * `optimize` simulate runs on it (insight/simulate.ts), one timer a step, and finding the
 * earliest by a scan of all made a 2,000-step simulation quadratic.
 */
export class FakeClock implements Clock {
    private current: number;
    private seq = 0;
    private readonly timers = new PriorityQueue<FakeTimer>(firesFirst);
    private live = 0;
    private driving = false;

    constructor(startMs = Date.UTC(2025, 0, 1)) {
        this.current = startMs;
    }

    now(): number {
        return this.current;
    }

    setTimer(callback: () => void, ms: number): TimerHandle {
        const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
        this.timers.push(timer);
        this.live++;
        this.drive();
        return timer;
    }

    clearTimer(handle: TimerHandle): void {
        const timer = handle as FakeTimer;
        if (!timer.cancelled) {
            timer.cancelled = true;
            this.live--;
        }
    }

    /** Timers not yet fired or cancelled. */
    get pending(): number {
        return this.live;
    }

    private drive(): void {
        if (this.driving) {
            return;
        }
        this.driving = true;
        setImmediate(() => this.fireNext());
    }

    private fireNext(): void {
        this.driving = false;
        let timer = this.timers.pop();
        while (timer?.cancelled) {
            timer = this.timers.pop();
        }
        if (!timer) {
            return;
        }
        // Fired: it can no longer be cleared.
        timer.cancelled = true;
        this.live--;
        this.current = Math.max(this.current, timer.at);
        timer.callback();
        if (this.timers.size > 0) {
            this.drive();
        }
    }
}

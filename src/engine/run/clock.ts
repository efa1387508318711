/**
 * Time as the engine sees it. The scheduler, timeouts, backoff and the `delay` tool all
 * go through a Clock, so tests can swap in FakeClock and get exact, repeatable times.
 */

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

/**
 * A deterministic clock for tests. Time stands still while anything can still run;
 * when the process has nothing else to do (a `setImmediate` finds the microtask queue
 * drained), it jumps to the earliest timer and fires it. Ties fire in creation order.
 */
export class FakeClock implements Clock {
    private current: number;
    private seq = 0;
    private readonly timers: FakeTimer[] = [];
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
        this.drive();
        return timer;
    }

    clearTimer(handle: TimerHandle): void {
        (handle as FakeTimer).cancelled = true;
    }

    /** Timers not yet fired or cancelled. */
    get pending(): number {
        return this.timers.filter((t) => !t.cancelled).length;
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
        let best = -1;
        for (let i = 0; i < this.timers.length; i++) {
            const t = this.timers[i]!;
            if (t.cancelled) {
                continue;
            }
            const b = best < 0 ? undefined : this.timers[best]!;
            if (!b || t.at < b.at || (t.at === b.at && t.seq < b.seq)) {
                best = i;
            }
        }
        if (best < 0) {
            this.timers.length = 0;
            return;
        }
        const timer = this.timers.splice(best, 1)[0]!;
        this.current = Math.max(this.current, timer.at);
        timer.callback();
        if (this.timers.length > 0) {
            this.drive();
        }
    }
}

/**
 * The Gantt's time axis: "nice" ticks (1, 2 or 5 times a power of ten, whole ms at
 * least) over a span, each labelled once in one unit for the whole axis, so a short or
 * live run never reads "0 ms 0 ms 1 ms".
 */
import { formatDuration, formatInUnit } from '../shared/duration-format.js';

export interface Tick {
    ms: number;
    label: string;
}

/** The tick step for `span` ms and at most `maxTicks` intervals. */
export function tickStep(span: number, maxTicks: number): number {
    const raw = Math.max(1, span / Math.max(1, maxTicks));
    const base = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * base).find((s) => s >= raw - 1e-9) ?? 10 * base;
    return Math.max(1, Math.round(step));
}

/** How a value reads on an axis of this step and span: in one unit, or as durations read everywhere. */
export function axisFormatter(step: number, span: number): (ms: number) => string {
    if (span < 2000) {
        return (v) => formatInUnit(v, 'ms');
    }
    if (span < 120_000) {
        const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(step / 1000) + 1e-9)));
        return (v) => formatInUnit(v, 's', decimals);
    }
    return (v) => (v === 0 ? formatInUnit(0, 's') : formatDuration(v));
}

/** Ticks from 0 to at least `span` (the last one at or past the end). */
export function niceTicks(span: number, maxTicks: number): Tick[] {
    const step = tickStep(span, maxTicks);
    const count = Math.max(1, Math.ceil(span / step - 1e-9));
    const format = axisFormatter(step, count * step);
    return Array.from({ length: count + 1 }, (_, i) => ({ ms: i * step, label: format(i * step) }));
}

/**
 * The one way kmflow shows a duration to a person, in the CLI, the editor, the language
 * server and the webview alike: a number, a space, a unit, to the precision that reads.
 *
 *     0.4 → `0 ms`    420 → `420 ms`    1500 → `1.5 s`    2000 → `2 s`    12_345 → `12 s`
 *     123_000 → `2 min 3 s`    120_000 → `2 min`    3_900_000 → `1 h 5 min`
 *
 * (Durations written in kmflow source, `500ms` or `30s`, are the language's own literals,
 * not this.)
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A millisecond count for people; `—` for one that is not a duration (negative, NaN, infinite). */
export function formatDuration(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) {
        return '—';
    }
    if (Math.round(ms) < SECOND) {
        return formatInUnit(ms, 'ms');
    }
    // Rounded to what is shown before the unit is chosen, so 59.7 s reads `1 min`, not `60 s`.
    if (Math.round(ms / 100) * 100 < 10 * SECOND) {
        return formatInUnit(ms, 's', 1);
    }
    if (Math.round(ms / SECOND) * SECOND < MINUTE) {
        return formatInUnit(ms, 's');
    }
    if (Math.round(ms / SECOND) * SECOND < HOUR) {
        const s = Math.round(ms / SECOND);
        return compound(Math.floor(s / 60), 'min', s % 60, 's');
    }
    const min = Math.round(ms / MINUTE);
    return compound(Math.floor(min / 60), 'h', min % 60, 'min');
}

/**
 * A duration in one given unit, for values read side by side (an axis, a column):
 * `formatInUnit(1500, 's', 2)` → `1.5 s`; trailing zeros of the decimals are dropped.
 */
export function formatInUnit(ms: number, unit: 'ms' | 's', decimals = 0): string {
    const value = unit === 's' ? ms / SECOND : ms;
    return `${Number(value.toFixed(decimals))} ${unit}`;
}

function compound(big: number, bigUnit: string, small: number, smallUnit: string): string {
    return small > 0 ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
}

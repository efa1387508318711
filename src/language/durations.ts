/** `250ms`, `30s`, `5m`, `1h` → milliseconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
    const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(text);
    if (!match) {
        throw new Error(`not a duration: '${text}'`);
    }
    return Number(match[1]) * UNITS[match[2]];
}

/** A compact human form of a millisecond count: `450ms`, `1.5s`, `2m 5s`. */
export function formatDuration(ms: number): string {
    if (ms < 1000) {
        return `${Math.round(ms)}ms`;
    }
    if (ms < 60_000) {
        return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
    }
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s > 0 ? `${m}m ${s}s` : `${m}m`;
}

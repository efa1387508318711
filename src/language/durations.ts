/** `250ms`, `30s`, `5m`, `1h` → milliseconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
    const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(text);
    if (!match) {
        throw new Error(`not a duration: '${text}'`);
    }
    return Number(match[1]) * UNITS[match[2]];
}

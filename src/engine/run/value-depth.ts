/**
 * How deep a JSON-like value nests, found without recursion: values from outside (an
 * `--input`, a client's message) may nest 100,000 deep, and every recursive walk of them
 * later (JSON.stringify, redaction, hashing) would overflow the stack.
 */

/** Values nested deeper than this are refused where they enter. */
export const MAX_VALUE_DEPTH = 64;

/** Whether `value` nests objects and arrays deeper than `max` (a scalar is depth 0). */
export function nestedDeeperThan(value: unknown, max = MAX_VALUE_DEPTH): boolean {
    const stack: Array<[unknown, number]> = [[value, 0]];
    while (stack.length > 0) {
        const [v, depth] = stack.pop()!;
        if (typeof v !== 'object' || v === null) {
            continue;
        }
        if (depth >= max) {
            return true;
        }
        for (const child of Array.isArray(v) ? v : Object.values(v)) {
            if (typeof child === 'object' && child !== null) {
                stack.push([child, depth + 1]);
            }
        }
    }
    return false;
}

/**
 * A value shortened for people to read (the report's step parameters, the details pane):
 * long strings and lists are cut, saying how long they were, and deep nesting stops, so
 * a parameter that carries a whole file does not make the report a second copy of it.
 */
const MAX_STRING = 2000;
const MAX_ITEMS = 100;
const MAX_DEPTH = 8;

export function compactValue<T>(value: T): T {
    return compact(value, 0) as T;
}

function compact(value: unknown, depth: number): unknown {
    if (typeof value === 'string') {
        return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
    }
    if (value === null || typeof value !== 'object') {
        return value;
    }
    if (depth >= MAX_DEPTH) {
        return Array.isArray(value) ? `[… ${value.length} items]` : '{…}';
    }
    if (Array.isArray(value)) {
        const kept = value.slice(0, MAX_ITEMS).map((v) => compact(v, depth + 1));
        return value.length > MAX_ITEMS ? [...kept, `… and ${value.length - MAX_ITEMS} more items`] : kept;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = compact(v, depth + 1);
    }
    return out;
}

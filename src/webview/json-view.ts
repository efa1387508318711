/**
 * A step's output as a collapsible JSON tree: objects and arrays fold (`<details>`),
 * children are built on first unfolding, so a large output costs nothing until looked
 * at; long strings and long lists are cut, with how much more there is.
 */
import { html } from './svg.js';

const MAX_ENTRIES = 200;
const MAX_STRING = 2000;
/** Levels open at first. */
const OPEN_DEPTH = 2;

function scalar(value: unknown): HTMLElement {
    if (typeof value === 'string') {
        const cut = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more characters)` : value;
        return html('span', 'json-string', JSON.stringify(cut));
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
        return html('span', 'json-number', String(value));
    }
    if (typeof value === 'boolean') {
        return html('span', 'json-boolean', String(value));
    }
    return html('span', 'json-null', value === undefined ? 'undefined' : 'null');
}

function summary(value: object): string {
    if (Array.isArray(value)) {
        return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
    }
    const n = Object.keys(value).length;
    return `{${n} key${n === 1 ? '' : 's'}}`;
}

function entry(key: string | undefined, value: unknown, depth: number): HTMLElement {
    const keyEl = key !== undefined ? html('span', 'json-key', `${key}: `) : undefined;
    if (value === null || typeof value !== 'object') {
        const row = html('div', 'json-row');
        row.append(...(keyEl ? [keyEl] : []), scalar(value));
        return row;
    }
    const fold = html('details', 'json-fold');
    const head = html('summary');
    head.append(...(keyEl ? [keyEl] : []), html('span', 'json-summary', summary(value)));
    fold.append(head);
    const build = (): void => {
        const body = html('div', 'json-children');
        const pairs: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
        pairs.slice(0, MAX_ENTRIES).forEach(([k, v]) => body.append(entry(k, v, depth + 1)));
        if (pairs.length > MAX_ENTRIES) {
            body.append(html('div', 'json-more', `… ${pairs.length - MAX_ENTRIES} more`));
        }
        fold.append(body);
    };
    if (depth < OPEN_DEPTH) {
        build();
        fold.open = true;
    } else {
        fold.addEventListener('toggle', build, { once: true });
    }
    return fold;
}

/** The tree of `value`. */
export function jsonTree(value: unknown): HTMLElement {
    const root = html('div', 'json-tree');
    root.append(entry(undefined, value, 0));
    return root;
}

/** `value` as indented JSON text (for Copy); `undefined` reads as null. */
export function jsonText(value: unknown): string {
    return JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

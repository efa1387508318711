/**
 * Reading the options of `server`, `tool`, `workflow`, `step` and `failure` blocks.
 *
 * An option may be written more than once (`timeout 5s` ... `timeout 30s`): the grammar
 * keeps every occurrence, in document order (`timeout+=DURATION`, so the AST is an
 * array), and the last one counts; the checker's `repeated-option` warning says so on
 * the earlier ones. Every reader goes through these helpers, so "the last one counts"
 * is decided here and nowhere else.
 */

/** An option's value: the last one written, or undefined when the option is absent. */
export function lastOf<T>(values: readonly T[]): T | undefined {
    return values.length > 0 ? values[values.length - 1] : undefined;
}

/** A flag (`public`, `enterprise`, `read_only`, `after ... always`): true when written at least once. */
export function isSet(flag: readonly unknown[]): boolean {
    return flag.length > 0;
}

/**
 * The index of the value that counts, for a diagnostic on it:
 * `accept(..., { node: step, property: 'when', index: lastIndex(step.when) })`.
 */
export function lastIndex(values: readonly unknown[]): number {
    return Math.max(0, values.length - 1);
}

/**
 * Arrays the parser collects items in while a rule is parsed (a CST node's children, an
 * AST node's lists), emptied and used again once the items are copied to an array of
 * their number (lean-cst.ts's `compact`, ast-shapes.ts's `complete`). A new array grows to
 * 17 places at its first push: a 10,000-step file has 70,000 rule nodes and 30,000 lists,
 * and their arrays were 16 MB and 6 MB of garbage, which the young generation, kept small
 * for a parse (src/cli/young-generation.ts), promoted with the tree. At most MAX_SPARE are
 * kept, none grown past MAX_REUSED_LENGTH.
 */
const spare: unknown[][] = [];
const MAX_SPARE = 256;
const MAX_REUSED_LENGTH = 1024;

/** An empty array to collect items in: one given back, else a new one. */
export function takeArray<T>(): T[] {
    return (spare.pop() as T[] | undefined) ?? [];
}

/** `array`, whose items were copied out and which nothing else holds, for a later `takeArray`. */
export function giveBackArray(array: unknown[]): void {
    if (spare.length < MAX_SPARE && array.length <= MAX_REUSED_LENGTH) {
        // Emptied one by one: setting `length = 0` would drop the array's storage too.
        while (array.length > 0) {
            array.pop();
        }
        spare.push(array);
    }
}

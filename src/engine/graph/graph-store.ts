/**
 * How a built graph holds itself (`graph.ts` builds it): edges in compressed rows, and
 * the id index and per-step lists made only when someone asks for them.
 */
import type { WorkflowGraph } from './graph.js';

/**
 * A graph's edges in compressed rows: row `i`'s entries are `list[start[i] ..
 * start[i + 1])`. Two typed arrays instead of an array a step: a 10k-step run's graph
 * was 20k small arrays (~90 bytes each, built again on every run), and walking rows of
 * one flat array touches far less memory than 10k scattered lists.
 */
export interface EdgeRows {
    /** `n + 1` offsets into `list`. */
    readonly start: Int32Array;
    readonly list: Int32Array;
}

/** The shared empty list of `rowLists` (frozen: a push into it throws instead of reaching every empty row). */
const NONE = Object.freeze([]) as unknown as number[];

/** Each row as a plain list (for readers that want arrays; empty rows share one list). */
export function rowLists(rows: EdgeRows): number[][] {
    const { start, list } = rows;
    const n = start.length - 1;
    const lists = new Array<number[]>(n);
    for (let i = 0; i < n; i++) {
        const from = start[i]!;
        const to = start[i + 1]!;
        if (from === to) {
            lists[i] = NONE;
            continue;
        }
        const row = new Array<number>(to - from);
        for (let e = from; e < to; e++) {
            row[e - from] = list[e]!;
        }
        lists[i] = row;
    }
    return lists;
}

/**
 * The reverse of `rows` (row `j` lists the `i` whose row holds `j`, in increasing `i`),
 * given how many rows hold each `j`.
 */
export function reverseRows(rows: EdgeRows, counts: Int32Array): EdgeRows {
    const n = counts.length;
    const start = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) {
        start[j + 1] = start[j]! + counts[j]!;
    }
    const list = new Int32Array(start[n]!);
    // The next free slot of each row.
    const next = start.slice(0, n);
    const forward = rows.list;
    const from = rows.start;
    for (let i = 0; i < n; i++) {
        for (let e = from[i]!; e < from[i + 1]!; e++) {
            list[next[forward[e]!]!++] = i;
        }
    }
    return { start, list };
}

/** A growable Int32Array, for the rows of a graph being built. */
export class IntList {
    data: Int32Array;
    length = 0;

    constructor(capacity: number) {
        this.data = new Int32Array(Math.max(16, capacity));
    }

    push(value: number): void {
        if (this.length === this.data.length) {
            const grown = new Int32Array(this.data.length * 2);
            grown.set(this.data);
            this.data = grown;
        }
        this.data[this.length++] = value;
    }

    /** The entries so far (a view: no copy). */
    view(): Int32Array {
        return this.data.subarray(0, this.length);
    }
}

/** Step ids to indices; the last of duplicate ids wins. */
export function indexOf(ids: readonly string[]): Map<string, number> {
    const index = new Map<string, number>();
    for (let k = 0; k < ids.length; k++) {
        index.set(ids[k]!, k);
    }
    return index;
}

/**
 * The graph, with its id index and its lists built on first use: a workflow none of
 * whose steps names another (a flat fan-out) never needs the index, whose 10k Map
 * insertions were a fifth of such a run (~0.2 µs a step), and the scheduler walks the
 * rows, not the lists.
 */
export class BuiltGraph implements WorkflowGraph {
    private depLists: number[][] | undefined = undefined;
    private dependantLists: number[][] | undefined = undefined;

    constructor(
        readonly ids: readonly string[],
        private lookup: Map<string, number> | undefined,
        readonly depRows: EdgeRows,
        readonly dependantRows: EdgeRows,
        readonly unknown: ReadonlyArray<{ step: string; ref: string }>,
        readonly completion: ReadonlyArray<ReadonlySet<number> | undefined>,
    ) {}

    get index(): ReadonlyMap<string, number> {
        return (this.lookup ??= indexOf(this.ids));
    }

    get deps(): readonly number[][] {
        return (this.depLists ??= rowLists(this.depRows));
    }

    get dependants(): readonly number[][] {
        return (this.dependantLists ??= rowLists(this.dependantRows));
    }
}

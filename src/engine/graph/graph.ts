/**
 * The dependency graph of a workflow: who waits for whom, cycles, levels and the
 * remaining path lengths the scheduler orders by (the critical path is
 * critical-path.ts). Shared by the scheduler, `plan`, and the language's `cycle` check,
 * so everything uses index arrays (steps in file order) rather than maps in the hot loops.
 */
import { forEachRef, forEachStepRef, referencedSteps } from '../model/expression-refs.js';
import type { Expr, StepSpec, WorkflowSpec } from '../model/model.js';
import { BuiltGraph, IntList, indexOf, reverseRows, type EdgeRows } from './graph-store.js';

/** A workflow's dependency graph; step `i` is `workflow.steps[i]`. */
export interface WorkflowGraph {
    readonly ids: readonly string[];
    readonly index: ReadonlyMap<string, number>;
    /** `deps[i]`: indices of the steps step `i` waits for (no duplicates). */
    readonly deps: readonly number[][];
    /** `dependants[i]`: indices of the steps waiting for step `i`. */
    readonly dependants: readonly number[][];
    /** `deps` as compressed rows (what the scheduler walks: `deps` is built from it on first use). */
    readonly depRows: EdgeRows;
    /** `dependants` as compressed rows. */
    readonly dependantRows: EdgeRows;
    /** References and `after`s naming no step of the workflow. */
    readonly unknown: ReadonlyArray<{ step: string; ref: string }>;
    /**
     * `completion[i]`: the dependencies of step `i` that are completion dependencies
     * (it reads only their `ok`, `status` or `error`, or waits `after ... always`): it
     * waits for them to end in any state and is not skipped for their failure.
     * Undefined for the (many) steps that hold none.
     */
    readonly completion: ReadonlyArray<ReadonlySet<number> | undefined>;
}

/** Fields of a step that exist whatever its outcome: reading only these waits for its end, not its success. */
export const COMPLETION_FIELDS: ReadonlySet<string> = new Set(['ok', 'status', 'error', 'attempts']);

/** Whether a step reference reads only what exists whatever the step's outcome. */
export function isCompletionRef(ref: Extract<Expr, { kind: 'ref' }>): boolean {
    const first = ref.path[0];
    return first !== undefined && 'field' in first && COMPLETION_FIELDS.has(first.field);
}

/**
 * Ids of the steps `step` depends on: its `after`, the steps its expressions read
 * (`with`, `when`, `each` items, the compensation's `with` except the step itself),
 * and the steps whose
 * `ensures` names a fact it `requires`.
 */
export function stepDependencies(step: StepSpec, ensuredBy: ReadonlyMap<string, readonly string[]>): Set<string> {
    const deps = new Set<string>(step.after);
    referencedSteps(step.with, deps);
    referencedSteps(step.when, deps);
    referencedSteps(step.each?.items, deps);
    // A compensation reads its own step's output (what to undo): not a dependency.
    for (const id of referencedSteps(step.compensate?.with)) {
        if (id !== step.id) {
            deps.add(id);
        }
    }
    for (const fact of step.requires) {
        for (const provider of ensuredBy.get(fact) ?? []) {
            if (provider !== step.id) {
                deps.add(provider);
            }
        }
    }
    return deps;
}

/** `{}`: the common empty `with`, which holds no reference. */
function isEmptyObject(expr: Expr): boolean {
    return expr.kind === 'object' && expr.entries.length === 0;
}

/**
 * Builds the graph. Unknown references are collected, not thrown, for the checker's sake.
 *
 * Indexed loops and one Map lookup a reference: this runs over every step of 10k-step
 * workflows on every run, often before V8 optimizes it, where a `for...of` allocates
 * an iterator result per element.
 */
export function buildGraph(workflow: WorkflowSpec): WorkflowGraph {
    const steps = workflow.steps;
    const n = steps.length;
    // Built by the first reference to resolve (see BuiltGraph).
    let index: Map<string, number> | undefined;
    const ids = new Array<string>(n);
    let ensuredBy: Map<string, string[]> | undefined;
    for (let k = 0; k < n; k++) {
        const s = steps[k]!;
        ids[k] = s.id;
        const ensures = s.ensures;
        for (let e = 0; e < ensures.length; e++) {
            const list = (ensuredBy ??= new Map()).get(ensures[e]!);
            if (list) {
                list.push(s.id);
            } else {
                ensuredBy.set(ensures[e]!, [s.id]);
            }
        }
    }
    const unknown: Array<{ step: string; ref: string }> = [];
    const completion: Array<Set<number> | undefined> = new Array<Set<number> | undefined>(n);
    // `success[j] === i + 1`: step i success-depends on step j; `soft` collects the rest.
    const success = new Int32Array(n);
    let soft: Set<number> | undefined;
    // `mark[j] === i + 1`: step j is already a dependency of step i. Dedupes without a
    // Set per step, which mattered on 10k-step graphs.
    const mark = new Int32Array(n);
    // Dependencies go into rows as found; dependants are counted, then filled from them
    // (`reverseRows`). Lists grown by `push` (a one-element array, then one of 17) were
    // ~360 bytes of garbage a step of a 10k-step DAG, the most of any part of its run.
    const depStart = new Int32Array(n + 1);
    const depList = new IntList(n);
    const dependantCount = new Int32Array(n);
    // One `add` for all steps (it reads the current step from these), not a closure per
    // step.
    let i = 0;
    let s: StepSpec = steps[0]!;
    /** Adds a dependency of the current step; its index, or -1 for an unknown id. */
    const add = (id: string): number => {
        const j = (index ??= indexOf(ids)).get(id);
        if (j === undefined) {
            unknown.push({ step: s.id, ref: id });
            return -1;
        }
        if (mark[j] !== i + 1) {
            mark[j] = i + 1;
            depList.push(j);
            dependantCount[j]++;
        }
        return j;
    };
    const addOther = (id: string): void => {
        if (id !== s.id) {
            add(id);
        }
    };
    /** A dependency of the current step, success or completion. */
    const addKind = (id: string, completes: boolean): void => {
        const j = add(id);
        if (j < 0) {
            return;
        }
        if (completes) {
            (soft ??= new Set()).add(j);
        } else {
            success[j] = i + 1;
        }
    };
    const addRef = (ref: Extract<Expr, { kind: 'ref' }>): void => {
        if (ref.root === 'step') {
            addKind(ref.name, isCompletionRef(ref));
        }
    };
    const addItemsRef = (id: string): void => addKind(id, false);
    for (i = 0; i < n; i++) {
        s = steps[i]!;
        depStart[i] = depList.length;
        soft = undefined;
        const after = s.after;
        const always = s.afterAlways === true;
        for (let k = 0; k < after.length; k++) {
            // addKind, written out: `after` is most references of big workflows.
            const j = add(after[k]!);
            if (j < 0) {
                continue;
            }
            if (always) {
                (soft ??= new Set()).add(j);
            } else {
                success[j] = i + 1;
            }
        }
        if (!isEmptyObject(s.with)) {
            forEachRef(s.with, addRef);
        }
        if (s.when !== undefined) {
            forEachRef(s.when, addRef);
        }
        if (s.each !== undefined) {
            forEachStepRef(s.each.items, addItemsRef);
        }
        if (s.compensate !== undefined) {
            forEachStepRef(s.compensate.with, addOther);
        }
        const requires = s.requires;
        for (let r = 0; r < requires.length; r++) {
            const providers = ensuredBy?.get(requires[r]!) ?? NO_IDS;
            for (let p = 0; p < providers.length; p++) {
                if (providers[p] !== s.id) {
                    addKind(providers[p]!, false);
                }
            }
        }
        // Set by the closures above (TypeScript cannot see that).
        const held = soft as Set<number> | undefined;
        if (held) {
            for (const j of held) {
                if (success[j] === i + 1) {
                    held.delete(j);
                }
            }
            completion[i] = held.size > 0 ? held : undefined;
        }
    }
    depStart[n] = depList.length;
    const depRows = { start: depStart, list: depList.view() };
    return new BuiltGraph(ids, index, depRows, reverseRows(depRows, dependantCount), unknown, completion);
}

const NO_IDS: readonly string[] = [];

/**
 * The step ids on one dependency cycle, in dependency order (`a` waits for `b` waits
 * for ... `a`), or undefined when the graph is acyclic. Iterative DFS: a 10k-step chain
 * must not overflow the stack.
 */
export function findCycle(graphOrWorkflow: WorkflowGraph | WorkflowSpec): string[] | undefined {
    const graph = 'deps' in graphOrWorkflow ? graphOrWorkflow : buildGraph(graphOrWorkflow);
    const n = graph.ids.length;
    // Over the compressed rows: the check runs on every validation, and `deps` would make a list a step.
    const { start, list } = graph.depRows;
    const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
    const parent = new Int32Array(n).fill(-1);
    const cursor = start.slice(0, n); // the next of each step's dependencies to visit
    const stack = new Int32Array(n);
    for (let root = 0; root < n; root++) {
        if (state[root] !== 0) {
            continue;
        }
        let top = 0;
        stack[0] = root;
        state[root] = 1;
        while (top >= 0) {
            const v = stack[top]!;
            if (cursor[v]! < start[v + 1]!) {
                const w = list[cursor[v]!++]!;
                if (state[w] === 0) {
                    state[w] = 1;
                    parent[w] = v;
                    stack[++top] = w;
                } else if (state[w] === 1) {
                    const cycle = [w];
                    for (let x = v; x !== w; x = parent[x]!) {
                        cycle.push(x);
                    }
                    // Walked from w back up the DFS tree; reverse so each waits for the next.
                    return cycle.reverse().map((i) => graph.ids[i]!);
                }
            } else {
                state[v] = 2;
                top--;
            }
        }
    }
    return undefined;
}

/** Kahn's order in levels: level 0 has no dependencies. Throws on a cycle. */
export function topologicalLevels(graphOrWorkflow: WorkflowGraph | WorkflowSpec): string[][] {
    const graph = 'deps' in graphOrWorkflow ? graphOrWorkflow : buildGraph(graphOrWorkflow);
    const n = graph.ids.length;
    const remaining = Int32Array.from(graph.deps, (d) => d.length);
    let current: number[] = [];
    for (let i = 0; i < n; i++) {
        if (remaining[i] === 0) {
            current.push(i);
        }
    }
    const levels: string[][] = [];
    let seen = 0;
    while (current.length > 0) {
        levels.push(current.map((i) => graph.ids[i]!));
        seen += current.length;
        const next: number[] = [];
        for (const i of current) {
            for (const j of graph.dependants[i]!) {
                if (--remaining[j]! === 0) {
                    next.push(j);
                }
            }
        }
        next.sort((a, b) => a - b);
        current = next;
    }
    if (seen < n) {
        throw new Error(`dependency cycle: ${(findCycle(graph) ?? []).join(' -> ')}`);
    }
    return levels;
}

/** A topological order of step indices (Kahn, FIFO from file order); throws on a cycle. */
export function topologicalOrder(graph: WorkflowGraph): number[] {
    const n = graph.ids.length;
    const remaining = new Int32Array(n);
    const order: number[] = [];
    const depStart = graph.depRows.start;
    for (let i = 0; i < n; i++) {
        remaining[i] = depStart[i + 1]! - depStart[i]!;
        if (remaining[i] === 0) {
            order.push(i);
        }
    }
    // `order` doubles as the queue: no shifting, no second array. Over the rows, as the
    // scheduler: this runs once a run, often before V8 optimizes it.
    const { start, list } = graph.dependantRows;
    for (let head = 0; head < order.length; head++) {
        const i = order[head]!;
        for (let e = start[i]!; e < start[i + 1]!; e++) {
            const j = list[e]!;
            if (--remaining[j]! === 0) {
                order.push(j);
            }
        }
    }
    if (order.length < n) {
        throw new Error(`dependency cycle: ${(findCycle(graph) ?? []).join(' -> ')}`);
    }
    return order;
}

/**
 * For each step, the longest path from its start to the end of the workflow (its own
 * duration included): the scheduler runs the largest first, the classic critical-path
 * list-scheduling priority.
 */
export function remainingPathLengths(graph: WorkflowGraph, durations: ArrayLike<number>, order = topologicalOrder(graph)): Float64Array {
    const rank = new Float64Array(graph.ids.length);
    // Indexed loops: run once per run, mostly before V8 optimizes them, where an
    // iterator per step costs several times the loop's work.
    const { start, list } = graph.dependantRows;
    for (let k = order.length - 1; k >= 0; k--) {
        const i = order[k]!;
        let longest = 0;
        for (let e = start[i]!; e < start[i + 1]!; e++) {
            const r = rank[list[e]!]!;
            if (r > longest) {
                longest = r;
            }
        }
        rank[i] = durations[i]! + longest;
    }
    return rank;
}

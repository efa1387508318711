/**
 * `optimize`: recommendations from measured history, each with its predicted effect
 * computed by the same simulator `plan` uses (`simulateRun`: the real scheduler on a
 * fake clock) with durations from history (`estimateFromHistory`; declared figures
 * where a step has none) and the change applied. Nothing is a rule of thumb: a
 * recommendation is made only when the simulation shows the gain.
 *
 * What is tried:
 * - remove-after: an `after` that another dependency already implies (transitively,
 *   or a data reference to the same step), or an ordering-only `after` whose removal
 *   shortens the makespan. Only `after` edges; data references are never touched.
 * - max-parallel: raise it when a higher bound shortens the makespan; lower it to the
 *   smallest bound with the same makespan (fewer slots, higher utilization).
 * - cache: `cache on` (with `cache intelligent`) for a read-only step whose output is
 *   read, whose parameters are the same every run and that history shows repeating; a
 *   hit is predicted as 0 ms.
 * - mode and resources: each other value, when it shortens the makespan (or, for
 *   resources, keeps it while asking for less).
 */
import { formatDuration } from '../../shared/duration-format.js';
import { buildGraph, topologicalOrder } from '../graph/graph.js';
import { estimateFromHistory, type EstimateMs } from '../state/history/estimate.js';
import type { History } from '../state/history/types.js';
import type { ExecutionMode, ResourceStrategy, WorkflowSpec } from '../model/model.js';
import { applyChange, dataDependencies, outputsRead, staticParams, type WorkflowChange } from './optimize-changes.js';
import type { ToolRegistry } from '../tools/registry.js';
import { bindCapabilities } from './route-workflow.js';
import { createRouter, RoutingStats } from './routing.js';
import { lookupTool } from '../run/run-setup.js';
import { simulateRun, type Simulation } from './simulate.js';

export interface Prediction {
    makespanMs: number;
    utilization: number;
    maxConcurrency: number;
}

export interface Recommendation {
    kind: 'remove-after' | 'max-parallel' | 'cache' | 'mode' | 'resources';
    message: string;
    change: WorkflowChange;
    /** The simulated run with the change applied, and its difference from the baseline. */
    predicted: Prediction & { deltaMs: number; deltaPct: number; deltaUtilization: number };
    evidence: Record<string, number | string>;
    /** What the simulation cannot know (side effects an `after` may order). */
    caution?: string;
}

export interface Optimization {
    workflow: string;
    baseline: Prediction;
    /** Steps whose durations came from measured history (the rest: declared or 100 ms). */
    measuredSteps: string[];
    recommendations: Recommendation[];
}

export interface OptimizeOptions {
    inputs?: Readonly<Record<string, unknown>>;
    /** Smallest makespan gain worth recommending, as a share of the baseline; default 0.05. */
    minGain?: number;
    /** Simulate every `after` a removal could speed up, even those the baseline shows cannot (see `cannotSpeedUp`). */
    exhaustive?: boolean;
}

const MODES: ExecutionMode[] = ['sequential', 'parallel', 'adaptive', 'pipeline'];
const RESOURCES: ResourceStrategy[] = ['conservative', 'balanced', 'aggressive', 'unlimited'];
/** Bounds tried when searching max_parallel. */
const MAX_PARALLEL_SEARCH = 64;

/** Recommendations for `workflow` from `history`; see the module comment. */
export async function optimizeWorkflow(workflow: WorkflowSpec, registry: ToolRegistry, history: History, options: OptimizeOptions = {}): Promise<Optimization> {
    const bound = bindCapabilities(workflow, registry, createRouter(new RoutingStats(history)));
    const estimate = estimateFromHistory(history, workflow.id);
    const minGain = options.minGain ?? 0.05;
    const run = (wf: WorkflowSpec, est: EstimateMs = estimate): Promise<Simulation> => simulateRun(wf, { registry, estimateMs: est, inputs: options.inputs });
    const prediction = (sim: Simulation): Prediction => ({ makespanMs: sim.makespanMs, utilization: sim.utilization, maxConcurrency: sim.maxConcurrency });
    const simulate = async (wf: WorkflowSpec, est?: EstimateMs): Promise<Prediction> => prediction(await run(wf, est));
    // The baseline's steps tell which `after`s need no simulation (cannotSpeedUp).
    const baselineRun = await run(bound);
    const baseline = prediction(baselineRun);
    const recommendations: Recommendation[] = [];
    const predict = (p: Prediction): Recommendation['predicted'] => ({
        ...p,
        deltaMs: round(p.makespanMs - baseline.makespanMs),
        deltaPct: baseline.makespanMs > 0 ? round((p.makespanMs - baseline.makespanMs) / baseline.makespanMs) : 0,
        deltaUtilization: round(p.utilization - baseline.utilization),
    });
    const faster = (p: Prediction): boolean => p.makespanMs < baseline.makespanMs * (1 - minGain);
    const same = (p: Prediction): boolean => p.makespanMs <= baseline.makespanMs * 1.01;

    // remove-after
    const graph = buildGraph(bound);
    const fixed = options.exhaustive ? undefined : cannotSpeedUp(graph, baselineRun.steps);
    for (const [i, step] of bound.steps.entries()) {
        const data = dataDependencies(step, bound);
        for (const after of step.after) {
            const j = graph.index.get(after);
            if (j === undefined) {
                continue;
            }
            const change: WorkflowChange = { kind: 'remove-after', step: step.id, after };
            const via = data.has(after) ? `'${step.id}' refers to '${after}'` : impliedThrough(graph, i, j);
            if (via === undefined && fixed?.(i, j)) {
                continue;
            }
            // An implied `after` orders nothing the others do not: the same run (the same ready
            // times and priorities), whose figures are the baseline's; but in a pipeline, where an
            // `after` also decides what streams (run/pipeline.ts).
            const sameRun = via !== undefined && !options.exhaustive && bound.settings.mode !== 'pipeline';
            const p = sameRun ? baseline : await simulate(applyChange(bound, change));
            if (via !== undefined) {
                recommendations.push({ kind: 'remove-after', change, predicted: predict(p), evidence: { implied: via },
                    message: `'after ${after}' on step '${step.id}' is implied (${via}): remove it; the order stays the same` });
            } else if (faster(p)) {
                recommendations.push({ kind: 'remove-after', change, predicted: predict(p), evidence: { makespanMs: baseline.makespanMs },
                    message: `step '${step.id}' reads nothing from '${after}': without 'after ${after}' the makespan drops from ${formatDuration(baseline.makespanMs)} to ${formatDuration(p.makespanMs)}`,
                    caution: `keep it if '${step.id}' needs a side effect of '${after}' (an \`after\` often means: read after that write)` });
            }
        }
    }

    // max-parallel
    const current = bound.settings.maxParallel;
    const unbounded = await simulate(applyChange(bound, { kind: 'settings', settings: { maxParallel: undefined } }));
    if (current !== undefined && faster(unbounded)) {
        let k = current + 1;
        let p = await simulate(applyChange(bound, { kind: 'settings', settings: { maxParallel: k } }));
        while (p.makespanMs > unbounded.makespanMs * 1.01 && k < Math.min(MAX_PARALLEL_SEARCH, bound.steps.length * 64)) {
            p = await simulate(applyChange(bound, { kind: 'settings', settings: { maxParallel: ++k } }));
        }
        recommendations.push({ kind: 'max-parallel', change: { kind: 'settings', settings: { maxParallel: k } }, predicted: predict(p),
            evidence: { maxParallel: current, peakUnbounded: unbounded.maxConcurrency },
            message: `raise max_parallel from ${current} to ${k}: the makespan drops from ${formatDuration(baseline.makespanMs)} to ${formatDuration(p.makespanMs)}` });
    } else {
        const ceiling = Math.min(current ?? baseline.maxConcurrency, MAX_PARALLEL_SEARCH);
        for (let k = 1; k < ceiling; k++) {
            const p = await simulate(applyChange(bound, { kind: 'settings', settings: { maxParallel: k } }));
            if (same(p)) {
                recommendations.push({ kind: 'max-parallel', change: { kind: 'settings', settings: { maxParallel: k } }, predicted: predict(p),
                    evidence: { maxParallel: current ?? 'unbounded', peakConcurrency: baseline.maxConcurrency },
                    message: `max_parallel ${k} is enough: the makespan stays ${formatDuration(p.makespanMs)} with ${k} slot(s) instead of ${current ?? baseline.maxConcurrency}, utilization ${pct(baseline.utilization)} → ${pct(p.utilization)}` });
                break;
            }
        }
    }

    // cache
    if (bound.settings.cache === 'none' || bound.settings.cache === 'basic') {
        // A cache serves results: a step whose output no step reads runs for its effect
        // (a `delay` that paces, a `log`), and caching it would only skip that effect.
        const read = outputsRead(bound);
        for (const step of bound.steps) {
            const tool = step.tool !== undefined ? lookupTool(registry, step.tool) : undefined;
            const runs = history.steps[`${bound.id}/${step.id}`]?.runs ?? 0;
            if (!tool || !tool.readOnly || !read.has(step.id) || step.cache === false || !staticParams(step) || runs < 2) {
                continue;
            }
            const change: WorkflowChange = { kind: 'cache-step', step: step.id, strategy: 'intelligent' };
            const hit: EstimateMs = (s, t) => (s.id === step.id ? 0 : estimate(s, t));
            const p = await simulate(applyChange(bound, change), hit);
            if (p.makespanMs < baseline.makespanMs) {
                recommendations.push({ kind: 'cache', change, predicted: predict(p),
                    evidence: { runs, p50Ms: history.steps[`${bound.id}/${step.id}`]!.p50Ms, tool: tool.id },
                    message: `step '${step.id}' calls read-only '${tool.id}' with the same parameters every run (${runs} runs): \`cache on\` with \`cache intelligent\` serves it from .kmflow/cache, makespan ${formatDuration(baseline.makespanMs)} → ${formatDuration(p.makespanMs)} on a hit` });
            }
        }
    }

    // mode and resources
    for (const mode of MODES.filter((m) => m !== bound.settings.mode)) {
        const change: WorkflowChange = { kind: 'settings', settings: { mode } };
        const p = await simulate(applyChange(bound, change));
        if (faster(p)) {
            recommendations.push({ kind: 'mode', change, predicted: predict(p), evidence: { mode: bound.settings.mode },
                message: `mode ${mode} instead of ${bound.settings.mode}: makespan ${formatDuration(baseline.makespanMs)} → ${formatDuration(p.makespanMs)}` });
        }
    }
    const level = RESOURCES.indexOf(bound.settings.resources);
    // The pool only matters when some step's tool declares resources.
    const demands = bound.steps.some((s) => Object.keys((s.tool !== undefined ? lookupTool(registry, s.tool) : undefined)?.resources ?? {}).length > 0);
    for (const [r, resources] of RESOURCES.entries()) {
        if (r === level || !demands) {
            continue;
        }
        const change: WorkflowChange = { kind: 'settings', settings: { resources } };
        const p = await simulate(applyChange(bound, change));
        // More resources only for a real gain; fewer whenever nothing is lost.
        if ((r > level && faster(p)) || (r < level && same(p))) {
            recommendations.push({ kind: 'resources', change, predicted: predict(p), evidence: { resources: bound.settings.resources },
                message: r > level
                    ? `resources ${resources} instead of ${bound.settings.resources}: makespan ${formatDuration(baseline.makespanMs)} → ${formatDuration(p.makespanMs)}`
                    : `resources ${resources} is enough: the makespan stays ${formatDuration(p.makespanMs)} with a smaller pool than ${bound.settings.resources}` });
        }
    }
    const order: Record<Recommendation['kind'], number> = { 'remove-after': 0, 'max-parallel': 1, cache: 2, mode: 3, resources: 4 };
    recommendations.sort((a, b) => a.predicted.deltaMs - b.predicted.deltaMs || order[a.kind] - order[b.kind]);
    const measured = bound.steps.filter((s) => history.steps[`${bound.id}/${s.id}`] !== undefined || (s.tool !== undefined && history.tools[s.tool] !== undefined)).map((s) => s.id);
    return { workflow: workflow.id, baseline, measuredSteps: measured, recommendations };
}

/**
 * Which `after`s the baseline run shows cannot shorten the makespan when removed, so that
 * `optimize` simulates only the others (one simulation an `after` made it quadratic: a
 * 1,000-step workflow took 40 s). Only when no step of the baseline waited for anything but
 * its dependencies (each started as its last dependency ended: no slot, pool, mode or
 * stream held it back), where the scheduler's run is the longest paths of the graph with
 * the steps' durations. Then removing `j` from step `i`'s dependencies cannot shorten it
 * unless `j` ended last of them (else `i` starts when it did, and so does every step) and
 * `i` has no slack (else the longest path does not run through `i`). Undefined when the
 * baseline had a wait: every `after` is simulated.
 */
function cannotSpeedUp(graph: ReturnType<typeof buildGraph>, steps: ReadonlyArray<{ startMs: number; endMs: number }>): ((i: number, j: number) => boolean) | undefined {
    const n = steps.length;
    const EPS = 1e-6;
    const readyAt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        for (const d of graph.deps[i]!) {
            readyAt[i] = Math.max(readyAt[i]!, steps[d]!.endMs);
        }
        if (Math.abs(steps[i]!.startMs - readyAt[i]!) > EPS) {
            return undefined;
        }
    }
    // Latest starts that keep the makespan, in reverse topological order.
    const makespan = steps.reduce((m, s) => Math.max(m, s.endMs), 0);
    const latestStart = new Float64Array(n);
    const order = topologicalOrder(graph);
    for (let k = order.length - 1; k >= 0; k--) {
        const v = order[k]!;
        let latestEnd = makespan;
        for (const w of graph.dependants[v]!) {
            latestEnd = Math.min(latestEnd, latestStart[w]!);
        }
        latestStart[v] = latestEnd - (steps[v]!.endMs - steps[v]!.startMs);
    }
    return (i, j) => steps[j]!.endMs < readyAt[i]! - EPS || latestStart[i]! - steps[i]!.startMs > EPS;
}

/** A path from dependency `j` to step `i` other than the direct edge, as text; undefined if none. */
function impliedThrough(graph: ReturnType<typeof buildGraph>, i: number, j: number): string | undefined {
    for (const start of graph.deps[i]!) {
        if (start === j) {
            continue;
        }
        const seen = new Set<number>([start]);
        const stack = [start];
        while (stack.length > 0) {
            const v = stack.pop()!;
            if (v === j) {
                return `through '${graph.ids[start]}', which already runs after '${graph.ids[j]}'`;
            }
            for (const d of graph.deps[v]!) {
                if (!seen.has(d)) {
                    seen.add(d);
                    stack.push(d);
                }
            }
        }
    }
    return undefined;
}

function round(x: number): number {
    return Math.round(x * 1000) / 1000;
}

function pct(x: number): string {
    return `${Math.round(x * 100)}%`;
}

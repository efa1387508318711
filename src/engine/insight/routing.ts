/**
 * Capability routing: which tool serves `uses capability X`, under the workflow's
 * `selection` and `target`.
 *
 * - `manual`: the first tool declaring the capability (registration order).
 * - `intelligent`: the best score against the `target`, from each tool's measured
 *   history when it has any, else from its declaration. The figures are those known
 *   when the run starts (history recorded by earlier runs).
 * - `adaptive`: as intelligent, but the figures also take every call measured since
 *   (RoutingStats.record, fed by the run's `onCall`: `recordingCalls`): each selection after a call
 *   sees it. Selection happens when tools are bound; see `createRouter`.
 * - `ml_optimized`: as adaptive, over exponentially weighted moving averages
 *   (α = 0.3 by default) of latency and success seeded with the history's medians, so
 *   recent calls count more than old ones. Plain EWMA, not machine learning.
 *
 * Scores (lower is better; ties keep registration order, like `manual`):
 * - performance: p50 latency (declared `response_time` until measured);
 * - user_experience: p95 latency (the declared `response_time` stands in for it);
 * - reliability: 1 - success rate (declared `reliability`, default 0.9);
 * - cost, efficiency: the sum of the tool's declared `resources` shares (history does
 *   not measure resources), then p50 latency to break ties.
 */
import type { OptimizationTarget, SelectionStrategy, ToolDescriptor, WorkflowSettings } from '../model/model.js';
import { percentile, percentiles } from '../../shared/stats.js';
import { DEFAULT_STEP_MS } from './estimate.js';

/** Latency and success of a tool, measured; any field may be missing. */
export interface ToolFigures {
    p50Ms?: number;
    p95Ms?: number;
    successRate?: number;
}

/** The history summary's per-tool figures this module reads (see `history/types.ts`). */
export interface MeasuredTools {
    tools: Readonly<Record<string, { p50Ms: number; p95Ms: number; successRate: number; calls: number; samples: number }>>;
}

const DEFAULT_RELIABILITY = 0.9;
/** Live samples kept per tool for the adaptive percentiles. */
const LIVE_WINDOW = 200;

interface Live {
    /** The last LIVE_WINDOW durations, as a ring (percentiles need no order): the next one replaces `durations[next]`. */
    durations: number[];
    next: number;
    calls: number;
    errors: number;
    ewmaMs: number | undefined;
    ewmaOk: number | undefined;
}

/**
 * What the router knows: the history's figures (fixed) and the calls measured since
 * (live). One object per process or per run; `record` after every call.
 */
export class RoutingStats {
    private readonly live = new Map<string, Live>();

    constructor(
        private readonly history?: MeasuredTools,
        /** Weight of the newest call in the ml_optimized averages. */
        readonly alpha = 0.3,
    ) {}

    /** One finished call of `tool`: its duration and whether it succeeded. */
    record(tool: string, ms: number, ok: boolean): void {
        let l = this.live.get(tool);
        if (!l) {
            const h = this.history?.tools[tool];
            l = { durations: [], next: 0, calls: 0, errors: 0, ewmaMs: h && h.samples > 0 ? h.p50Ms : undefined, ewmaOk: h && h.calls > 0 ? h.successRate : undefined };
            this.live.set(tool, l);
        }
        l.calls++;
        l.errors += ok ? 0 : 1;
        // A ring, not push and shift: 10k calls of one tool shifted the window 10k times.
        if (l.durations.length < LIVE_WINDOW) {
            l.durations.push(ms);
        } else {
            l.durations[l.next] = ms;
            l.next = (l.next + 1) % LIVE_WINDOW;
        }
        l.ewmaMs = l.ewmaMs === undefined ? ms : this.alpha * ms + (1 - this.alpha) * l.ewmaMs;
        l.ewmaOk = l.ewmaOk === undefined ? (ok ? 1 : 0) : this.alpha * (ok ? 1 : 0) + (1 - this.alpha) * l.ewmaOk;
    }

    /** Calls recorded live for `tool` (not counting history). */
    liveCalls(tool: string): number {
        return this.live.get(tool)?.calls ?? 0;
    }

    /** Measured figures of `tool` as `strategy` sees them; undefined when nothing was measured. */
    figures(tool: string, strategy: SelectionStrategy): ToolFigures | undefined {
        const h = this.history?.tools[tool];
        const fromHistory: ToolFigures | undefined = h && h.calls > 0
            ? { successRate: h.successRate, ...(h.samples > 0 ? { p50Ms: h.p50Ms, p95Ms: h.p95Ms } : {}) }
            : undefined;
        const l = this.live.get(tool);
        if (strategy === 'intelligent' || strategy === 'manual' || !l) {
            return fromHistory;
        }
        if (strategy === 'ml_optimized') {
            return { p50Ms: l.ewmaMs, p95Ms: Math.max(l.ewmaMs ?? 0, fromHistory?.p95Ms ?? 0, percentile(l.durations, 0.95)), successRate: l.ewmaOk };
        }
        // adaptive: the live window when it has calls, merged with history's counts.
        const calls = l.calls + (h?.calls ?? 0);
        const errors = l.errors + (h ? h.calls - Math.round(h.successRate * h.calls) : 0);
        const [p50Ms, p95Ms] = percentiles(l.durations, [0.5, 0.95]);
        return { p50Ms, p95Ms, successRate: calls > 0 ? (calls - errors) / calls : undefined };
    }
}

function resourceSum(tool: ToolDescriptor): number {
    return Object.values(tool.resources).reduce((a, b) => a + b, 0);
}

/** The score of `tool` under `target` (lower is better); see the module comment. */
export function scoreTool(tool: ToolDescriptor, target: OptimizationTarget, figures?: ToolFigures): number[] {
    const declaredMs = tool.performance.responseTimeMs ?? DEFAULT_STEP_MS;
    const p50 = figures?.p50Ms ?? declaredMs;
    switch (target) {
        case 'performance':
            return [p50];
        case 'user_experience':
            return [figures?.p95Ms ?? declaredMs, p50];
        case 'reliability':
            return [1 - (figures?.successRate ?? tool.performance.reliability ?? DEFAULT_RELIABILITY), p50];
        case 'cost':
        case 'efficiency':
            return [resourceSum(tool), p50];
    }
}

function lower(a: number[], b: number[]): boolean {
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
            return a[i]! < b[i]!;
        }
    }
    return false;
}

/** The tool to use among `candidates` (registration order) under `settings`. */
export function chooseTool(
    candidates: readonly ToolDescriptor[],
    settings: Pick<WorkflowSettings, 'selection' | 'target'>,
    stats?: RoutingStats,
): ToolDescriptor | undefined {
    if (settings.selection === 'manual' || candidates.length <= 1) {
        return candidates[0];
    }
    let best: ToolDescriptor | undefined;
    let bestScore: number[] = [];
    for (const tool of candidates) {
        const score = scoreTool(tool, settings.target, stats?.figures(tool.id, settings.selection));
        if (!best || lower(score, bestScore)) {
            best = tool;
            bestScore = score;
        }
    }
    return best;
}

/** The shape of `RunOptions.selectTool`: a router over shared stats. */
export type SelectToolFn = (capability: string, candidates: readonly ToolDescriptor[], settings: WorkflowSettings) => ToolDescriptor | undefined;

/** A `selectTool` that scores with `stats` (history, plus live calls for adaptive/ml_optimized). */
export function createRouter(stats: RoutingStats): SelectToolFn {
    return (_capability, candidates, settings) => chooseTool(candidates, settings, stats);
}

/**
 * A run's `onCall` (RunOptions) recording each call of a step's tool in `stats` (by tool
 * id), from the run's own figures: the live figures adaptive and ml_optimized selection
 * re-score with.
 */
export function recordingCalls(stats: RoutingStats): (tool: ToolDescriptor, ms: number, ok: boolean) => void {
    return (tool, ms, ok) => stats.record(tool.id, ms, ok);
}

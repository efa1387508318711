/**
 * Strategic planning: the cheapest set of tools that covers the capabilities asked for,
 * by greedy weighted set cover (within ln(n) of the optimum), each tool weighed against
 * the optimisation target from its declared or measured figures.
 */
import { isRunnable, type OptimizationTarget, type ToolDescriptor } from '../model/model.js';
import { DEFAULT_STEP_MS } from './estimate.js';

export interface Suggestion {
    target: OptimizationTarget;
    tools: Array<{ tool: ToolDescriptor; covers: string[]; cost: number }>;
    /** Capabilities no usable tool provides. */
    uncovered: string[];
    totalCost: number;
}

/** Measured figures for a tool, when history has them. */
export interface ToolStatsLike {
    p50Ms?: number;
    p95Ms?: number;
    successRate?: number;
}

/** The cost of using a tool under a target: lower is better, always > 0. */
export function toolCost(tool: ToolDescriptor, target: OptimizationTarget, stats?: ToolStatsLike): number {
    const latency = stats?.p50Ms ?? tool.performance.responseTimeMs ?? DEFAULT_STEP_MS;
    const tail = stats?.p95Ms ?? latency * 1.5;
    const reliability = stats?.successRate ?? tool.performance.reliability ?? 0.95;
    const resources = Object.values(tool.resources).reduce((a, b) => a + b, 0) || 0.05;
    switch (target) {
        case 'performance': return Math.max(1, latency);
        case 'user_experience': return Math.max(1, tail);
        case 'reliability': return Math.max(1e-3, 1 - reliability) * 1000;
        case 'cost':
        case 'efficiency': return Math.max(0.01, resources) * 100;
    }
}

/** Tools that can be suggested: runnable (not `spec`, not `removed`), not deprecated aliases. */
export function usable(tool: ToolDescriptor): boolean {
    return isRunnable(tool) && tool.status !== 'alias' && tool.via !== undefined;
}

export function suggestTools(capabilities: string[], tools: ToolDescriptor[], target: OptimizationTarget,
    statsOf: (tool: ToolDescriptor) => ToolStatsLike | undefined = () => undefined): Suggestion {
    const wanted = new Set(capabilities);
    const candidates = tools.filter((t) => usable(t) && t.capabilities.some((c) => wanted.has(c)));
    const uncovered = new Set([...wanted].filter((c) => candidates.some((t) => t.capabilities.includes(c))));
    const missing = [...wanted].filter((c) => !uncovered.has(c));
    const chosen: Suggestion['tools'] = [];
    while (uncovered.size > 0) {
        let best: { tool: ToolDescriptor; covers: string[]; cost: number; ratio: number } | undefined;
        for (const tool of candidates) {
            const covers = tool.capabilities.filter((c) => uncovered.has(c));
            if (covers.length === 0) {
                continue;
            }
            const cost = toolCost(tool, target, statsOf(tool));
            const ratio = cost / covers.length;
            // Ties: the earlier declaration (stable, like `selection manual`).
            if (!best || ratio < best.ratio) {
                best = { tool, covers, cost, ratio };
            }
        }
        if (!best) {
            break;
        }
        chosen.push({ tool: best.tool, covers: best.covers, cost: best.cost });
        best.covers.forEach((c) => uncovered.delete(c));
    }
    return { target, tools: chosen, uncovered: missing, totalCost: chosen.reduce((a, t) => a + t.cost, 0) };
}

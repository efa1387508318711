/**
 * `optimization_target: balanced` (the seed's default): a blend of the five targets for
 * `uses capability X` routing, the one place the engine uses a target.
 *
 * For each target, every candidate's primary score from `scoreTool` (routing.ts: p50
 * latency for performance, p95 for user_experience, failure rate for reliability, the
 * declared resource shares for cost and for efficiency) is scaled over the candidates
 * to [0, 1] (best 0, worst 1; all equal: 0). The balanced score is the weighted sum
 * with equal weights of 1/5, so latency counts 2/5 (p50 and p95), failure rate 1/5 and
 * resource use 2/5 (cost and efficiency read the same figure). Lowest wins; ties go to
 * the lower p50, then to registration order. Figures are the router's: measured when
 * the tool has history or live calls (per `selection`), else declared.
 */
import type { OptimizationTarget, ToolDescriptor, WorkflowSettings } from '../engine/model/index.js';
import { createRouter, scoreTool, type RoutingStats, type SelectToolFn, type ToolFigures } from '../engine/insight/index.js';

export const BALANCED_WEIGHTS: Readonly<Record<OptimizationTarget, number>> = {
    performance: 0.2,
    efficiency: 0.2,
    reliability: 0.2,
    cost: 0.2,
    user_experience: 0.2,
};

const TARGETS = Object.keys(BALANCED_WEIGHTS) as OptimizationTarget[];

/** Each candidate's balanced score (lower is better), in the candidates' order. */
export function balancedScores(candidates: readonly ToolDescriptor[], figuresOf: (tool: ToolDescriptor) => ToolFigures | undefined): number[] {
    const figures = candidates.map(figuresOf);
    const total = candidates.map(() => 0);
    for (const target of TARGETS) {
        const primary = candidates.map((tool, i) => scoreTool(tool, target, figures[i])[0]!);
        const min = Math.min(...primary);
        const span = Math.max(...primary) - min;
        primary.forEach((p, i) => {
            total[i]! += BALANCED_WEIGHTS[target] * (span > 0 ? (p - min) / span : 0);
        });
    }
    return total;
}

/** The balanced choice among `candidates` (`manual` still means the first declared). */
export function chooseBalanced(candidates: readonly ToolDescriptor[], selection: WorkflowSettings['selection'], stats?: RoutingStats): ToolDescriptor | undefined {
    if (selection === 'manual' || candidates.length <= 1) {
        return candidates[0];
    }
    const figuresOf = (tool: ToolDescriptor) => stats?.figures(tool.id, selection);
    const scores = balancedScores(candidates, figuresOf);
    const p50 = candidates.map((tool) => scoreTool(tool, 'performance', figuresOf(tool))[0]!);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) {
        if (scores[i]! < scores[best]! || (scores[i] === scores[best] && p50[i]! < p50[best]!)) {
            best = i;
        }
    }
    return candidates[best];
}

/** The router for a call: the balanced blend, or the engine's router for one of the five targets. */
export function routerFor(balanced: boolean, stats: RoutingStats): SelectToolFn {
    if (!balanced) {
        return createRouter(stats);
    }
    return (_capability, candidates, settings) => chooseBalanced(candidates, settings.selection, stats);
}

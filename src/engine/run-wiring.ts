/**
 * What a run builds once, before its first step: step states with their tools'
 * stats and demands, the pipeline's stream links, and the cache. Kept out of `run.ts`
 * so the scheduler's hot path reads on its own.
 */
import * as path from 'node:path';
import { DiskStore } from './cache/disk-store.js';
import { cacheDecision } from './cache/policy.js';
import { RunCache } from './cache/run-cache.js';
import type { WorkflowGraph } from './graph.js';
import type { WorkflowSettings, WorkflowSpec } from './model.js';
import { streamSources } from './pipeline.js';
import type { Redactor } from './redaction.js';
import { NO_DEMAND, toDemand, type Demand } from './resource-pool.js';
import type { BoundTool } from './run-setup.js';
import { StepState, ToolStats } from './run-state.js';
import type { RunOptions } from './run-types.js';

/** One StepState per step; stats and demand computed once per tool, not per step. */
export function stepStates(workflow: WorkflowSpec, tools: readonly BoundTool[]): StepState[] {
    const unlimited = workflow.settings.resources === 'unlimited';
    const perTool = new Map<string, { stats: ToolStats; demand: Demand }>();
    return workflow.steps.map((spec, i) => {
        const { tool, connector } = tools[i]!;
        let t = perTool.get(tool.id);
        if (!t) {
            perTool.set(tool.id, (t = { stats: new ToolStats(tool), demand: unlimited ? NO_DEMAND : toDemand(tool.resources) }));
        }
        return new StepState(i, spec, tool, connector, t.demand, t.stats);
    });
}

/** `mode pipeline`: links each streaming fan-out to its source (see `pipeline.ts`). */
export function linkStreams(steps: readonly StepState[], workflow: WorkflowSpec, graph: WorkflowGraph): void {
    streamSources(workflow.steps, graph).forEach((a, b) => {
        if (a >= 0) {
            const up = steps[a]!;
            steps[b]!.streamFrom = up;
            (up.streamTo ??= []).push(steps[b]!);
        }
    });
}

/**
 * Marks the steps that may use the cache and returns the run's cache, or undefined
 * when none may (so the hot path tests one field).
 */
export function runCache(steps: readonly StepState[], settings: WorkflowSettings, options: RunOptions, root: string, redactor: Redactor): RunCache | undefined {
    if (settings.cache === 'none') {
        return undefined;
    }
    let any = false;
    for (const s of steps) {
        s.cacheable = cacheDecision(s.spec, s.tool, settings.cache).cacheable;
        any ||= s.cacheable;
    }
    if (!any) {
        return undefined;
    }
    const persistent = settings.cache === 'intelligent' || settings.cache === 'predictive';
    const dir = options.cacheDir ?? path.join(root, '.kmflow', 'cache');
    return new RunCache(redactor, persistent ? new DiskStore(dir, options.cacheMaxBytes) : undefined);
}

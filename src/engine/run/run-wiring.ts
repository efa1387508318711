/**
 * What a run builds once, before its first step: step states with their tools'
 * stats and demands, the pipeline's stream links, and the cache. Kept out of `run.ts`
 * so the scheduler's hot path reads on its own.
 */
import * as path from 'node:path';
import { DiskStore } from '../state/cache/disk-store.js';
import { cacheDecision } from '../state/cache/policy.js';
import { RunCache } from '../state/cache/run-cache.js';
import type { WorkflowGraph } from '../graph/graph.js';
import type { ToolDescriptor, WorkflowSettings, WorkflowSpec } from '../model/model.js';
import { streamSources } from './pipeline.js';
import type { Redactor } from '../security/redaction.js';
import { NO_DEMAND, toDemand, type Demand } from './resource-pool.js';
import type { BoundTool, BoundTools } from './run-setup.js';
import { StepState, ToolStats } from './run-state.js';
import type { RunOptions } from './run-types.js';

/** One StepState per step; stats and demand computed once per tool, not per step. */
export function stepStates(workflow: WorkflowSpec, tools: readonly BoundTool[]): StepState[] {
    const unlimited = workflow.settings.resources === 'unlimited';
    const perTool = new Map<string, { stats: ToolStats; demand: Demand }>();
    const specs = workflow.steps;
    const states = new Array<StepState>(specs.length);
    // Consecutive steps mostly share their binding (`resolveTools`): they share its
    // lookup too, instead of a Map lookup a step.
    let lastTool: ToolDescriptor | undefined;
    let t: { stats: ToolStats; demand: Demand } | undefined;
    for (let i = 0; i < specs.length; i++) {
        const { tool, connector } = tools[i]!;
        if (tool !== lastTool) {
            lastTool = tool;
            t = perTool.get(tool.id);
            if (!t) {
                perTool.set(tool.id, (t = { stats: new ToolStats(tool), demand: unlimited ? NO_DEMAND : toDemand(tool.resources) }));
            }
        }
        states[i] = new StepState(i, specs[i]!, tool, connector, t!.demand, t!.stats);
    }
    return states;
}

/**
 * `selection adaptive` / `ml_optimized`: when a `uses capability` step becomes ready, its
 * tool is chosen again with what the run has measured so far. Done before its tasks are
 * queued, so the resource pool only ever sees the demand of the tool that runs.
 */
export function stepRebinder(steps: readonly StepState[], tools: BoundTools, settings: WorkflowSettings):
    ((step: StepState) => void) | undefined {
    const rebind = tools.rebind;
    if (!rebind || (settings.selection !== 'adaptive' && settings.selection !== 'ml_optimized')) {
        return undefined;
    }
    const unlimited = settings.resources === 'unlimited';
    return (step) => {
        const bound = rebind(step.spec);
        if (!bound || bound.tool.id === step.tool.id) {
            return;
        }
        step.tool = bound.tool;
        step.connector = bound.connector;
        step.demand = unlimited ? NO_DEMAND : toDemand(bound.tool.resources);
        step.stats = steps.find((s) => s.tool.id === bound.tool.id && s !== step)?.stats ?? new ToolStats(bound.tool);
    };
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
        // A step computed from a secret is never cached (`taint.ts`).
        s.cacheable = !s.secret && cacheDecision(s.spec, s.tool, settings.cache).cacheable;
        any ||= s.cacheable;
    }
    if (!any) {
        return undefined;
    }
    const persistent = settings.cache === 'intelligent' || settings.cache === 'predictive';
    const dir = options.cacheDir ?? path.join(root, '.kmflow', 'cache');
    return new RunCache(redactor, persistent ? new DiskStore(dir, options.cacheMaxBytes) : undefined);
}

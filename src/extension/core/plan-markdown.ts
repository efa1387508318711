/**
 * `KM Flow: Plan` as markdown: the engine's plan (`planWorkflow`, a simulation of the
 * real scheduler) with step durations from the workspace's measured history where it
 * has them, and per step whether the persistent cache would answer it now.
 */
import { estimateFromHistory } from '../../engine/state/history/estimate.js';
import type { History } from '../../engine/state/history/types.js';
import type { WorkflowSpec } from '../../engine/model/model.js';
import { planWorkflow, type ExecutionPlan } from '../../engine/insight/plan.js';
import type { ToolRegistry } from '../../engine/tools/registry.js';
import { formatDuration } from './format.js';

/** What the plan is computed with. */
export interface PlanInput {
    workflow: WorkflowSpec;
    registry: ToolRegistry;
    /** The workspace root (for the cache prediction). */
    root: string;
    /** The measured history of the root (`loadHistory`). */
    history: History;
    env?: Readonly<Record<string, string | undefined>>;
}

/** The plan, and which steps were timed from history. */
export interface PlanResult {
    plan: ExecutionPlan;
    measured: Set<string>;
    markdown: string;
}

const code = (id: string): string => `\`${id}\``;

/** Plans the workflow with history and renders it. */
export async function planWithHistory(input: PlanInput): Promise<PlanResult> {
    const { workflow, registry, root, history } = input;
    const estimate = estimateFromHistory(history, workflow.id);
    const measured = new Set<string>();
    for (const step of workflow.steps) {
        const tool = step.tool ? registry.get(step.tool) : undefined;
        if (tool && estimate(step, tool) !== undefined) {
            measured.add(step.id);
        }
    }
    const plan = await planWorkflow(workflow, { registry, estimateMs: estimate, root, env: input.env });
    return { plan, measured, markdown: planMarkdown(workflow, plan, measured) };
}

/** The plan as markdown; `measured`: the steps whose durations came from history. */
export function planMarkdown(workflow: WorkflowSpec, plan: ExecutionPlan, measured: ReadonlySet<string>): string {
    const s = workflow.settings;
    const cacheOn = plan.cache !== 'none';
    const peak = Object.entries(plan.resources.peak).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    return [
        `# Plan: ${workflow.id}${workflow.title ? ` — ${workflow.title}` : ''}`,
        '',
        `Mode \`${plan.mode}\`, resources \`${s.resources}\` (capacity ${plan.resources.capacity ?? 'unlimited'}, peak ${peak}), `
        + `max parallel ${plan.maxParallel ?? 'unbounded'}, errors \`${s.errors}\`, cache \`${plan.cache}\`.`,
        '',
        `Predicted makespan **${formatDuration(plan.predictedMakespanMs)}** (one step at a time: ${formatDuration(plan.totalWorkMs)}). `
        + (measured.size > 0
            ? `Durations of ${measured.size} of ${workflow.steps.length} steps are measured (\`.kmflow/metrics\`); the rest are declared.`
            : 'No measured history for this workflow yet: durations are the declared ones (run it to measure).'),
        '',
        '## Levels',
        '',
        '| level | steps that may run together |',
        '|---|---|',
        ...plan.levels.map((ids, i) => `| ${i} | ${ids.map(code).join(', ')} |`),
        '',
        '## Steps',
        '',
        `| step | tool | predicted start | predicted duration | from | critical |${cacheOn ? ' cache |' : ''}`,
        `|---|---|---|---|---|---|${cacheOn ? '---|' : ''}`,
        ...plan.steps.map((p) => {
            const items = p.items > 1 ? ` × ${p.items} items` : '';
            const cache = cacheOn ? ` ${p.cache ? `${p.cache.hit ? 'hit' : 'miss'}: ${p.cache.reason}` : '—'} |` : '';
            return `| ${code(p.id)} | ${p.tool} | +${formatDuration(p.predictedStartMs)} | ${formatDuration(p.predictedDurationMs)}${items} `
                + `| ${measured.has(p.id) ? 'history' : 'declared'} | ${p.onCriticalPath ? '★' : ''} |${cache}`;
        }),
        '',
        '## Critical path',
        '',
        plan.criticalPath.steps.length > 0 ? `${plan.criticalPath.steps.map(code).join(' → ')} (${formatDuration(plan.criticalPath.lengthMs)})` : '(no steps)',
        '',
        ...Object.entries(plan.groups).flatMap(([g, ids]) => [`Parallel group \`${g}\`: ${ids.map(code).join(', ')}.`, '']),
    ].join('\n');
}

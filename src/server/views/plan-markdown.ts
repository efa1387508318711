/**
 * `KM Flow: Plan` as markdown: the application layer's plan (`planOf`: the engine's
 * simulation of the real scheduler with step durations from the workspace's measured
 * history where it has them), and per step whether the persistent cache would answer it now.
 * Each step row links back to the step's line in its file (`URI#L4`, which the markdown
 * preview opens at that line).
 */
import type { WorkflowSpec } from '../../engine/model/index.js';
import type { ExecutionPlan } from '../../engine/insight/index.js';
import { formatDuration } from '../../shared/duration-format.js';

const code = (id: string): string => `\`${id}\``;

/** Where a step's estimate comes from, as the table says it. */
const FROM = { measured: 'history', declared: 'declared', default: 'default' } as const;

/** A markdown link to line `line` of the document `uri`. */
export function lineLink(uri: string | undefined, line: number | undefined): string {
    return line === undefined ? '' : uri ? `[${line}](<${uri}#L${line}>)` : String(line);
}

/** The plan as markdown; each step says where its estimate comes from, and links to its line of `uri`. */
export function planMarkdown(workflow: WorkflowSpec, plan: ExecutionPlan, uri?: string): string {
    const lines = new Map(workflow.steps.map((step) => [step.id, step.location?.line]));
    const s = workflow.settings;
    const cacheOn = plan.cache !== 'none';
    const peak = Object.entries(plan.resources.peak).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const measured = plan.steps.filter((p) => p.estimate.source === 'measured').length;
    return [
        `# Plan: ${workflow.id}${workflow.title ? ` — ${workflow.title}` : ''}`,
        '',
        `Mode \`${plan.mode}\`, resources \`${s.resources}\` (capacity ${plan.resources.capacity ?? 'unlimited'}, peak ${peak}), `
        + `max parallel ${plan.maxParallel ?? 'unbounded'}, errors \`${s.errors}\`, cache \`${plan.cache}\`.`,
        '',
        `Predicted makespan **${formatDuration(plan.predictedMakespanMs)}** (one step at a time: ${formatDuration(plan.totalWorkMs)}). `
        + (measured > 0
            ? `Durations of ${measured} of ${workflow.steps.length} steps are measured (\`.kmflow/metrics\`); the rest are declared or the default.`
            : 'No measured history for this workflow yet: durations are the declared ones, else the default (run it to measure).'),
        '',
        '## Levels',
        '',
        '| level | steps that may run together |',
        '|---|---|',
        ...plan.levels.map((ids, i) => `| ${i} | ${ids.map(code).join(', ')} |`),
        '',
        '## Steps',
        '',
        `| step | tool | predicted start | predicted duration | from | critical |${cacheOn ? ' cache |' : ''} line |`,
        `|---|---|---|---|---|---|${cacheOn ? '---|' : ''}---|`,
        ...plan.steps.map((p) => {
            const items = p.items > 1 ? ` × ${p.items} items` : '';
            const cache = cacheOn ? ` ${p.cache ? `${p.cache.hit ? 'hit' : 'miss'}: ${p.cache.reason}` : '—'} |` : '';
            return `| ${code(p.id)} | ${p.tool} | +${formatDuration(p.predictedStartMs)} | ${formatDuration(p.predictedDurationMs)}${items} `
                + `| ${FROM[p.estimate.source]} | ${p.onCriticalPath ? '★' : ''} |${cache} ${lineLink(uri, lines.get(p.id))} |`;
        }),
        '',
        '## Critical path (predicted)',
        '',
        plan.criticalPath.steps.length > 0 ? `${plan.criticalPath.steps.map(code).join(' → ')} (${formatDuration(plan.criticalPath.lengthMs)})` : '(no steps)',
        '',
        ...Object.entries(plan.groups).flatMap(([g, ids]) => [`Parallel group \`${g}\`: ${ids.map(code).join(', ')}.`, '']),
    ].join('\n');
}

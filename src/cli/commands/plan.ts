/** `kmflow plan FILE [--workflow ID] [--json]`: levels, groups, critical path, resources, predicted makespan. */
import type { ExecutionPlan } from '../../engine/insight/index.js';
import { planOf } from '../../app/index.js';
import { formatDuration } from '../../shared/duration-format.js';
import { reportOnWorkflow } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export function planCommand(ctx: CommandContext): Promise<number> {
    // Measured history takes over from declared performance where it exists.
    return reportOnWorkflow(ctx, 'plan', (loaded, prepared) => planOf(loaded.workspace, prepared), formatPlan);
}

export function formatPlan(plan: ExecutionPlan): string {
    const lines = [
        `${plan.workflow}: ${plan.steps.length} steps in ${plan.levels.length} levels, mode ${plan.mode}`,
        `predicted makespan ${formatDuration(plan.predictedMakespanMs)} (one at a time: ${formatDuration(plan.totalWorkMs)})`,
        `${plan.criticalPath.kind} critical path ${formatDuration(plan.criticalPath.lengthMs)}: ${plan.criticalPath.steps.join(' → ')}`,
        `resources ${plan.resources.strategy} (capacity ${plan.resources.capacity ?? 'unlimited'}), peak ` +
        (Object.entries(plan.resources.peak).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'),
    ];
    for (const [group, members] of Object.entries(plan.groups)) {
        lines.push(`group ${group}: ${members.join(', ')}`);
    }
    plan.levels.forEach((ids, level) => {
        lines.push(`level ${level}:`);
        for (const id of ids) {
            const s = plan.steps.find((x) => x.id === id)!;
            const mark = s.onCriticalPath ? '★' : ' ';
            lines.push(`  ${mark} ${id.padEnd(20)} ${s.tool.padEnd(22)} +${formatDuration(s.predictedStartMs).padEnd(7)} ` +
                `${formatDuration(s.predictedDurationMs)}${s.items > 1 ? ` × ${s.items} items` : ''} (${s.estimate.source})` +
                `${s.cache && plan.cache !== 'none' ? `  cache: ${s.cache.hit ? 'hit' : 'miss'} (${s.cache.reason})` : ''}`);
        }
    });
    return lines.join('\n');
}

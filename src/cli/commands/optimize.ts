/**
 * `kmflow optimize FILE [--workflow ID] [--json]`: recommendations from the measured
 * history in `ROOT/.kmflow/metrics`, each with the makespan and utilization the
 * simulator predicts once it is applied.
 */
import type { Optimization } from '../../engine/insight/index.js';
import { optimizeOf } from '../../app/index.js';
import { formatDuration } from '../../shared/duration-format.js';
import { reportOnWorkflow } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export function optimizeCommand(ctx: CommandContext): Promise<number> {
    return reportOnWorkflow(ctx, 'optimize',
        (loaded, prepared) => optimizeOf(loaded.workspace, prepared),
        formatOptimization);
}

function formatOptimization(o: Optimization): string {
    const lines = [
        `${o.workflow}: predicted makespan ${formatDuration(o.baseline.makespanMs)}, utilization ${Math.round(o.baseline.utilization * 100)}%, ` +
        `${o.measuredSteps.length} step(s) timed from history`,
    ];
    if (o.measuredSteps.length === 0) {
        lines.push('no measured history for this workflow yet: predictions use declared response times (run it first)');
    }
    if (o.recommendations.length === 0) {
        lines.push('no change the simulator predicts to help');
    }
    for (const r of o.recommendations) {
        const d = r.predicted.deltaMs;
        const effect = `${d <= 0 ? '−' : '+'}${formatDuration(Math.abs(d))} (${Math.round(r.predicted.deltaPct * 100)}%), utilization ${r.predicted.deltaUtilization >= 0 ? '+' : ''}${Math.round(r.predicted.deltaUtilization * 100)} pts`;
        lines.push(`• ${r.message}`, `    predicted: ${effect}`);
        if (r.caution) {
            lines.push(`    caution: ${r.caution}`);
        }
    }
    return lines.join('\n');
}

/**
 * How `KM Flow: Optimize` presents the optimizer's recommendations: each with its
 * predicted effect (makespan and utilization, from the simulator) and the exact edit
 * that makes it; and the whole as markdown for when no edit can be applied.
 */
import type { Optimization, Recommendation } from '../../engine/optimize.js';
import { formatDuration } from './format.js';
import { describeChange } from './optimize-edits.js';

/** The predicted effect, e.g. `−80 ms (−40%), utilization +12 pts`. */
export function effectText(r: Recommendation): string {
    const d = r.predicted.deltaMs;
    const u = Math.round(r.predicted.deltaUtilization * 100);
    return `${d <= 0 ? '−' : '+'}${formatDuration(Math.abs(d))} (${Math.round(r.predicted.deltaPct * 100)}%), utilization ${u >= 0 ? '+' : ''}${u} pts`;
}

/** One line on the baseline: the predicted makespan and how much of it is measured. */
export function baselineText(o: Optimization): string {
    return `predicted makespan ${formatDuration(o.baseline.makespanMs)}, utilization ${Math.round(o.baseline.utilization * 100)}%, `
        + `${o.measuredSteps.length} step(s) timed from history`;
}

/** The recommendations as markdown, each with its effect and edit. */
export function optimizationMarkdown(o: Optimization): string {
    const lines = [`# Optimize: ${o.workflow}`, '', `Baseline: ${baselineText(o)}.`, ''];
    if (o.recommendations.length === 0) {
        lines.push('No change the simulator predicts to help.', '');
    }
    o.recommendations.forEach((r, i) => {
        lines.push(`## ${i + 1}. ${r.kind}`, '', r.message, '', `- predicted: ${effectText(r)} → makespan ${formatDuration(r.predicted.makespanMs)}`,
            `- edit: ${describeChange(r.change)}`, ...(r.caution ? [`- caution: ${r.caution}`] : []), '');
    });
    return lines.join('\n');
}

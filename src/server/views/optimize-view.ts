/**
 * How `KM Flow: Optimize` presents the optimizer's recommendations: only those predicted
 * to save more time than the noise of a prediction (5% of the predicted makespan, at
 * least 5 ms) are offered, each with its predicted effect (makespan and utilization,
 * from the simulator) and the exact edit that makes it; the rest (tidy-ups such as an
 * implied `after`, or a smaller `max_parallel` with the same makespan) are listed apart.
 */
import type { Optimization, Recommendation } from '../../engine/insight/index.js';
import { formatDuration } from '../../shared/duration-format.js';
import { describeChange } from '../optimize-edits.js';

/** A prediction's noise: the smallest gain worth offering, as a share of the makespan and as a floor. */
export const NOISE_SHARE = 0.05;
export const NOISE_FLOOR_MS = 5;

/** The smallest predicted saving (ms) that counts as a gain for this optimization. */
export function noiseMs(o: Optimization): number {
    return Math.max(NOISE_FLOOR_MS, Math.round(NOISE_SHARE * o.baseline.makespanMs));
}

/** The recommendations offered (saving more than the noise) and the rest, each in the optimizer's order. */
export function splitByGain(o: Optimization): { offered: Recommendation[]; belowNoise: Recommendation[] } {
    const noise = noiseMs(o);
    const offered = o.recommendations.filter((r) => -r.predicted.deltaMs > noise);
    return { offered, belowNoise: o.recommendations.filter((r) => !offered.includes(r)) };
}

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

/** What to say when nothing is offered. */
export function noGainText(o: Optimization): string {
    const { belowNoise } = splitByGain(o);
    return `${o.workflow}: ${baselineText(o)}; no change is predicted to save more than ${formatDuration(noiseMs(o))} (the noise of a prediction)`
        + (belowNoise.length > 0 ? `; ${belowNoise.length} change(s) below that are listed in the details` : '');
}

function section(lines: string[], r: Recommendation, n: number): void {
    lines.push(`### ${n}. ${r.kind}`, '', r.message, '', `- predicted: ${effectText(r)} → makespan ${formatDuration(r.predicted.makespanMs)}`,
        `- edit: ${describeChange(r.change)}`, ...(r.caution ? [`- caution: ${r.caution}`] : []), '');
}

/** The recommendations as markdown: the ones offered, then the ones below the noise. */
export function optimizationMarkdown(o: Optimization): string {
    const { offered, belowNoise } = splitByGain(o);
    const lines = [`# Optimize: ${o.workflow}`, '', `Baseline: ${baselineText(o)}.`, '',
        `Offered: changes predicted to save more than ${formatDuration(noiseMs(o))} `
        + `(${Math.round(NOISE_SHARE * 100)}% of the predicted makespan, at least ${NOISE_FLOOR_MS} ms: less is within a prediction's noise).`, '',
        '## Predicted to save time', ''];
    if (offered.length === 0) {
        lines.push('None: no change is predicted to save more than the noise.', '');
    }
    offered.forEach((r, i) => section(lines, r, i + 1));
    if (belowNoise.length > 0) {
        lines.push('## Below the noise (not offered)', '', 'Tidy-ups or gains too small to tell from noise; apply them by hand if you want them.', '');
        belowNoise.forEach((r, i) => section(lines, r, i + 1));
    }
    return lines.join('\n');
}

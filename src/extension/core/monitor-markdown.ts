/**
 * `KM Flow: Show Metrics` as markdown: the engine's monitor report over the
 * workspace's measured history (`.kmflow/metrics`): health score and its terms,
 * per-tool calls, errors and p50/p95, per-workflow run times, and the bottlenecks.
 */
import { BUILTIN_DESCRIPTORS } from '../../engine/builtins/index.js';
import type { History } from '../../engine/history/types.js';
import { monitorReport, type MonitorReport } from '../../engine/monitor.js';
import { formatDuration } from './format.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The monitor report of a history, with the built-in tools' declared response times as the latency yardstick. */
export function monitorOf(history: History): MonitorReport {
    const declared = new Map(BUILTIN_DESCRIPTORS.map((d) => [d.id, d.performance.responseTimeMs]));
    return monitorReport(history, { declaredMs: (tool) => declared.get(tool) });
}

/** The report as markdown; `where` names the history folder for the empty case. */
export function monitorMarkdown(m: MonitorReport, where: string): string {
    if (m.runs === 0) {
        return ['# KM Flow metrics', '', `No runs recorded yet in \`${where}\`: run a workflow and its measurements land here.`, ''].join('\n');
    }
    const lines = [
        '# KM Flow metrics',
        '',
        `Health score **${m.healthScore}/100** over ${m.runs} run(s): success ${pct(m.health.successRate)}, `
        + `latency score ${m.health.latencyScore}, timeouts ${pct(m.health.timeoutRate)}.`,
        '',
        `Formula: ${m.health.formula}.`,
        '',
        '## Tools',
        '',
        '| tool | calls | errors | timeouts | p50 | p95 | success |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...m.tools.map((t) => `| ${t.tool} | ${t.calls} | ${t.errors} | ${t.timeouts} | ${formatDuration(t.p50Ms)} | ${formatDuration(t.p95Ms)} | ${pct(t.successRate)} |`),
        '',
        '## Workflows',
        '',
        '| workflow | runs | succeeded | p50 | p95 | last run |',
        '|---|---:|---:|---:|---:|---|',
        ...m.workflows.map((w) => `| ${w.workflow} | ${w.runs} | ${w.succeeded} | ${formatDuration(w.p50Ms)} | ${formatDuration(w.p95Ms)} | ${w.lastSeen} |`),
        '',
        '## Bottlenecks',
        '',
    ];
    if (m.bottlenecks.length === 0) {
        lines.push('None found.', '');
    } else {
        lines.push(...m.bottlenecks.map((b) => `- **${b.kind}**: ${b.message} (about ${formatDuration(b.impactMs)} a run)`), '');
    }
    return lines.join('\n');
}

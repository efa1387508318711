/**
 * `KM Flow: Show Metrics` as markdown: the monitor report (the application layer's `monitorOf`) over the
 * workspace's measured history (`.kmflow/metrics`): health score and its terms (the
 * success rate is succeeded runs / finished runs; retries are shown apart), per-tool
 * calls, errors and p50/p95, per-workflow run times with local times, and the bottlenecks.
 */
import type { MonitorReport } from '../../engine/insight/index.js';
import { formatDuration } from '../../shared/duration-format.js';
import { localTime } from '../../shared/local-time.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

const OUTCOMES: Array<[string, string]> = [['failed', 'failed'], ['partial', 'partly failed'], ['rolled_back', 'rolled back'], ['cancelled', 'cancelled']];

/** `2 of 4 runs succeeded (success 50%); 1 failed, 1 cancelled; 3 retried attempt(s), not counted as failures`. */
export function outcomeText(m: MonitorReport): string {
    const ok = m.outcomes.succeeded ?? 0;
    const others = [...OUTCOMES.map(([k, word]) => [m.outcomes[k] ?? 0, word] as const),
        ...Object.entries(m.outcomes).filter(([k]) => k !== 'succeeded' && !OUTCOMES.some(([o]) => o === k)).map(([k, n]) => [n, k] as const)]
        .filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
    return `${ok} of ${m.runs} run${m.runs === 1 ? '' : 's'} succeeded (success ${pct(m.health.successRate)})`
        + (others.length > 0 ? `; ${others.join(', ')}` : '')
        + (m.retries > 0 ? `; ${m.retries} retried attempt${m.retries === 1 ? '' : 's'}, not counted as failures` : '');
}

/** The report as markdown; `where` names the history folder for the empty case. */
export function monitorMarkdown(m: MonitorReport, where: string): string {
    if (m.runs === 0) {
        return ['# KM Flow metrics', '', `No runs recorded yet in \`${where}\`: run a workflow and its measurements land here.`, ''].join('\n');
    }
    const lines = [
        '# KM Flow metrics',
        '',
        `Health score **${m.healthScore}/100**: ${outcomeText(m)}. Latency score ${m.health.latencyScore}, timeouts ${pct(m.health.timeoutRate)}.`,
        '',
        `Formula: ${m.health.formula}.`,
        '',
        '## Tools',
        '',
        'Every attempt is a call: a retried attempt counts among a tool\'s failed calls here, not among the failed runs above.',
        '',
        '| tool | calls | failed calls | timeouts | p50 | p95 | calls succeeded |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...m.tools.map((t) => `| ${t.tool} | ${t.calls} | ${t.errors} | ${t.timeouts} | ${formatDuration(t.p50Ms)} | ${formatDuration(t.p95Ms)} | ${pct(t.successRate)} |`),
        '',
        '## Workflows',
        '',
        '| workflow | runs | succeeded | success | p50 | p95 | last run (local time) |',
        '|---|---:|---:|---:|---:|---:|---|',
        ...m.workflows.map((w) => `| ${w.workflow} | ${w.runs} | ${w.succeeded} | ${pct(w.runs > 0 ? w.succeeded / w.runs : 1)} `
            + `| ${formatDuration(w.p50Ms)} | ${formatDuration(w.p95Ms)} | ${localTime(w.lastSeen)} |`),
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

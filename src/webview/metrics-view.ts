/** The run's metrics: status, health score, throughput, per-tool p50/p95, bottlenecks. */
import { formatDuration } from '../shared/duration-format.js';
import type { RunReport } from '../shared/messages.js';
import { html } from './svg.js';

function cell(row: HTMLTableRowElement, text: string, header = false): void {
    row.append(html(header ? 'th' : 'td', undefined, text));
}

/** Draws the report's metrics into `host` (a hint when there is no report yet). */
export function renderMetrics(host: HTMLElement, report: RunReport | undefined): void {
    host.replaceChildren(html('h2', undefined, 'Metrics'));
    if (!report) {
        host.append(html('p', 'empty', 'Metrics appear when a run finishes.'));
        return;
    }
    const m = report.metrics;
    const summary = html('div', 'summary');
    const kv: Array<[string, string, string?]> = [
        ['Status', report.status, `run-status status-${report.status}`],
        ['Health score', String(m.healthScore), 'health'],
        ['Duration', formatDuration(report.durationMs)],
        ['Critical path', formatDuration(report.criticalPathMs)],
        ['Steps / s', m.stepsPerSecond.toFixed(2)],
        ['Utilization', `${Math.round(m.utilization * 100)} %`],
        ['Max concurrency', String(m.maxConcurrency)],
    ];
    for (const [k, v, cls] of kv) {
        const item = html('div', `metric ${cls ?? ''}`.trim());
        item.append(html('span', 'metric-name', k), html('span', 'metric-value', v));
        summary.append(item);
    }
    host.append(summary);

    const table = html('table', 'tools');
    const head = table.createTHead().insertRow();
    ['Tool', 'Calls', 'Errors', 'p50', 'p95'].forEach((h) => cell(head, h, true));
    const body = table.createTBody();
    for (const [tool, t] of Object.entries(m.tools).sort(([a], [b]) => a.localeCompare(b))) {
        const row = body.insertRow();
        row.dataset.tool = tool;
        [tool, String(t.calls), String(t.errors), formatDuration(t.p50Ms), formatDuration(t.p95Ms)].forEach((v) => cell(row, v));
    }
    host.append(table);

    host.append(html('h3', undefined, 'Bottlenecks'));
    if (report.bottlenecks.length === 0) {
        host.append(html('p', 'empty', 'None found.'));
    } else {
        const list = html('ul', 'bottlenecks');
        for (const b of report.bottlenecks) {
            list.append(html('li', `bottleneck kind-${b.kind}`, `${b.message} (~${formatDuration(b.impactMs)})`));
        }
        host.append(list);
    }
}

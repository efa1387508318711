/**
 * `kmflow monitor [--json]`: per-tool calls, errors, latency and success rate, the
 * health score and the bottlenecks, from the history under `ROOT/.kmflow/metrics`.
 */
import { historyFile } from '../../engine/state/index.js';
import type { MonitorReport } from '../../engine/insight/index.js';
import { monitorOf } from '../../app/index.js';
import { cliWorkspace } from '../load-one.js';
import { formatDuration } from '../../shared/duration-format.js';
import type { CommandContext } from '../command-context.js';

export async function monitorCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length > 0) {
        ctx.fail('monitor takes no FILE: it reads ROOT/.kmflow/metrics (choose the root with --root DIR)');
        return 2;
    }
    const report = await monitorOf(cliWorkspace(ctx));
    if (ctx.json) {
        ctx.out(JSON.stringify(report, null, 2));
    } else if (report.runs === 0) {
        ctx.out(`no runs recorded yet (${historyFile(ctx.root)})`);
    } else {
        ctx.out(formatMonitor(report));
    }
    return 0;
}

function formatMonitor(m: MonitorReport): string {
    const lines = [
        `health ${m.healthScore}/100 over ${m.runs} run(s): ${m.outcomes.succeeded ?? 0} succeeded (success ${pct(m.health.successRate)}), `
        + `${m.retries} retried attempt(s), latency score ${m.health.latencyScore}, timeouts ${pct(m.health.timeoutRate)}`,
        '',
        `${'tool'.padEnd(28)} ${'calls'.padStart(6)} ${'errors'.padStart(6)} ${'t/o'.padStart(4)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'success'.padStart(8)}`,
    ];
    for (const t of m.tools) {
        lines.push(`${t.tool.padEnd(28)} ${String(t.calls).padStart(6)} ${String(t.errors).padStart(6)} ${String(t.timeouts).padStart(4)} ` +
            `${formatDuration(t.p50Ms).padStart(8)} ${formatDuration(t.p95Ms).padStart(8)} ${pct(t.successRate).padStart(8)}`);
    }
    if (m.workflows.length > 0) {
        lines.push('', 'workflows:');
        for (const w of m.workflows) {
            lines.push(`  ${w.workflow}: ${w.runs} run(s), ${w.succeeded} succeeded, p50 ${formatDuration(w.p50Ms)}, p95 ${formatDuration(w.p95Ms)}`);
        }
    }
    if (m.bottlenecks.length > 0) {
        lines.push('', 'bottlenecks:');
        for (const b of m.bottlenecks) {
            lines.push(`  ${b.kind}: ${b.message}`);
        }
    }
    return lines.join('\n');
}

function pct(x: number): string {
    return `${Math.round(x * 1000) / 10}%`;
}

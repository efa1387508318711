/**
 * From a run report to history records: one `run`, one `step` per step that made a
 * call, one `tool` per tool the run called. Only measured figures; nothing estimated:
 * the critical path is the one the report measured.
 */
import type { RunReport } from '../../run/run-types.js';
import type { HistoryRecord, StepRecord } from './types.js';

/** The records of one finished run. */
export function recordsOf(report: RunReport): HistoryRecord[] {
    const at = report.endedAt;
    const base = { runId: report.runId, workflow: report.workflow, at };
    const critical = report.criticalPath ?? [];
    const onPath = new Set(critical);
    const waits = new Map<string, number>();
    for (const b of report.bottlenecks) {
        if (b.kind === 'queue-wait' && b.step !== undefined && typeof b.evidence.waitedMs === 'number') {
            waits.set(b.step, b.evidence.waitedMs);
        }
    }
    const out: HistoryRecord[] = [{
        type: 'run', v: 1, ...base, status: report.status, durationMs: report.durationMs,
        criticalPathMs: report.criticalPathMs, criticalPath: critical, maxConcurrency: report.metrics.maxConcurrency,
        utilization: report.metrics.utilization, healthScore: report.metrics.healthScore,
    }];
    for (const s of report.steps) {
        // A step that never called its tool (skipped, cancelled before start) measured nothing.
        if (s.attempts === 0 && !s.cached) {
            continue;
        }
        // `base`'s members written out, not spread: a spread costs a step more than the rest of the literal.
        const record: StepRecord = {
            type: 'step', runId: base.runId, workflow: base.workflow, at, step: s.id, tool: s.tool, status: s.status, attempts: s.attempts,
            durationMs: s.durationMs,
            call: s.attempts === 1 && s.items === undefined && !s.cached && (s.status === 'succeeded' || s.status === 'failed'),
            cached: s.cached, timeout: s.error?.code === 'timeout', onCriticalPath: onPath.has(s.id),
        };
        if (s.items !== undefined) {
            record.items = s.items;
        }
        if (s.error) {
            record.errorCode = s.error.code;
        }
        const wait = waits.get(s.id);
        if (wait !== undefined) {
            record.queueWaitMs = wait;
        }
        out.push(record);
    }
    for (const [tool, m] of Object.entries(report.metrics.tools)) {
        out.push({ type: 'tool', ...base, tool, calls: m.calls, errors: m.errors, p50Ms: m.p50Ms, p95Ms: m.p95Ms });
    }
    return out;
}

/**
 * The in-memory summary of the history: per tool, per workflow step and per workflow,
 * with exact nearest-rank percentiles over the retained samples.
 */
import { percentile, percentiles } from '../../../shared/stats.js';
import { DEFAULT_MAX_SAMPLES, readRecords, retain, type HistoryOptions } from './store.js';
import type { History, HistoryRecord, RunRecord, StepHistory, StepRecord, ToolHistory, ToolRecord, WorkflowHistory } from './types.js';

/** Loads and summarises `ROOT/.kmflow/metrics/history.jsonl` (empty history if none). */
export async function loadHistory(root: string, options: HistoryOptions = {}): Promise<History> {
    return summarizeHistory(await readRecords(root), options.maxSamples);
}

function later(a: string, b: string): string {
    return a > b ? a : b;
}

/** Summarises records (oldest first), after the same retention as compaction. */
export function summarizeHistory(all: readonly HistoryRecord[], maxSamples = DEFAULT_MAX_SAMPLES): History {
    const records = retain(all, maxSamples);
    const runs: RunRecord[] = [];
    const stepsOf = new Map<string, StepRecord[]>();
    const callsOf = new Map<string, StepRecord[]>();
    const toolRuns = new Map<string, ToolRecord[]>();
    for (const r of records) {
        if (r.type === 'run') {
            runs.push(r);
        } else if (r.type === 'step') {
            push(stepsOf, `${r.workflow}/${r.step}`, r);
            push(callsOf, r.tool, r);
        } else {
            push(toolRuns, r.tool, r);
        }
    }
    const tools: Record<string, ToolHistory> = {};
    for (const [tool, perRun] of toolRuns) {
        tools[tool] = toolHistory(tool, perRun, callsOf.get(tool) ?? []);
    }
    const runDuration = new Map(runs.map((r) => [r.runId, r.durationMs]));
    const steps: Record<string, StepHistory> = {};
    for (const [key, list] of stepsOf) {
        steps[key] = stepHistory(list, runDuration);
    }
    const workflows: Record<string, WorkflowHistory> = {};
    const byWorkflow = new Map<string, RunRecord[]>();
    for (const r of runs) {
        push(byWorkflow, r.workflow, r);
    }
    for (const [workflow, list] of byWorkflow) {
        const d = list.map((r) => r.durationMs);
        workflows[workflow] = {
            workflow, runs: list.length, succeeded: list.filter((r) => r.status === 'succeeded').length,
            ...p50p95(d),
            lastSeen: list.reduce((a, r) => later(a, r.at), ''),
        };
    }
    return { tools, steps, workflows, runs };
}

/** Rounds to the microsecond, as the run report does. */
function roundMs(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

/** The nearest-rank p50 and p95 of durations, rounded. */
function p50p95(durations: readonly number[]): { p50Ms: number; p95Ms: number } {
    const [p50, p95] = percentiles(durations, [0.5, 0.95]);
    return { p50Ms: roundMs(p50!), p95Ms: roundMs(p95!) };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

function toolHistory(tool: string, perRun: ToolRecord[], steps: StepRecord[]): ToolHistory {
    const calls = perRun.reduce((n, r) => n + r.calls, 0);
    const errors = perRun.reduce((n, r) => n + r.errors, 0);
    const exact = steps.filter((s) => s.call).map((s) => s.durationMs);
    // Exact call durations when there are any; else the runs' own per-call percentiles.
    const source = exact.length > 0 ? 'calls' : 'runs';
    const latency = source === 'calls'
        ? p50p95(exact)
        : { p50Ms: roundMs(percentile(perRun.map((r) => r.p50Ms), 0.5)), p95Ms: roundMs(percentile(perRun.map((r) => r.p95Ms), 0.95)) };
    return {
        tool, calls, errors,
        timeouts: steps.filter((s) => s.timeout).length,
        ...latency,
        successRate: calls > 0 ? roundMs((calls - errors) / calls) : 1,
        lastSeen: [...perRun, ...steps].reduce((a, r) => later(a, r.at), ''),
        runs: new Set(perRun.map((r) => r.runId)).size,
        latencySource: source,
        samples: source === 'calls' ? exact.length : perRun.length,
    };
}

function stepHistory(list: StepRecord[], runDuration: ReadonlyMap<string, number>): StepHistory {
    const last = list[list.length - 1]!;
    const ran = list.filter((s) => !s.cached);
    const d = ran.map((s) => s.durationMs);
    let onPathMs = 0;
    let totalMs = 0;
    for (const s of list) {
        const run = runDuration.get(s.runId);
        if (run !== undefined) {
            totalMs += run;
            onPathMs += s.onCriticalPath ? s.durationMs : 0;
        }
    }
    const waits = list.map((s) => s.queueWaitMs).filter((w): w is number => w !== undefined);
    const out: StepHistory = {
        workflow: last.workflow, step: last.step, tool: last.tool, runs: ran.length,
        ...p50p95(d),
        failures: list.filter((s) => s.status === 'failed').length,
        retries: list.reduce((n, s) => n + Math.max(0, s.attempts - (s.items ?? 1)), 0),
        timeouts: list.filter((s) => s.timeout).length,
        criticalRuns: list.filter((s) => s.onCriticalPath).length,
        criticalShare: totalMs > 0 ? roundMs(onPathMs / totalMs) : 0,
    };
    if (last.items !== undefined) {
        out.items = last.items;
    }
    if (waits.length > 0) {
        out.maxQueueWaitMs = Math.max(...waits);
    }
    return out;
}

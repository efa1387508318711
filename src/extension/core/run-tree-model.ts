/**
 * What the `KM Flow Runs` tree shows, computed from stored reports without `vscode`:
 * one item per run (newest first) and one per step, with icon, colour, description and
 * tooltip. The tree provider only maps these to TreeItems.
 */
import type { StepReport } from '../../engine/run-types.js';
import { formatDuration, statusColor, statusIcon } from './format.js';
import type { StoredRun } from './run-store.js';

/** A row of the tree. */
export interface RunTreeRow {
    kind: 'run' | 'step';
    /** Stable id: the run id, or `RUN_ID/STEP_ID`. */
    id: string;
    runId: string;
    stepId?: string;
    label: string;
    description: string;
    tooltip: string;
    /** Codicon id. */
    icon: string;
    /** Theme colour id of the icon. */
    color?: string;
    /**
     * For `when` clauses of menus: `run` (succeeded), `run-resumable` (did not succeed),
     * `run-active`; `step`, `step-output` (has an output to open).
     */
    contextValue: string;
}

function clock(iso: string | null): string {
    if (!iso) {
        return '';
    }
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${d.toLocaleDateString()} ${d.toLocaleTimeString()}`;
}

/** The row of a run (`active`: still running, with a spinning icon). */
export function runRow(run: StoredRun, active = false): RunTreeRow {
    const done = run.steps.filter((s) => s.status === 'succeeded').length;
    const status = active ? 'running' : run.status;
    return {
        kind: 'run',
        id: run.runId,
        runId: run.runId,
        label: `${run.workflow}${run.source?.toStep ? ` → ${run.source.toStep}` : ''}`,
        description: (active
            ? `running · ${clock(run.startedAt)}`
            : `${run.status} · ${formatDuration(run.durationMs)} · ${done}/${run.steps.length} steps · ${clock(run.startedAt)}`)
            + (run.resumedFrom ? ' · resumed' : ''),
        tooltip: [
            `Run ${run.runId}`,
            run.source ? `File: ${run.source.file}` : undefined,
            `Status: ${active ? 'running' : run.status}`,
            `Started: ${run.startedAt}`,
            active ? undefined : `Duration: ${formatDuration(run.durationMs)} (critical path ${formatDuration(run.criticalPathMs)})`,
            active ? undefined : `Health score: ${run.metrics?.healthScore ?? '—'}`,
            run.resumedFrom ? `Resumed from: ${run.resumedFrom}` : undefined,
        ].filter((l) => l !== undefined).join('\n'),
        icon: statusIcon(status),
        color: statusColor(status),
        contextValue: active ? 'run-active' : run.status === 'succeeded' ? 'run' : 'run-resumable',
    };
}

/** The row of one step of a run. */
export function stepRow(run: StoredRun, step: StepReport): RunTreeRow {
    const attempts = step.attempts === 1 ? '1 attempt' : `${step.attempts} attempts`;
    const parts = step.resumed ? [step.status, 'resumed'] : [step.status, formatDuration(step.durationMs), attempts];
    if (step.cached) {
        parts.push('cached');
    }
    if (step.items !== undefined) {
        parts.push(`${step.items} items`);
    }
    return {
        kind: 'step',
        id: `${run.runId}/${step.id}`,
        runId: run.runId,
        stepId: step.id,
        label: step.id,
        description: parts.join(' · '),
        tooltip: [
            `${step.id} uses ${step.tool}`,
            `Status: ${step.status}`,
            step.resumed ? `Restored from the journal of ${run.resumedFrom ?? 'the resumed run'}, not run again` : undefined,
            `Attempts: ${step.attempts}`,
            `Duration: ${formatDuration(step.durationMs)}`,
            step.error ? `Error (${step.error.code}): ${step.error.message}` : undefined,
            step.error?.advice ? `Advice: ${step.error.advice}` : undefined,
        ].filter((l) => l !== undefined).join('\n'),
        icon: statusIcon(step.status),
        color: statusColor(step.status),
        contextValue: step.output !== undefined && step.output !== null ? 'step-output' : 'step',
    };
}

/** Rows of the tree's top level, newest first; `active` run ids show as running. */
export function runRows(runs: readonly StoredRun[], active: ReadonlySet<string> = new Set()): RunTreeRow[] {
    return runs.map((r) => runRow(r, active.has(r.runId)));
}

/** The step rows of a run, in the workflow's step order. */
export function stepRows(run: StoredRun): RunTreeRow[] {
    return run.steps.map((s) => stepRow(run, s));
}

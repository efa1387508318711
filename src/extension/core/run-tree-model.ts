/**
 * What the runs tree shows, computed from stored reports without `vscode`: runs grouped
 * by workflow (the group with the newest run first), each group's runs newest first,
 * labelled by how long ago they started (the absolute local time in the tooltip); under
 * a run its steps, under a step its output and error (`step-tree-model.ts`). The tree
 * provider only maps these rows to TreeItems.
 */
import { formatDuration, localTime, relativeTime, statusColor, statusIcon } from './format.js';
import type { StoredRun } from './run-store.js';

/** A row of the tree. */
export interface RunTreeRow {
    kind: 'workflow' | 'run' | 'step' | 'detail';
    /** Stable id: `workflow:KEY`, the run id, `RUN_ID/STEP_ID`, or `RUN_ID/STEP_ID#output|error|advice`. */
    id: string;
    /** The run (for a workflow group: its newest run). */
    runId: string;
    stepId?: string;
    /** A workflow group's key (`groupKey`). */
    group?: string;
    label: string;
    description: string;
    tooltip: string;
    /** Codicon id. */
    icon: string;
    /** Theme colour id of the icon. */
    color?: string;
    /**
     * For `when` clauses of menus: `workflow`; `run` (succeeded), `run-resumable` (did
     * not succeed), `run-active`; `step`, `step-output` (has an output or an error to
     * open), `step-live`; `detail`.
     */
    contextValue: string;
    /** Whether the row has children. */
    expandable: boolean;
}

/** What the rows depend on besides the runs: live ones, the clock, a filter. */
export interface TreeView {
    active?: ReadonlySet<string>;
    now?: number;
    /** Only runs whose workflow, status, file or run id contains this (case-insensitive). */
    filter?: string;
}

/** The group a run belongs to: its workflow, in its file. */
export function groupKey(run: StoredRun): string {
    return `${run.source?.file ?? ''}#${run.workflow}`;
}

/** Whether a run passes the filter. */
export function matchesFilter(run: StoredRun, filter: string | undefined, active = false): boolean {
    const f = filter?.trim().toLowerCase();
    if (!f) {
        return true;
    }
    const status = active ? 'running' : run.status;
    return [run.workflow, status, run.source?.file ?? '', run.runId].some((s) => s.toLowerCase().includes(f));
}

function shown(runs: readonly StoredRun[], view: TreeView): StoredRun[] {
    return runs.filter((r) => matchesFilter(r, view.filter, view.active?.has(r.runId)));
}

function steps(run: StoredRun): string {
    const done = run.steps.filter((s) => s.status === 'succeeded').length;
    return `${done}/${run.steps.length} steps`;
}

/** The row of a run (`active`: still running, with a spinning icon). */
export function runRow(run: StoredRun, view: TreeView = {}): RunTreeRow {
    const active = view.active?.has(run.runId) ?? false;
    const status = active ? 'running' : run.status;
    const health = run.metrics?.healthScore;
    return {
        kind: 'run',
        id: run.runId,
        runId: run.runId,
        group: groupKey(run),
        label: relativeTime(run.startedAt, view.now),
        description: [
            status,
            active ? undefined : formatDuration(run.durationMs),
            active ? undefined : steps(run),
            run.source?.toStep ? `to ${run.source.toStep}` : undefined,
            run.resumedFrom ? 'resumed' : undefined,
        ].filter((p) => p !== undefined).join(' · '),
        tooltip: [
            `${run.workflow}${run.source?.toStep ? ` up to ${run.source.toStep}` : ''}: ${status}`,
            `Started: ${localTime(run.startedAt)} (local time)`,
            active ? undefined : `Ended: ${localTime(run.endedAt)} · ${formatDuration(run.durationMs)} (critical path ${formatDuration(run.criticalPathMs)})`,
            active ? undefined : `Steps: ${steps(run)} succeeded`,
            // Reports of older versions scored a run that did not succeed as healthy: not shown then.
            active || health === undefined || (run.status !== 'succeeded' && health >= 100) ? undefined : `Health score: ${health}/100`,
            run.source ? `File: ${run.source.file}` : undefined,
            run.resumedFrom ? `Resumed from: ${run.resumedFrom}` : undefined,
            `Run ${run.runId}`,
        ].filter((l) => l !== undefined).join('\n'),
        icon: statusIcon(status),
        color: statusColor(status),
        contextValue: active ? 'run-active' : run.status === 'succeeded' ? 'run' : 'run-resumable',
        expandable: run.steps.length > 0,
    };
}

/** A workflow group's row: its newest run's status and how long ago it ran. */
function groupRow(key: string, runs: readonly StoredRun[], view: TreeView, ambiguous: boolean): RunTreeRow {
    const newest = runs[0]!;
    const running = runs.filter((r) => view.active?.has(r.runId)).length;
    const status = running > 0 ? 'running' : newest.status;
    const file = newest.source?.file;
    return {
        kind: 'workflow',
        id: `workflow:${key}`,
        runId: newest.runId,
        group: key,
        label: newest.workflow,
        description: [
            ambiguous && file ? file : undefined,
            running > 0 ? `${running} running` : `${newest.status} ${relativeTime(newest.startedAt, view.now)}`,
            `${runs.length} run${runs.length === 1 ? '' : 's'}`,
        ].filter((p) => p !== undefined).join(' · '),
        tooltip: [
            `Workflow ${newest.workflow}${file ? ` in ${file}` : ''}`,
            `${runs.length} run(s) shown; the newest ${running > 0 ? 'is running' : `${newest.status}`}, started ${localTime(newest.startedAt)} (local time)`,
        ].join('\n'),
        icon: statusIcon(status),
        color: statusColor(status),
        contextValue: 'workflow',
        expandable: true,
    };
}

/** The top level: one row per workflow (of a file), the one with the newest run first. */
export function groupRows(runs: readonly StoredRun[], view: TreeView = {}): RunTreeRow[] {
    const groups = new Map<string, StoredRun[]>();
    for (const run of shown(runs, view)) {
        const key = groupKey(run);
        groups.set(key, [...groups.get(key) ?? [], run]);
    }
    const names = new Map<string, number>();
    for (const list of groups.values()) {
        names.set(list[0]!.workflow, (names.get(list[0]!.workflow) ?? 0) + 1);
    }
    return [...groups.entries()]
        .map(([key, list]) => ({ key, list: [...list].sort(newestStart) }))
        .sort((a, b) => newestStart(a.list[0]!, b.list[0]!))
        .map(({ key, list }) => groupRow(key, list, view, (names.get(list[0]!.workflow) ?? 0) > 1));
}

/** The runs of a group (or all of them), newest first, filtered. */
export function runRows(runs: readonly StoredRun[], view: TreeView = {}, group?: string): RunTreeRow[] {
    return shown(runs, view)
        .filter((r) => group === undefined || groupKey(r) === group)
        .sort(newestStart)
        .map((r) => runRow(r, view));
}

function newestStart(a: StoredRun, b: StoredRun): number {
    return b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId);
}

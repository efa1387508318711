/**
 * The runs tree below a run: one row per step, with its live state while the run goes
 * (queued, running, retrying, paused in a debug run) and its final status after (succeeded, failed, skipped,
 * cancelled...); under a finished step its output, its error and the tool's advice.
 * Without `vscode`.
 */
import type { StepReport } from '../../shared/run-report.js';
import { formatDuration, localTime, statusColor, statusIcon, type DisplayStatus } from './format.js';
import type { LiveStep } from './run-history.js';
import type { StoredRun } from './run-store.js';
import type { RunTreeRow } from './run-tree-model.js';

const clip = (text: string, max = 120): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Whether a step has something to open: an output or an error. */
export function hasDetails(step: StepReport): boolean {
    return (step.output !== undefined && step.output !== null) || step.error !== undefined;
}

function attemptsText(n: number): string {
    return n === 1 ? '1 attempt' : `${n} attempts`;
}

/** The row of one step; `live` is its state while its run goes (undefined once it finished). */
export function stepRow(run: StoredRun, step: StepReport, live?: LiveStep, runActive = false): RunTreeRow {
    const base = { kind: 'step' as const, id: `${run.runId}/${step.id}`, runId: run.runId, stepId: step.id, label: step.id };
    if (live || (runActive && !step.resumed && step.attempts === 0 && step.endedAt === null)) {
        const state: DisplayStatus = live?.state ?? 'queued';
        const retry = live?.state === 'retrying' && live.attempt !== undefined ? `attempt ${live.attempt}` : undefined;
        return {
            ...base,
            description: [state, retry, live?.error ? clip(`${live.error.code}: ${live.error.message}`, 60) : undefined].filter(Boolean).join(' · '),
            tooltip: [
                `${step.id} uses ${step.tool}`,
                `Status: ${state}${state === 'queued' ? ' (waiting for its dependencies or a free slot)' : state === 'paused' ? ' (the debugger stopped before it)' : ''}`,
                live?.startedAt ? `Started: ${localTime(live.startedAt)}` : undefined,
                retry ? `Next: ${retry}` : undefined,
                live?.error ? `Last error (${live.error.code}): ${live.error.message}` : undefined,
                live?.error?.advice ? `Advice: ${live.error.advice}` : undefined,
            ].filter((l) => l !== undefined).join('\n'),
            icon: statusIcon(state),
            color: statusColor(state),
            contextValue: 'step-live',
            expandable: false,
        };
    }
    const parts = step.resumed ? [step.status, 'resumed'] : [step.status, formatDuration(step.durationMs), attemptsText(step.attempts)];
    if (step.cached) {
        parts.push('cached');
    }
    if (step.items !== undefined) {
        parts.push(`${step.items} items`);
    }
    if (step.error && step.status === 'failed') {
        parts.push(clip(step.error.code, 40));
    }
    return {
        ...base,
        description: parts.join(' · '),
        tooltip: [
            `${step.id} uses ${step.tool}`,
            `Status: ${step.status}`,
            step.resumed ? `Restored from the journal of ${run.resumedFrom ?? 'the resumed run'}, not run again` : undefined,
            `Attempts: ${step.attempts}`,
            `Duration: ${formatDuration(step.durationMs)}`,
            step.startedAt ? `Started: ${localTime(step.startedAt)}` : undefined,
            step.error ? `Error (${step.error.code}): ${step.error.message}` : undefined,
            step.error?.advice ? `Advice: ${step.error.advice}` : undefined,
        ].filter((l) => l !== undefined).join('\n'),
        icon: statusIcon(step.status),
        color: statusColor(step.status),
        contextValue: hasDetails(step) ? 'step-output' : 'step',
        expandable: hasDetails(step),
    };
}

/** The step rows of a run, in the workflow's step order; `live` gives an unfinished step's state. */
export function stepRows(run: StoredRun, live: (stepId: string) => LiveStep | undefined = () => undefined, runActive = false): RunTreeRow[] {
    return run.steps.map((s) => stepRow(run, s, runActive ? live(s.id) : undefined, runActive));
}

function preview(value: unknown): string {
    let text: string;
    try {
        text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return clip(text.replace(/\s+/g, ' '), 80);
}

/** Under a finished step: its output, its error and the tool's advice, each opening the step's document. */
export function detailRows(run: StoredRun, step: StepReport): RunTreeRow[] {
    const rows: RunTreeRow[] = [];
    const base = { kind: 'detail' as const, runId: run.runId, stepId: step.id, contextValue: 'detail', expandable: false };
    if (step.output !== undefined && step.output !== null) {
        rows.push({ ...base, id: `${run.runId}/${step.id}#output`, label: 'output', description: preview(step.output),
            tooltip: `Output of ${step.id}: click to open it`, icon: 'output' });
    }
    if (step.error) {
        rows.push({ ...base, id: `${run.runId}/${step.id}#error`, label: `error: ${step.error.code}`, description: clip(step.error.message),
            tooltip: `${step.error.code}: ${step.error.message}${step.error.retryable ? ' (retryable)' : ''}`,
            icon: 'error', color: step.status === 'failed' ? 'testing.iconFailed' : 'disabledForeground' });
        if (step.error.advice) {
            rows.push({ ...base, id: `${run.runId}/${step.id}#advice`, label: 'advice', description: clip(step.error.advice),
                tooltip: step.error.advice, icon: 'lightbulb' });
        }
    }
    return rows;
}

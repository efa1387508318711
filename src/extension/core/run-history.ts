/**
 * The runs the extension knows: finished ones (from `.kmflow/runs`) and live ones,
 * whose steps are filled in from RunEvents as they come. One source for the tree, the
 * lenses and the status bar; `onChange` tells them to refresh. No `vscode` here.
 */
import type { RunEvent, RunReport, StepError, StepReport } from '../../shared/run-report.js';
import { newestFirst, type RunSource, type StoredRun } from './run-store.js';

/** Where a step of a live run is: waiting, running, between attempts, or a debug run stopped before it. */
export interface LiveStep {
    state: 'queued' | 'running' | 'retrying' | 'paused';
    /** `running`: when it started; `retrying`: the attempt that comes next (2 = the first retry). */
    startedAt?: string;
    attempt?: number;
    /** `retrying`: why the last attempt failed. */
    error?: StepError;
}

/** What a run's placeholder needs of its workflow: its id and steps (each with its tool, or the capability it chooses by). */
export interface RunShape {
    id: string;
    steps: ReadonlyArray<{ id: string; tool?: string; capability?: string }>;
}

/** The runs, newest first, and which are still going. */
export class RunHistory {
    private runs: StoredRun[] = [];
    private readonly active = new Set<string>();
    /** Per live run, the steps that have not finished yet. */
    private readonly live = new Map<string, Map<string, LiveStep>>();
    private readonly listeners = new Set<() => void>();

    /** Called after every change; returns an unsubscribe function. */
    onChange(listener: () => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Replaces the finished runs (reports read from disk); live runs stay. */
    load(stored: readonly StoredRun[]): void {
        const live = this.runs.filter((r) => this.active.has(r.runId));
        const liveIds = new Set(live.map((r) => r.runId));
        this.runs = [...live, ...stored.filter((r) => !liveIds.has(r.runId))].sort(newestFirst);
        this.changed();
    }

    all(): readonly StoredRun[] {
        return this.runs;
    }

    get(runId: string): StoredRun | undefined {
        return this.runs.find((r) => r.runId === runId);
    }

    isActive(runId: string): boolean {
        return this.active.has(runId);
    }

    activeIds(): ReadonlySet<string> {
        return this.active;
    }

    /** Where an unfinished step of a live run is; undefined once it finished (or the run is not live). */
    liveStep(runId: string, stepId: string): LiveStep | undefined {
        return this.live.get(runId)?.get(stepId);
    }

    /**
     * A run starts: a placeholder with every step pending (status `skipped`, 0 attempts,
     * live state `queued`), except the steps a resume restores (`resume`): succeeded and marked resumed.
     */
    begin(runId: string, workflow: RunShape, source: RunSource, startedAt = new Date().toISOString(),
        resume?: { from: string; restored: readonly string[] }): StoredRun {
        const restored = new Set(resume?.restored ?? []);
        const steps: StepReport[] = workflow.steps.map((s) => ({
            id: s.id, tool: s.tool ?? `capability ${s.capability ?? '?'}`, status: restored.has(s.id) ? 'succeeded' : 'skipped',
            attempts: 0, cached: false, startedAt: null, endedAt: null, durationMs: 0, output: null,
            ...(restored.has(s.id) && { resumed: true as const }),
        }));
        const run: StoredRun = {
            runId, workflow: workflow.id, status: 'partial', startedAt, endedAt: startedAt, durationMs: 0, criticalPathMs: 0,
            steps, metrics: { stepsPerSecond: 0, utilization: 0, maxConcurrency: 0, healthScore: 0, tools: {} }, bottlenecks: [], source,
            ...(resume && { resumedFrom: resume.from }),
        };
        this.active.add(runId);
        this.live.set(runId, new Map(workflow.steps.filter((s) => !restored.has(s.id)).map((s) => [s.id, { state: 'queued' }])));
        this.runs = [run, ...this.runs.filter((r) => r.runId !== runId)];
        this.changed();
        return run;
    }

    /** Applies a live event to its run's placeholder. */
    apply(event: RunEvent): void {
        const run = this.get(event.runId);
        if (!run || !this.active.has(event.runId)) {
            return;
        }
        if (event.type === 'step-started' || event.type === 'step-retrying' || event.type === 'step-finished') {
            const step = run.steps.find((s) => s.id === event.stepId);
            if (!step) {
                return;
            }
            const live = this.live.get(event.runId);
            if (event.type === 'step-started') {
                step.startedAt = new Date(event.at).toISOString();
                step.attempts = Math.max(step.attempts, 1);
                live?.set(step.id, { state: 'running', startedAt: step.startedAt });
            } else if (event.type === 'step-retrying') {
                step.attempts = Math.max(step.attempts, event.attempt + 1);
                live?.set(step.id, { state: 'retrying', startedAt: step.startedAt ?? undefined, attempt: event.attempt + 1, error: event.error });
            } else {
                live?.delete(step.id);
                step.status = event.status;
                step.durationMs = event.durationMs;
                step.attempts = event.attempts;
                step.error = event.error;
                step.endedAt = new Date(event.at).toISOString();
            }
            this.changed();
        } else if (event.type === 'run-finished') {
            this.finish(event.report, run.source);
        }
    }

    /** A debug run stopped before step `stepId` (until the step starts or ends). */
    pause(runId: string, stepId: string): void {
        const live = this.live.get(runId);
        if (live?.has(stepId)) {
            live.set(stepId, { state: 'paused' });
            this.changed();
        }
    }

    /** The run ended: its report replaces the placeholder. */
    finish(report: RunReport, source?: RunSource): StoredRun {
        const stored: StoredRun = { ...report, source: source ?? this.get(report.runId)?.source };
        this.active.delete(report.runId);
        this.live.delete(report.runId);
        this.runs = [stored, ...this.runs.filter((r) => r.runId !== report.runId)].sort(newestFirst);
        this.changed();
        return stored;
    }

    /** The run could not start or crashed: drop its placeholder. */
    abandon(runId: string): void {
        this.active.delete(runId);
        this.live.delete(runId);
        this.runs = this.runs.filter((r) => r.runId !== runId);
        this.changed();
    }

    /** The newest finished run of a workflow of a file (workspace-relative), if any. */
    latestFinished(file: string, workflow: string): StoredRun | undefined {
        return this.runs.find((r) => !this.active.has(r.runId) && r.workflow === workflow && r.source?.file === file);
    }

    private changed(): void {
        for (const listener of this.listeners) {
            listener();
        }
    }
}

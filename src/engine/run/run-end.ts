/**
 * How a run ends: skipping what depends on a step that did not succeed, stopping (a
 * failure under `fail_fast`, a cancellation, the workflow's timeout), skipping or
 * cancelling what is left after a stop, and completing (compensations if due, the report,
 * the journal's last word). `run.ts` extends it with the scheduling itself, the hot path.
 */
import type { CapacityMember } from './capacity.js';
import { compensate } from './compensation.js';
import { buildReport } from './report.js';
import { RunBase, type StopReason } from './run-base.js';
import type { StepState } from './run-state.js';
import type { RunReport, StepError } from './run-types.js';
import { stepError } from './step-error.js';
import { markStopped, stopTask } from './task-runner.js';
import { ToolError } from '../tools/tool-error.js';

export abstract class RunEnd extends RunBase implements CapacityMember {
    protected readonly onExternalAbort = (): void => {
        this.stop('cancelled', 'the run was cancelled');
        this.advance();
    };

    /** TaskHost: a debug run's gate said cancel. */
    cancelRun(message: string): void {
        this.stop('cancelled', message);
        this.advance();
    }

    /** Processes newly ready steps, starts what fits, and ends the run when all is done. */
    protected abstract advance(): void;
    abstract admit(max: number): number;

    /**
     * Skips everything that success-depends on a step that did not succeed (iteratively:
     * chains can be long); steps holding only a completion dependency on it are
     * released instead, as they would be by its success: they run on its failure.
     */
    protected skipDependants(failed: StepState): void {
        const error: StepError = { message: `skipped because step '${failed.spec.id}' did not succeed`, code: 'dependency-failed', retryable: false };
        const completion = this.plan.graph.completion;
        const { dependantStart: start, dependantList: list } = this;
        const remaining = this.remaining;
        const now = this.clock.now();
        const stack = [failed.index];
        while (stack.length > 0) {
            const from = stack.pop()!;
            for (let e = start[from]!; e < start[from + 1]!; e++) {
                const d = list[e]!;
                const dep = this.steps[d]!;
                if (dep.status !== 'pending') {
                    continue;
                }
                if (completion[d]?.has(from)) {
                    if (--remaining[d]! === 0) {
                        this.readyAt[d] = now;
                        this.activations.push(dep);
                    }
                    continue;
                }
                dep.status = 'skipped';
                dep.error = error;
                this.finished++;
                this.emitFinished(dep);
                stack.push(d);
            }
        }
    }

    /**
     * Stops the run: every running task ends now as cancelled (or failed, on a workflow
     * timeout) without waiting for its tool, whose signal is aborted so it stops too.
     */
    stop(reason: StopReason, message: string): void {
        if (this.stopping) {
            return;
        }
        this.stopping = reason;
        const error = new ToolError(reason === 'timeout' ? 'timeout' : 'cancelled', message, { retryable: reason === 'timeout' });
        this.stopError = error;
        const described = stepError(error, this.redactor);
        const now = this.clock.now();
        const ended = [...this.running];
        for (const task of ended) {
            markStopped(task, described, now);
        }
        this.runController.abort(error);
        for (const task of ended) {
            stopTask(this.clock, task, error);
        }
        // Reported from a microtask: stop() may be called in the middle of taskEnded().
        queueMicrotask(() => {
            for (const task of ended) {
                this.taskEnded(task);
            }
        });
    }

    /** After a stop: what never ran is skipped; what started and did not finish, cancelled. */
    protected skipRemaining(): void {
        const error = stepError(this.stopError!, this.redactor);
        for (const step of this.steps) {
            if (step.status === 'pending' || step.status === 'ready' || step.status === 'running') {
                step.error ??= error;
                this.finishStep(step, step.startedAt >= 0 ? (this.stopping === 'timeout' ? 'failed' : 'cancelled') : 'skipped');
            }
        }
    }

    /** After the last step: compensations if due, the report, the journal's last word. */
    protected async complete(): Promise<RunReport> {
        this.options.signal?.removeEventListener('abort', this.onExternalAbort);
        if (this.workflowTimer !== undefined) {
            this.clock.clearTimer(this.workflowTimer);
        }
        this.capacity.leave(this);
        let rollback: 'rolled_back' | 'failed' | undefined;
        let stopped = this.stopping;
        const compensations = this.plan.tools.compensations;
        if (this.completed && compensations && this.stopping !== 'cancelled' && (this.stopping === 'timeout' || this.steps.some((s) => s.status === 'failed'))) {
            const outcome = await compensate(this, this.completed, compensations, this.options.signal);
            if (outcome.cancelled) {
                stopped = 'cancelled';
            } else if (outcome.ran > 0) {
                rollback = outcome.failed > 0 ? 'failed' : 'rolled_back';
            }
        }
        this.cache?.flush();
        const endedAt = this.clock.now();
        const report = buildReport({
            runId: this.runId,
            workflow: this.workflow,
            graph: this.plan.graph,
            order: this.order,
            steps: this.steps,
            startedAt: this.startedAt,
            endedAt,
            stopped,
            maxConcurrency: this.maxConcurrency,
            busyMs: this.busyMs,
            readyAt: this.readyAt,
            redactor: this.redactor,
            rollback,
            concurrencyLimit: this.adaptive?.course,
            resumedFrom: this.plan.resume?.runId,
        });
        this.journal?.runFinished(report);
        this.emit({ type: 'run-finished', runId: this.runId, at: endedAt, status: report.status, durationMs: report.durationMs, report });
        return report;
    }
}

/**
 * A run followed live, whoever started it (the Run command, the `kmflow` debugger): its
 * placeholder in the runs view filled in from its `kmflow/runEvent`s, the graph panel,
 * the status bar and the output channel; a debug stop shows its step paused. At its end
 * the report replaces the placeholder (with the measured critical path on the graph and
 * the failure notice a run gets), or the placeholder goes when it could not run.
 */
import type { Prepared, RunDone } from '../shared/lsp-protocol.js';
import { isRefusal } from '../shared/lsp-protocol.js';
import type { DebugRunFollower } from './core/debug-run-follower.js';
import { logLine } from './core/run-log.js';
import type { RunSource } from './core/run-store.js';
import { GraphPanel } from './graph-panel.js';
import { notify, showRunFailure } from './run-notices.js';
import type { RunControllerDeps } from './run-controller.js';

/** A run followed live: its events and debug stops, then its end (`result` undefined: the request failed). */
export interface LiveRun extends DebugRunFollower {
    /** Hears each step's progress (the Run command's progress notification). */
    progress?(message: string, increment?: number): void;
}

export interface FollowOptions {
    /** Appended to the run's first line in the output (`up to STEP`, `resuming …`, `debugging`). */
    note: string;
    /** A resume: the run it resumes and the steps its journal restored. */
    resume?: { from: string; restored: string[] };
    /** Called once, when the run ends. */
    onEnd(): void;
}

/** Starts showing run `runId` of `prepared` live; the returned listener hears it until `end`. */
export function followRun(deps: RunControllerDeps, runId: string, prepared: Prepared, source: RunSource, options: FollowOptions): LiveRun {
    const { history, output, statusBar } = deps;
    const panel = GraphPanel.createOrShow(deps.extensionUri, deps.onReveal);
    panel.post(prepared.graph);
    history.begin(runId, { id: prepared.workflow, steps: prepared.steps }, source, undefined, options.resume);
    output.appendLine(`— ${new Date().toLocaleString()} · ${prepared.file} · workflow ${prepared.workflow}${options.note}`);
    if (prepared.secretNote) {
        output.appendLine(`  ${prepared.secretNote}`);
    }
    const total = prepared.steps.length;
    let done = options.resume?.restored.length ?? 0;
    let ended = false;
    statusBar.running(prepared.workflow, done, total);
    const live: LiveRun = {
        onWarning: (w) => output.appendLine(`warning: ${w}`),
        onEvent: (event) => {
            const line = logLine(event);
            if (line) {
                output.appendLine(line);
            }
            if (event.type === 'run-finished') {
                return; // handled at the end, once the answer is in
            }
            history.apply(event);
            panel.post({ type: 'run-event', event });
            if (event.type === 'step-finished') {
                done++;
                statusBar.running(prepared.workflow, done, total);
                live.progress?.(`${done}/${total} · ${event.stepId} ${event.status}`, 100 / Math.max(1, total));
            } else if (event.type === 'step-started') {
                statusBar.running(prepared.workflow, done, total);
                live.progress?.(`${done}/${total} · ${event.stepId}…`);
            }
        },
        onPaused: (paused) => {
            history.pause(runId, paused.step);
            statusBar.paused(prepared.workflow, paused.step, done, total);
        },
        end: (result) => {
            if (ended) {
                return;
            }
            ended = true;
            options.onEnd();
            if (result && !isRefusal(result)) {
                finish(deps, source, result);
            } else {
                history.abandon(runId);
            }
        },
    };
    return live;
}

/** The run's report replaces its placeholder; the graph gets its measured critical path. */
function finish(deps: RunControllerDeps, source: RunSource, result: RunDone): void {
    const { report } = result;
    const stored = deps.history.finish(report, source);
    deps.statusBar.finished(stored);
    const panel = GraphPanel.current;
    if (panel) {
        panel.post({ type: 'run-event', event: { type: 'run-finished', runId: report.runId, at: Date.parse(report.endedAt), status: report.status, durationMs: report.durationMs, report } });
        // Now the run's measured critical path.
        panel.post(result.graph);
    }
    // The engine wrote the journal and the report beside it.
    deps.output.appendLine(`report: ${result.reportFile}`);
    if (result.recorded) {
        deps.output.appendLine(`cassette: ${result.recorded}`);
        void notify('info', `KM Flow: recorded the run's MCP calls to ${result.recorded}; a test replays them with \`replay "NAME"\`.`);
    }
    showRunFailure(report, deps.output);
}

/** The status bar item: the running workflow's progress, or the last run's result. */
import { vscode } from './vscode-api.js';
import { formatDuration, statusIcon } from './core/format.js';
import type { StoredRun } from './core/run-store.js';

export class RunStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('kmflow.run', vscode.StatusBarAlignment.Left, 50);

    constructor() {
        this.item.name = 'KM Flow Run';
        this.item.command = 'kmflow.showGraph';
    }

    /** A run is going: `done` of `total` steps finished. */
    running(workflow: string, done: number, total: number): void {
        this.item.text = `$(sync~spin) ${workflow} ${done}/${total}`;
        this.item.tooltip = `KM Flow: running ${workflow} (click for the graph; Cancel Run stops it)`;
        this.item.command = 'kmflow.showGraph';
        this.item.backgroundColor = undefined;
        this.item.show();
    }

    /** A debug run stopped before step `step`. */
    paused(workflow: string, step: string, done: number, total: number): void {
        this.running(workflow, done, total);
        this.item.text = `$(debug-pause) ${workflow} ${done}/${total}`;
        this.item.tooltip = `KM Flow: debugging ${workflow}, paused before step ${step} (click for the graph)`;
    }

    /** A run ended. */
    finished(run: StoredRun): void {
        this.item.text = `$(${statusIcon(run.status)}) ${run.workflow} ${formatDuration(run.durationMs)}`;
        this.item.tooltip = `KM Flow: ${run.workflow} ${run.status} in ${formatDuration(run.durationMs)} (health ${run.metrics.healthScore}); click for the graph`;
        this.item.backgroundColor = run.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
        this.item.show();
    }

    dispose(): void {
        this.item.dispose();
    }
}

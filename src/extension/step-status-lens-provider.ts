/**
 * After a run, a lens over the workflow with the run's status and duration, and, when
 * `kmflow.lenses.steps` is on (off by default), one over each step with its own, from
 * the newest finished run of that file's workflow. Clicking a step's lens opens its
 * output. "Run | Plan | Graph | Analyze" and "Run to here" come from the language server.
 */
import { vscode } from './vscode-api.js';
import { formatDuration, statusIcon } from './core/format.js';
import type { RunHistory } from './core/run-history.js';
import { lensedEntries, STEP_LENSES_SETTING, stepLensTitle, stepLensTooltip } from './core/step-lens.js';
import { relativeFile, workspaceRoot } from './workflow-target.js';

export class StepStatusLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changeEmitter.event;
    private readonly unsubscribe: () => void;
    private readonly settingsListener: vscode.Disposable;

    constructor(private readonly history: RunHistory) {
        this.unsubscribe = history.onChange(() => this.changeEmitter.fire());
        this.settingsListener = vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration(STEP_LENSES_SETTING)) {
                this.changeEmitter.fire();
            }
        });
    }

    provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
        if (document.uri.scheme !== 'file') {
            return [];
        }
        const file = relativeFile(document.uri, workspaceRoot(document.uri));
        const lenses: vscode.CodeLens[] = [];
        const steps = vscode.workspace.getConfiguration().get<boolean>(STEP_LENSES_SETTING, false);
        for (const entry of lensedEntries(document.getText(), steps)) {
            const run = this.history.latestFinished(file, entry.workflow);
            if (!run) {
                continue;
            }
            const range = new vscode.Range(entry.line, 0, entry.line, 0);
            if (entry.kind === 'workflow') {
                lenses.push(new vscode.CodeLens(range, {
                    title: `$(${statusIcon(run.status)}) last run: ${run.status} · ${formatDuration(run.durationMs)}`,
                    command: 'kmflow.showRun',
                    arguments: [run.runId],
                    tooltip: `Run ${run.runId}: show it in the graph`,
                }));
                continue;
            }
            const step = run.steps.find((s) => s.id === entry.name);
            if (step) {
                lenses.push(new vscode.CodeLens(range, {
                    title: stepLensTitle(step),
                    command: 'kmflow.showStepDetails',
                    arguments: [run.runId, step.id],
                    tooltip: stepLensTooltip(step),
                }));
            }
        }
        return lenses;
    }

    dispose(): void {
        this.unsubscribe();
        this.settingsListener.dispose();
        this.changeEmitter.dispose();
    }
}

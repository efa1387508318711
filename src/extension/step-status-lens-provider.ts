/**
 * After a run, a lens over each step with its last status and duration (and one over
 * the workflow with the run's), from the newest finished run of that file's workflow.
 * Clicking a step's lens opens its output. "Run to here" comes from the language server.
 */
import * as vscode from 'vscode';
import { formatDuration, statusIcon } from './core/format.js';
import { outline } from './core/document-outline.js';
import type { RunHistory } from './core/run-history.js';
import { stepLensTitle, stepLensTooltip } from './core/step-lens.js';
import { relativeFile, workspaceRoot } from './workflow-target.js';

export class StepStatusLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changeEmitter.event;
    private readonly unsubscribe: () => void;

    constructor(private readonly history: RunHistory) {
        this.unsubscribe = history.onChange(() => this.changeEmitter.fire());
    }

    provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
        if (document.uri.scheme !== 'file') {
            return [];
        }
        const file = relativeFile(document.uri, workspaceRoot(document.uri));
        const lenses: vscode.CodeLens[] = [];
        for (const entry of outline(document.getText())) {
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
                    command: 'kmflow.openStepOutput',
                    arguments: [run.runId, step.id],
                    tooltip: stepLensTooltip(step),
                }));
            }
        }
        return lenses;
    }

    dispose(): void {
        this.unsubscribe();
        this.changeEmitter.dispose();
    }
}

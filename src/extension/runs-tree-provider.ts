/**
 * The `Runs` tree: runs grouped by workflow, newest first, labelled by how long ago they
 * started; under a run its steps with their live state (queued, running, retrying) or
 * final status; under a finished step its output, error and advice. A step reveals its
 * source line on click, an output or error row opens the step's document. A filter
 * narrows the runs. Rows come from `core/run-tree-model.ts` and `core/step-tree-model.ts`.
 */
import { vscode } from './vscode-api.js';
import type { RunHistory } from './core/run-history.js';
import { groupRows, runRows, type RunTreeRow } from './core/run-tree-model.js';
import { detailRows, stepRows } from './core/step-tree-model.js';

/** How often relative times ("2 min ago") are redrawn. */
const TICK_MS = 30_000;

/** Tree data of the runs view. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeRow>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<RunTreeRow | undefined | void>();
    readonly onDidChangeTreeData: vscode.Event<RunTreeRow | undefined | void> = this.changeEmitter.event;
    private readonly unsubscribe: () => void;
    private readonly tick: ReturnType<typeof setInterval>;
    private filterText: string | undefined;

    constructor(private readonly history: RunHistory) {
        this.unsubscribe = history.onChange(() => this.refresh());
        this.tick = setInterval(() => {
            if (history.all().length > 0) {
                this.refresh();
            }
        }, TICK_MS);
    }

    refresh(): void {
        this.changeEmitter.fire();
    }

    /** The filter in force, if any. */
    get filter(): string | undefined {
        return this.filterText;
    }

    /** Shows only the runs whose workflow, status, file or id contains `text` (empty: all). */
    setFilter(text: string | undefined): void {
        this.filterText = text?.trim() || undefined;
        this.refresh();
    }

    private view(): { active: ReadonlySet<string>; now: number; filter?: string } {
        return { active: this.history.activeIds(), now: Date.now(), filter: this.filterText };
    }

    getTreeItem(row: RunTreeRow): vscode.TreeItem {
        const live = this.history.isActive(row.runId);
        const state = !row.expandable ? vscode.TreeItemCollapsibleState.None
            : row.kind === 'workflow' || (row.kind === 'run' && live) ? vscode.TreeItemCollapsibleState.Expanded
                : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(row.label, state);
        // A live run's rows get their own ids, so a finished run comes back collapsed.
        item.id = row.kind === 'workflow' ? row.id : `${row.id}${live ? '#live' : ''}`;
        item.description = row.description;
        item.tooltip = row.tooltip;
        item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
        item.contextValue = row.contextValue;
        if (row.kind === 'step') {
            item.command = { command: 'kmflow.revealStep', title: 'Reveal Step', arguments: [row] };
        } else if (row.kind === 'detail') {
            item.command = { command: 'kmflow.openStepOutput', title: 'Open Step Output', arguments: [row] };
        }
        return item;
    }

    getChildren(row?: RunTreeRow): RunTreeRow[] {
        const runs = this.history.all();
        if (!row) {
            return groupRows(runs, this.view());
        }
        if (row.kind === 'workflow') {
            return runRows(runs, this.view(), row.group);
        }
        const run = this.history.get(row.runId);
        if (!run) {
            return [];
        }
        if (row.kind === 'run') {
            return stepRows(run, (stepId) => this.history.liveStep(run.runId, stepId), this.history.isActive(run.runId));
        }
        const step = row.kind === 'step' && !this.history.isActive(run.runId) ? run.steps.find((s) => s.id === row.stepId) : undefined;
        return step ? detailRows(run, step) : [];
    }

    getParent(row: RunTreeRow): RunTreeRow | undefined {
        if (row.kind === 'workflow') {
            return undefined;
        }
        if (row.kind === 'run') {
            return groupRows(this.history.all(), this.view()).find((g) => g.group === row.group);
        }
        const run = this.history.get(row.runId);
        const runRow = run ? runRows([run], this.view())[0] : undefined;
        if (row.kind === 'step' || !runRow) {
            return runRow;
        }
        return this.getChildren(runRow).find((s) => s.id === `${row.runId}/${row.stepId}`);
    }

    dispose(): void {
        clearInterval(this.tick);
        this.unsubscribe();
        this.changeEmitter.dispose();
    }
}

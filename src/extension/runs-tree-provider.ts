/**
 * The `KM Flow Runs` tree: runs newest first, each with its steps (status icon,
 * attempts, duration). A step reveals its source line on click; its output opens
 * from the context menu. Rows come from `core/run-tree-model.ts`.
 */
import * as vscode from 'vscode';
import type { RunHistory } from './core/run-history.js';
import { runRows, stepRows, type RunTreeRow } from './core/run-tree-model.js';

/** Tree data of the runs view. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeRow>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<RunTreeRow | undefined | void>();
    readonly onDidChangeTreeData: vscode.Event<RunTreeRow | undefined | void> = this.changeEmitter.event;
    private readonly unsubscribe: () => void;

    constructor(private readonly history: RunHistory) {
        this.unsubscribe = history.onChange(() => this.refresh());
    }

    refresh(): void {
        this.changeEmitter.fire();
    }

    getTreeItem(row: RunTreeRow): vscode.TreeItem {
        const item = new vscode.TreeItem(row.label, row.kind === 'run'
            ? (this.history.isActive(row.runId) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
            : vscode.TreeItemCollapsibleState.None);
        item.id = `${row.id}${this.history.isActive(row.runId) ? '#live' : ''}`;
        item.description = row.description;
        item.tooltip = row.tooltip;
        item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
        item.contextValue = row.contextValue;
        if (row.kind === 'step') {
            item.command = { command: 'kmflow.revealStep', title: 'Reveal Step', arguments: [row] };
        }
        return item;
    }

    getChildren(row?: RunTreeRow): RunTreeRow[] {
        if (!row) {
            return runRows(this.history.all(), this.history.activeIds());
        }
        const run = row.kind === 'run' ? this.history.get(row.runId) : undefined;
        return run ? stepRows(run) : [];
    }

    getParent(row: RunTreeRow): RunTreeRow | undefined {
        if (row.kind === 'run') {
            return undefined;
        }
        return runRows(this.history.all(), this.history.activeIds()).find((r) => r.runId === row.runId);
    }

    dispose(): void {
        this.unsubscribe();
        this.changeEmitter.dispose();
    }
}

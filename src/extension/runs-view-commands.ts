/**
 * The runs view's own commands: Filter Runs (by workflow, status, file or run id; the
 * view's description shows the filter, `kmflow.runsFiltered` swaps in Clear Filter) and
 * Clear History (deletes the stored runs of every workspace folder after asking; runs
 * still going and the measured history in `.kmflow/metrics` stay).
 */
import { vscode } from './vscode-api.js';
import type { RunHistory } from './core/run-history.js';
import { clearRuns } from './core/run-store.js';
import type { RunsTreeProvider } from './runs-tree-provider.js';

/** What the commands need. */
export interface RunsViewDeps {
    history: RunHistory;
    tree: RunsTreeProvider;
    view: vscode.TreeView<unknown>;
    /** Reads the stored runs back (after clearing). */
    reload(): Promise<void>;
}

function applyFilter(deps: RunsViewDeps, text: string | undefined): void {
    deps.tree.setFilter(text);
    const filter = deps.tree.filter;
    deps.view.description = filter ? `filter: ${filter}` : undefined;
    deps.view.message = filter && deps.tree.getChildren().length === 0 ? `No run matches '${filter}'.` : undefined;
    void vscode.commands.executeCommand('setContext', 'kmflow.runsFiltered', filter !== undefined);
}

export function createRunsViewCommands(deps: RunsViewDeps): Record<string, (...args: unknown[]) => unknown> {
    return {
        'kmflow.filterRuns': async (arg?: unknown) => {
            const text = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
                title: 'KM Flow: Filter Runs',
                prompt: 'Show the runs whose workflow, status (failed, cancelled, running…), file or run id contains this; empty shows all',
                value: deps.tree.filter ?? '',
            });
            if (text !== undefined) {
                applyFilter(deps, text);
            }
            return deps.tree.filter;
        },
        'kmflow.clearRunsFilter': () => applyFilter(deps, undefined),
        'kmflow.clearHistory': async (confirmArg?: unknown) => {
            const active = deps.history.activeIds();
            const finished = deps.history.all().filter((r) => !active.has(r.runId)).length;
            const clear = 'Clear History';
            const ok = confirmArg === true || await vscode.window.showWarningMessage(
                `Delete the ${finished} finished run(s) stored in .kmflow/runs (reports, journals, sources)?`,
                { modal: true, detail: 'They can no longer be resumed or shown. Runs still going and the measured history (.kmflow/metrics) stay.' },
                clear,
            ) === clear;
            if (!ok) {
                return 0;
            }
            const counts = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => clearRuns(f.uri.fsPath, active)));
            await deps.reload();
            return counts.reduce((a, b) => a + b, 0);
        },
    };
}

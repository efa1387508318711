/**
 * `KM Flow: Optimize`: the optimizer's recommendations for the workflow from the
 * workspace's measured history that are predicted to save more than the noise, each
 * with its predicted effect, in a quick pick (none: it says so; the details list the
 * changes below the noise).
 * Choosing one applies it to the document as a WorkspaceEdit (an `after` removed,
 * `max_parallel` or `mode` set, `cache on` added); when it cannot be made an edit,
 * the exact edit is shown instead. Without history it says so and offers a run.
 */
import * as vscode from 'vscode';
import { loadHistory } from '../engine/state/history/index.js';
import { optimizeWorkflow, type Optimization, type Recommendation } from '../engine/insight/optimize.js';
import { EditError, changeEdits, describeChange } from './core/optimize-edits.js';
import { baselineText, effectText, noGainText, optimizationMarkdown, splitByGain } from './core/optimize-view.js';
import { prepareTarget, showMarkdown, type PreparedTarget } from './insight-commands.js';
import { notify } from './run-notices.js';

/** What the command did: the optimization (if any), and whether an edit was applied. */
export interface OptimizeResult {
    optimization?: Optimization;
    applied?: Recommendation;
    message?: string;
}

/** Applies a recommendation to the target's document; false (after showing the edit to make) when it cannot. */
async function applyRecommendation(t: PreparedTarget, r: Recommendation, o: Optimization): Promise<boolean> {
    const { document } = t.target;
    try {
        if (document.getText() !== t.prepared.loaded.document.textDocument.getText()) {
            throw new EditError(`${document.fileName} changed since the recommendation was made`);
        }
        const edit = new vscode.WorkspaceEdit();
        for (const e of changeEdits(t.prepared.loaded.document, o.workflow, r.change)) {
            edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
        }
        if (!(await vscode.workspace.applyEdit(edit))) {
            throw new EditError('the editor refused the edit');
        }
        void vscode.window.showInformationMessage(`KM Flow: ${describeChange(r.change)} (predicted ${effectText(r)}). Save to keep it.`);
        return true;
    } catch (err) {
        void vscode.window.showWarningMessage(`KM Flow: could not edit the file (${(err as Error).message}); make this edit: ${describeChange(r.change)}.`);
        await showMarkdown(t, 'optimize', optimizationMarkdown(o));
        return false;
    }
}

/** `(uri?, workflow?, apply?)`: `apply`, an index into the offered recommendations, skips the pick. */
export async function optimizeCommand(...args: unknown[]): Promise<OptimizeResult | undefined> {
    const t = await prepareTarget(args.slice(0, 2), 'optimize');
    if (!t) {
        return undefined;
    }
    const { workflow, registry } = t.prepared;
    const history = await loadHistory(t.root);
    if (!history.workflows[workflow.id]) {
        const message = `no measured history for '${workflow.id}' yet: Optimize works from the durations of real runs (.kmflow/metrics). Run it first.`;
        const run = 'Run Workflow';
        void vscode.window.showInformationMessage(`KM Flow: ${message}`, run).then((choice) => {
            if (choice === run) {
                void vscode.commands.executeCommand('kmflow.runWorkflow', t.target.document.uri.toString(), workflow.id);
            }
        });
        return { message };
    }
    const o = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `KM Flow: optimizing ${workflow.id}` },
        () => optimizeWorkflow(workflow, registry, history),
    );
    const { offered, belowNoise } = splitByGain(o);
    if (offered.length === 0) {
        const message = noGainText(o);
        const details = 'Show Details';
        void notify('info', `KM Flow: ${message}.`, belowNoise.length > 0 ? [details] : []).then((choice) => {
            if (choice === details) {
                void showMarkdown(t, 'optimize', optimizationMarkdown(o));
            }
        });
        return { optimization: o, message };
    }
    let chosen: Recommendation | undefined;
    if (typeof args[2] === 'number') {
        chosen = offered[args[2]];
    } else {
        type Item = vscode.QuickPickItem & { recommendation?: Recommendation };
        const asMarkdown: Item = { label: '$(markdown) Show all as markdown', description: baselineText(o) };
        const pick = await vscode.window.showQuickPick<Item>([
            ...offered.map((r) => ({
                label: `$(lightbulb) ${describeChange(r.change)}`,
                description: `predicted ${effectText(r)}`,
                detail: `${r.message}${r.caution ? ` — caution: ${r.caution}` : ''}`,
                recommendation: r,
            })),
            asMarkdown,
        ], { placeHolder: `${workflow.id}: ${offered.length} change(s) predicted to save time; pick one to apply it`, matchOnDetail: true });
        if (pick === asMarkdown) {
            await showMarkdown(t, 'optimize', optimizationMarkdown(o));
            return { optimization: o };
        }
        chosen = pick?.recommendation;
    }
    if (!chosen) {
        return { optimization: o };
    }
    return { optimization: o, ...(await applyRecommendation(t, chosen, o) && { applied: chosen }) };
}

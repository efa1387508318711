/**
 * `KM Flow: Optimize`: the language server's `kmflow/optimize` — the optimizer's
 * recommendations for the workflow from the workspace's measured history that are
 * predicted to save more than the noise, each with its predicted effect and the text
 * edits that make it — in a quick pick (none: it says so; the details list the changes
 * below the noise). Choosing one applies its edits as a WorkspaceEdit, if the document
 * is still the version they were made for (an `after` removed, `max_parallel` or `mode`
 * set, `cache on` added); when they cannot be applied, the exact edit is shown instead.
 * Without history it says so and offers a run.
 */
import { vscode } from './vscode-api.js';
import type { OfferedChange, Optimized } from '../shared/lsp-protocol.js';
import { askAboutTarget, showMarkdown, type Answered } from './insight-commands.js';
import type { KmflowClient } from './kmflow-client.js';
import { notify } from './run-notices.js';

/** What the command did: the optimization (if any), and the change applied, if one was. */
export interface OptimizeResult {
    optimization?: Optimized;
    applied?: OfferedChange;
    message?: string;
}

/** Applies a change to the target's document; false (after showing the edit to make) when it cannot. */
async function applyChange(t: Answered<Optimized>, r: OfferedChange): Promise<boolean> {
    const { document } = t.target;
    const o = t.answer;
    try {
        if (!r.edits) {
            throw new Error(r.editProblem ?? 'no edit makes it');
        }
        if (document.version !== o.version) {
            throw new Error(`${document.fileName} changed since the recommendation was made`);
        }
        const edit = new vscode.WorkspaceEdit();
        for (const e of r.edits) {
            const { start, end } = e.range;
            edit.replace(document.uri, new vscode.Range(start.line, start.character, end.line, end.character), e.newText);
        }
        if (!(await vscode.workspace.applyEdit(edit))) {
            throw new Error('the editor refused the edit');
        }
        void vscode.window.showInformationMessage(`KM Flow: ${r.change} (predicted ${r.effect}). Save to keep it.`);
        return true;
    } catch (err) {
        void vscode.window.showWarningMessage(`KM Flow: could not edit the file (${(err as Error).message}); make this edit: ${r.change}.`);
        await showMarkdown('optimize', o.workflow, o.file, o.markdown);
        return false;
    }
}

/** `(uri?, workflow?, apply?)`: `apply`, an index into the offered recommendations, skips the pick. */
export async function optimizeCommand(server: KmflowClient, ...args: unknown[]): Promise<OptimizeResult | undefined> {
    const t = await askAboutTarget<Optimized>(args.slice(0, 2), 'optimize', (params) => vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `KM Flow: optimizing ${params.workflow ?? ''}` },
        () => server.request('kmflow/optimize', params),
    ));
    if (!t) {
        return undefined;
    }
    const o = t.answer;
    if (!o.measured) {
        const run = 'Run Workflow';
        void vscode.window.showInformationMessage(`KM Flow: ${o.message}`, run).then((choice) => {
            if (choice === run) {
                void vscode.commands.executeCommand('kmflow.runWorkflow', t.target.document.uri.toString(), o.workflow);
            }
        });
        return { message: o.message };
    }
    if (o.offered.length === 0) {
        const details = 'Show Details';
        void notify('info', `KM Flow: ${o.message}.`, o.belowNoise > 0 ? [details] : []).then((choice) => {
            if (choice === details) {
                void showMarkdown('optimize', o.workflow, o.file, o.markdown);
            }
        });
        return { optimization: o, message: o.message };
    }
    let chosen: OfferedChange | undefined;
    if (typeof args[2] === 'number') {
        chosen = o.offered[args[2]];
    } else {
        type Item = vscode.QuickPickItem & { change?: OfferedChange };
        const asMarkdown: Item = { label: '$(markdown) Show all as markdown', description: o.baseline };
        const pick = await vscode.window.showQuickPick<Item>([
            ...o.offered.map((r) => ({
                label: `$(lightbulb) ${r.change}`,
                description: `predicted ${r.effect}`,
                detail: `${r.message}${r.caution ? ` — caution: ${r.caution}` : ''}`,
                change: r,
            })),
            asMarkdown,
        ], { placeHolder: `${o.workflow}: ${o.offered.length} change(s) predicted to save time; pick one to apply it`, matchOnDetail: true });
        if (pick === asMarkdown) {
            await showMarkdown('optimize', o.workflow, o.file, o.markdown);
            return { optimization: o };
        }
        chosen = pick?.change;
    }
    if (!chosen) {
        return { optimization: o };
    }
    return { optimization: o, ...(await applyChange(t, chosen) && { applied: chosen }) };
}

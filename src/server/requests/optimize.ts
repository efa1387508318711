/**
 * `kmflow/optimize`: the optimizer's recommendations for a workflow from the
 * workspace's measured history, split at the noise of a prediction, each offered one
 * with its predicted effect and the text edits of the document (at its version) that
 * make it; the markdown lists them all. Without history it says so.
 */
import type { LangiumDocument } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { optimizeOf } from '../../app/index.js';
import type { Recommendation } from '../../engine/insight/index.js';
import type { OfferedChange, Optimized, Refusal, TargetParams, TextEditInfo } from '../../shared/lsp-protocol.js';
import type { ServerContext } from '../context.js';
import { changeEdits, describeChange } from '../optimize-edits.js';
import { baselineText, effectText, noGainText, optimizationMarkdown, splitByGain } from '../views/optimize-view.js';
import { orRefusal, prepareTarget } from './target.js';

export function optimizeRequest(ctx: ServerContext, params: TargetParams, token?: CancellationToken): Promise<Optimized | Refusal> {
    return orRefusal(async () => {
        const t = await prepareTarget(ctx, params, token);
        const { workflow } = t.prepared;
        const document = t.checked.document;
        const base = { kind: 'optimization' as const, workflow: workflow.id, file: t.file, version: document.textDocument.version };
        const history = await t.workspace.history();
        if (!history.workflows[workflow.id]) {
            const message = `no measured history for '${workflow.id}' yet: Optimize works from the durations of real runs (.kmflow/metrics). Run it first.`;
            return { ...base, measured: false, message, baseline: '', offered: [], belowNoise: 0, markdown: `# Optimize: ${workflow.id}\n\n${message}\n` };
        }
        const o = await optimizeOf(t.workspace, t.prepared, { history });
        const { offered, belowNoise } = splitByGain(o);
        return {
            ...base,
            measured: true,
            ...(offered.length === 0 && { message: noGainText(o) }),
            baseline: baselineText(o),
            offered: offered.map((r) => offeredChange(document, o.workflow, r)),
            belowNoise: belowNoise.length,
            markdown: optimizationMarkdown(o),
        };
    });
}

function offeredChange(document: LangiumDocument, workflow: string, r: Recommendation): OfferedChange {
    const out: OfferedChange = {
        kind: r.kind, change: describeChange(r.change), effect: effectText(r), message: r.message, ...(r.caution && { caution: r.caution }),
    };
    try {
        const text = document.textDocument;
        out.edits = changeEdits(document, workflow, r.change)
            .map((e): TextEditInfo => ({ range: { start: text.positionAt(e.start), end: text.positionAt(e.end) }, newText: e.newText }));
    } catch (err) {
        out.editProblem = (err as Error).message;
    }
    return out;
}

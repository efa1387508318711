/**
 * `kmflow/plan`, `kmflow/analyze` and `kmflow/metrics`: the server renders what the
 * editor shows as markdown, from the prepared workflow and the workspace's measured
 * history (`.kmflow/metrics`). None of them runs anything: they answer in an
 * untrusted workspace too.
 */
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { monitorOf, planOf } from '../../app/index.js';
import { historyFile } from '../../engine/state/index.js';
import type { Markdown, Metrics, MetricsParams, Refusal, TargetParams } from '../../shared/lsp-protocol.js';
import { rootOf, workspaceAt, type ServerContext } from '../context.js';
import { analysisMarkdown } from '../views/analysis-markdown.js';
import { monitorMarkdown } from '../views/monitor-markdown.js';
import { planMarkdown } from '../views/plan-markdown.js';
import { orRefusal, prepareTarget } from './target.js';

/** Levels, per-step predicted start and duration (measured where history has them), cache prediction, critical path. */
export function planRequest(ctx: ServerContext, params: TargetParams, token?: CancellationToken): Promise<Markdown | Refusal> {
    return orRefusal(async () => {
        const t = await prepareTarget(ctx, params, token);
        // The cache prediction reads `env` as a run would.
        const plan = await planOf(t.workspace, t.prepared, { env: process.env });
        return { kind: 'markdown', workflow: t.prepared.workflow.id, file: t.file, markdown: planMarkdown(t.prepared.workflow, plan, params.uri) };
    });
}

/** Graph shape, bottleneck candidates, security, tools that cannot run, the checker's warnings. */
export function analyzeRequest(ctx: ServerContext, params: TargetParams, token?: CancellationToken): Promise<Markdown | Refusal> {
    return orRefusal(async () => {
        const t = await prepareTarget(ctx, params, token);
        const warnings = (t.checked.document.diagnostics ?? [])
            .filter((d) => d.severity === 2)
            .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
        const history = await t.workspace.history();
        const markdown = analysisMarkdown(t.prepared.workflow, t.prepared.registry, warnings, history, params.uri);
        return { kind: 'markdown', workflow: t.prepared.workflow.id, file: t.file, markdown };
    });
}

/** Health score, per-tool p50/p95, bottlenecks of the recorded runs of the folder holding `uri` (default the first). */
export async function metricsRequest(ctx: ServerContext, params: MetricsParams): Promise<Metrics> {
    const root = params.uri !== undefined ? rootOf(ctx, params.uri) : ctx.folders()[0];
    if (root === undefined) {
        return {};
    }
    const workspace = workspaceAt(ctx, root);
    const where = path.relative(root, path.dirname(historyFile(root))).split(path.sep).join('/');
    return { root, markdown: monitorMarkdown(await monitorOf(workspace), where) };
}

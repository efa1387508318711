/**
 * `kmflow/run`: runs a workflow of a document in the server process, as the editor has
 * it (validated), through the application layer (`runPrepared`): journaled under the
 * workspace root's `.kmflow/runs` (with where it came from, `RUN_ID.source.json`),
 * recorded to `.kmflow/metrics`, each live event sent as a `kmflow/runEvent`
 * notification before the answer. Cancelled by cancelling the request or by
 * `kmflow/cancelRun`. Refused in an untrusted workspace: runs start MCP servers and may
 * run shell steps. With `debug`, steps run one at a time and the run stops where asked
 * (`debug/debug-session.ts`, `requests/debug.ts`).
 */
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { convertInputs, placeRefusal, RunRequestError, runPrepared } from '../../app/index.js';
import { RunSetupError } from '../../engine/run/index.js';
import { cassettePath } from '../../engine/state/index.js';
import type { CancelRunParams, Refusal, RunParams, RunResult, RunSource } from '../../shared/lsp-protocol.js';
import { REPORT_SUFFIX, RUNS_DIR_SEGMENTS, fileSafe } from '../../shared/run-files.js';
import { configuredServers, mergeServers } from '../configured-servers.js';
import { DebugSession, debugSessions } from '../debug/debug-session.js';
import type { ServerContext } from '../context.js';
import { workspaceGraph } from '../graph-model.js';
import { removeRunSource, writeRunSource } from '../run-source.js';
import { unsealSecrets } from '../secret-seal.js';
import { orRefusal, prepareTarget, refusalOf } from './target.js';

/** What an untrusted workspace is told instead of a run. */
export const UNTRUSTED_RUN = 'runs are disabled in Restricted Mode: they start MCP servers and may run shell steps, '
    + 'so they need a trusted workspace; checks, completion, Plan and the graph still work';

function refused(code: string, message: string): Refusal {
    return { kind: 'refused', code, message, problems: [] };
}

export async function runRequest(ctx: ServerContext, params: RunParams, token?: CancellationToken): Promise<RunResult> {
    if (!ctx.trusted()) {
        return refused('untrusted', UNTRUSTED_RUN);
    }
    const { runId } = params;
    if (ctx.runs.has(runId)) {
        return refused('duplicate-run', `run '${runId}' is already going`);
    }
    // Taken before anything is awaited: a kmflow/cancelRun that follows at once finds it.
    const controller = new AbortController();
    ctx.runs.set(runId, controller);
    const onCancel = token?.onCancellationRequested(() => controller.abort(new Error('cancelled by the user')));
    // A debug run: stops before steps and waits for kmflow/debugResume; a cancellation lets a stop go.
    const debug = params.debug && new DebugSession(runId, params.debug, (p) => ctx.notify('kmflow/runEvent', p));
    if (debug) {
        debugSessions(ctx).set(runId, debug);
        controller.signal.addEventListener('abort', () => debug.end(), { once: true });
    }
    try {
        return await orRefusal(() => startRun(ctx, params, controller.signal, token, debug || undefined));
    } finally {
        ctx.runs.delete(runId);
        onCancel?.dispose();
        if (debug) {
            debug.end();
            debugSessions(ctx).delete(runId);
        }
    }
}

async function startRun(ctx: ServerContext, params: RunParams, signal: AbortSignal, token?: CancellationToken, debug?: DebugSession): Promise<RunResult> {
    const { runId } = params;
    const t = await prepareTarget(ctx, params, token);
    const inputs = convertInputs(t.prepared.workflow.inputs, params.inputs ?? {});
    let secrets = params.secrets;
    if (params.sealedSecrets !== undefined) {
        try {
            secrets = { ...secrets, ...unsealSecrets(params.sealedSecrets, ctx.sessionKey) };
        } catch (err) {
            throw new RunRequestError(`the secrets could not be read: ${(err as Error).message}`, 'sealed-secrets');
        }
    }
    const warn = (message: string): void => ctx.notify('kmflow/runWarning', { runId, message });
    const configured = configuredServers(params.servers);
    configured.problems.forEach(warn);
    const prepared = { ...t.prepared, servers: mergeServers(t.prepared.servers, configured.servers) };
    const { workflow } = prepared;
    const source: RunSource = {
        file: t.file, workflow: workflow.id,
        lines: Object.fromEntries(workflow.steps.flatMap((s) => (s.location ? [[s.id, s.location.line]] : []))),
        ...(params.toStep !== undefined && { toStep: params.toStep }),
    };
    try {
        await writeRunSource(t.root, runId, source);
    } catch (err) {
        warn(`could not record the run's source: ${(err as Error).message}`);
    }
    const record = params.record !== undefined ? cassettePath(t.root, params.record) : undefined;
    try {
        const [report] = await runPrepared(t.workspace, [{ prepared, inputs }], {
            // Secrets stay secrets: never merged into `env`, masked however they are read.
            secrets,
            signal,
            runId,
            durable: true,
            ...(params.maxParallel !== undefined && { maxParallel: params.maxParallel }),
            ...(params.resume !== undefined && { resume: { runId: params.resume, rerunFrom: params.rerunFrom } }),
            ...(record !== undefined && { record }),
            ...(debug && { gate: debug.gate }),
            onEvent: (event) => ctx.notify('kmflow/runEvent', { runId, event }),
            onWarning: warn,
        });
        return {
            kind: 'report',
            report: report!,
            reportFile: path.posix.join(...RUNS_DIR_SEGMENTS, `${fileSafe(report!.runId)}${REPORT_SUFFIX}`),
            graph: await workspaceGraph(workflow, prepared.registry, params.uri, t.root, report),
            ...(record !== undefined && { recorded: path.relative(t.root, record).split(path.sep).join('/') }),
        };
    } catch (err) {
        await removeRunSource(t.root, runId).catch(() => undefined);
        if (err instanceof RunSetupError) {
            return refusalOf(placeRefusal(err, workflow));
        }
        throw err;
    }
}

export function cancelRunNotification(ctx: ServerContext, params: CancelRunParams): void {
    ctx.runs.get(params.runId)?.abort(new Error('cancelled by the user'));
}

/**
 * Runs a prepared workflow the way `kmflow run` does, for the extension host: async,
 * cancellable through an AbortSignal, live events through `onEvent`, MCP connectors
 * opened and closed around the run. With `root`'s `.kmflow/` it is also durable and
 * measured like the CLI's runs: journaled to `.kmflow/runs` (the engine writes the
 * journal and the report), scheduled with durations from `.kmflow/metrics` history,
 * and recorded to that history afterwards. Plain Node, so tests drive it without a window.
 */
import { estimateFromHistory, loadHistory, recordRun, type EstimateMs } from '../../engine/state/history/index.js';
import { RunSetupError, type RunSetupCode } from '../../engine/run/run-setup.js';
import { runWorkflow } from '../../engine/run/scheduler.js';
import type { RunEvent, RunReport } from '../../engine/run/run-types.js';
import type { Trust } from '../../engine/security/trust.js';
import { stepNamed } from './failure-notice.js';
import { openRunConnectors } from './run-connectors.js';
import { RunRequestError, type PreparedWorkflowRun } from './run-preparation.js';
import { runsDir } from './run-store.js';

/** How to run it: everything the workspace, the settings and the user decide. */
export interface ExecuteOptions {
    /** Workspace root (file tools and `shell` are confined to it; `.kmflow/` lives there). */
    root: string;
    /** What the run may do (`workspaceTrust`): everything in a trusted workspace, nothing otherwise. */
    trust: Trust;
    inputs?: Record<string, unknown>;
    /** What `env.NAME` reads; default the host variables `trust` grants. */
    env?: Record<string, string | undefined>;
    /**
     * The stored secrets (VS Code's SecretStorage) by name: `secret.NAME` reads them
     * first, server blocks' `${secret.NAME}` too, and the run masks every one of them.
     */
    secrets?: Record<string, string>;
    /** The `kmflow.maxParallel` setting, when set (0 or less means the workflow's own). */
    maxParallel?: number;
    signal?: AbortSignal;
    onEvent?: (event: RunEvent) => void;
    /** Problems worth a line in the log: a server that did not answer, history not recorded. */
    onWarning?: (message: string) => void;
    runId?: string;
    /**
     * Journal to `ROOT/.kmflow/runs`, schedule with measured history and record the run
     * to it afterwards (what the extension's runs do); false runs in memory only.
     */
    durable?: boolean;
    /** Resume this journaled run (needs `durable`): its completed steps are restored. */
    resume?: string;
}

/** Runs it; throws RunRequestError when the run cannot start (missing input, server, refused resume...). */
export async function executeRun(prepared: PreparedWorkflowRun, options: ExecuteOptions): Promise<RunReport> {
    const durable = options.durable ?? false;
    const estimateMs = durable ? await historyEstimate(prepared, options) : undefined;
    const connectors = await openRunConnectors(prepared, { root: options.root, signal: options.signal, trust: options.trust, env: options.env, secrets: options.secrets });
    for (const warning of connectors.warnings) {
        options.onWarning?.(warning);
    }
    let report: RunReport;
    try {
        report = await runWorkflow(prepared.workflow, {
            registry: prepared.registry,
            connectors: connectors.map,
            inputs: options.inputs,
            env: options.env,
            secrets: { ...connectors.secrets, ...options.secrets },
            root: options.root,
            trust: options.trust,
            signal: options.signal,
            onEvent: options.onEvent,
            runId: options.runId,
            maxParallel: options.maxParallel && options.maxParallel > 0 ? options.maxParallel : undefined,
            ...(durable && { journalDir: runsDir(options.root), estimateMs }),
            ...(options.resume !== undefined && { resume: { runId: options.resume } }),
        });
    } catch (err) {
        if (err instanceof RunSetupError) {
            throw setupError(err, prepared);
        }
        throw err;
    } finally {
        await connectors.close();
    }
    if (durable) {
        try {
            await recordRun(options.root, prepared.workflow, report);
        } catch (err) {
            // History is an aid; a read-only workspace must not fail the run.
            options.onWarning?.(`could not record run history: ${(err as Error).message}`);
        }
    }
    return report;
}

/** Measured durations for critical-path priorities, where history has them; unreadable history is a warning. */
async function historyEstimate(prepared: PreparedWorkflowRun, options: ExecuteOptions): Promise<EstimateMs | undefined> {
    try {
        return estimateFromHistory(await loadHistory(options.root), prepared.workflow.id);
    } catch (err) {
        options.onWarning?.(`could not read run history: ${(err as Error).message}`);
        return undefined;
    }
}

/** The engine's refusal as the user reads it: resume problems as they are, others with their line. */
function setupError(err: RunSetupError, prepared: PreparedWorkflowRun): RunRequestError {
    const code: RunSetupCode = err.code;
    if (code === 'no-journal' || code === 'resume-mismatch') {
        return new RunRequestError(err.message, code);
    }
    const named = stepNamed(err.message);
    const loc = prepared.workflow.steps.find((s) => s.id === named)?.location ?? prepared.workflow.location;
    const problems = loc ? [{ line: loc.line, column: loc.column, code, message: err.message }] : [];
    return new RunRequestError(loc ? `line ${loc.line}: ${err.message}` : err.message, code, problems);
}

/**
 * Runs a prepared workflow the way `kmflow run` does, for the extension host: async,
 * cancellable through an AbortSignal, live events through `onEvent`, MCP connectors
 * opened and closed around the run. Plain Node, so tests drive it without a window.
 */
import { RunSetupError } from '../../engine/run-setup.js';
import { runWorkflow } from '../../engine/scheduler.js';
import type { RunEvent, RunReport } from '../../engine/run-types.js';
import { openRunConnectors } from './run-connectors.js';
import { RunRequestError, type PreparedWorkflowRun } from './run-preparation.js';

/** How to run it: everything the workspace, the settings and the user decide. */
export interface ExecuteOptions {
    /** Workspace root (file tools and `shell` are confined to it). */
    root: string;
    /** Trusted workspace: `shell` may run. */
    allowExec: boolean;
    inputs?: Record<string, unknown>;
    /** `env.NAME` and `secret.NAME` values: process env plus the stored secrets. */
    env?: Record<string, string | undefined>;
    /** The `kmflow.maxParallel` setting, when set (0 or less means the workflow's own). */
    maxParallel?: number;
    signal?: AbortSignal;
    onEvent?: (event: RunEvent) => void;
    /** Connector problems worth a line in the log (a server that did not answer). */
    onWarning?: (message: string) => void;
    runId?: string;
}

/** Runs it; throws RunRequestError when the run cannot start (missing input, server...). */
export async function executeRun(prepared: PreparedWorkflowRun, options: ExecuteOptions): Promise<RunReport> {
    const connectors = await openRunConnectors(prepared, options.signal);
    for (const warning of connectors.warnings) {
        options.onWarning?.(warning);
    }
    try {
        return await runWorkflow(prepared.workflow, {
            registry: prepared.registry,
            connectors: connectors.map,
            inputs: options.inputs,
            env: options.env,
            root: options.root,
            allowExec: options.allowExec,
            signal: options.signal,
            onEvent: options.onEvent,
            runId: options.runId,
            maxParallel: options.maxParallel && options.maxParallel > 0 ? options.maxParallel : undefined,
        });
    } catch (err) {
        if (err instanceof RunSetupError) {
            const loc = prepared.workflow.location;
            throw new RunRequestError(loc ? `line ${loc.line}: ${err.message}` : err.message);
        }
        throw err;
    } finally {
        await connectors.close();
    }
}

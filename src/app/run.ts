/**
 * Runs prepared workflows the one way every front door does (CLI `run`, the MCP face's
 * orchestrate and coordinate, the language server's run request): the servers they use
 * opened and closed around the run, every call measured for routing, durations from
 * the root's measured history for critical-path priorities, journaled to
 * `ROOT/.kmflow/runs` and recorded to `.kmflow/metrics` afterwards. One workflow runs
 * alone (and may resume); several share one resource pool (`runWorkflows`). A run may
 * record its MCP calls to a cassette (`record`) or answer them from one (`replay`,
 * `cassettes.ts`).
 */
import { estimateFromHistory, recordRun, type EstimateMs, type History } from '../engine/state/index.js';
import { createRouter, recordingCalls, RoutingStats, type SelectToolFn } from '../engine/insight/index.js';
import { runWorkflow, runWorkflows } from '../engine/run/index.js';
import { BUILTIN_SERVER, createBuiltinConnector } from '../engine/tools/index.js';
import type { RunEvent, RunOptions, RunReport, StepGate } from '../engine/run/index.js';
import type { ServerSpec } from '../engine/model/index.js';
import type { PreparedRun } from '../language/prepare-run.js';
import type { Cassette } from '../engine/state/index.js';
import { CassetteRecorder } from '../engine/state/index.js';
import { openReplay, runSecretValues, temporaryDir, writeRecording, type ReplaySession, type TemporaryDir } from './cassettes.js';
import { openConnectors, type RunConnectors } from './connect.js';
import type { RunRoot } from './workspace.js';

/** One workflow to run and its inputs. */
export interface RunItem {
    prepared: PreparedRun;
    inputs?: Record<string, unknown>;
}

export interface RunRequest {
    /** What `env.NAME` reads; default the host variables the workspace's trust grants. */
    env?: Record<string, string | undefined>;
    /** Stored secrets by name: `secret.NAME` reads them first; the run masks every one. */
    secrets?: Record<string, string>;
    signal?: AbortSignal;
    onEvent?: (event: RunEvent) => void;
    /** Problems worth a line: a server that did not answer, history not recorded. */
    onWarning?: (message: string) => void;
    runId?: string;
    /** Resume this journaled run (one workflow only). */
    resume?: { runId: string; lenient?: boolean; rerunFrom?: string };
    /** A `max_parallel` over the workflow's own (0 or less: the workflow's). */
    maxParallel?: number;
    maxOutputBytes?: number;
    /** Journal, use and record measured history (default true); false runs in memory only. */
    durable?: boolean;
    /** Routing figures to measure into (the MCP face shares one across calls); default from history. */
    routing?: RoutingStats;
    /** How `uses capability` steps choose; default the router over `routing`. */
    selectTool?: SelectToolFn;
    /** Only these servers may start (the MCP face's guard); default those the workflows use. */
    servers?: ServerSpec[];
    /** History already read by the caller; default read from the workspace. */
    history?: History;
    /**
     * Record every MCP call (arguments, result or error, duration) to this cassette file
     * when the run ends, the run's secrets masked (`engine/state/recordings`). The run
     * starts with an empty result cache, so every call reaches its server.
     */
    record?: string;
    /**
     * Answer every MCP call from this cassette (its file, or one `readCassette` read; a
     * CassetteError when it cannot be used): no server starts. Built-ins run for real in
     * a temporary copy of the root; nothing is journaled or added to history.
     */
    replay?: string | Cassette;
    /**
     * Debug: awaited before each step's call with its masked parameters; steps run one
     * at a time (engine `step-gate.ts`). Every workflow's run awaits it.
     */
    gate?: StepGate;
}

/**
 * Runs `items` in `workspace`; throws the engine's RunSetupError when a run cannot start
 * (missing input or secret, unknown tool, refused resume), for the caller to place.
 */
export async function runPrepared(workspace: RunRoot, items: RunItem[], request: RunRequest = {}): Promise<RunReport[]> {
    if (request.record !== undefined && request.replay !== undefined) {
        throw new Error('a run either records its MCP calls or replays them, not both');
    }
    const durable = request.replay === undefined && (request.durable ?? true);
    const history = durable ? request.history ?? (await readHistory(workspace, request)) : undefined;
    const routing = request.routing ?? new RoutingStats(history);
    const recorder = request.record !== undefined ? new CassetteRecorder() : undefined;
    let replay: ReplaySession | undefined;
    let connectors: RunConnectors;
    if (request.replay !== undefined) {
        replay = await openReplay(items, request.replay, {
            root: workspace.root, trust: workspace.trust, env: request.env, secrets: request.secrets, servers: request.servers,
        });
        connectors = replay.connectors;
    } else {
        connectors = await openConnectors(items.map((i) => i.prepared), {
            root: workspace.root, trust: workspace.trust, signal: request.signal, env: request.env,
            secrets: request.secrets, maxOutputBytes: request.maxOutputBytes, servers: request.servers, record: recorder,
        });
    }
    connectors.warnings.forEach((w) => request.onWarning?.(w));
    let reports: RunReport[];
    // Recorded and replayed runs start with an empty result cache: every call is made.
    let cache: TemporaryDir | undefined;
    try {
        cache = recorder ? await temporaryDir('kmflow-record-cache-') : undefined;
        const base = {
            registry: mergedRegistry(items),
            connectors: new Map([[BUILTIN_SERVER, createBuiltinConnector()], ...connectors.map]),
            // Every call measured for routing, from the run's own figures.
            onCall: recordingCalls(routing),
            root: replay?.root ?? workspace.root,
            trust: workspace.trust,
            env: request.env,
            // Secrets of the server blocks too: masked in every output, however they come back.
            secrets: { ...connectors.secrets, ...request.secrets },
            signal: request.signal,
            onEvent: request.onEvent,
            selectTool: request.selectTool ?? createRouter(routing),
            ...(request.maxParallel !== undefined && request.maxParallel > 0 && { maxParallel: request.maxParallel }),
            ...(request.maxOutputBytes !== undefined && { maxOutputBytes: request.maxOutputBytes }),
            ...(request.gate && { gate: request.gate }),
            ...(cache && { cacheDir: cache.dir }),
            ...(durable && { journalDir: workspace.runsDir, estimateMs: estimateOf(history, items) }),
        } satisfies Partial<RunOptions>;
        if (items.length === 1) {
            const [item] = items as [RunItem];
            reports = [await runWorkflow(item.prepared.workflow, {
                ...base, inputs: item.inputs, runId: request.runId, ...(request.resume && { resume: request.resume }),
            })];
        } else {
            reports = await runWorkflows(items.map((i) => ({ workflow: i.prepared.workflow, inputs: i.inputs })), base);
        }
    } finally {
        await connectors.close();
        await replay?.dispose();
        await cache?.remove();
    }
    if (recorder) {
        const secrets = runSecretValues(items, { env: request.env, secrets: request.secrets, trust: workspace.trust }, connectors.secrets);
        await writeRecording(request.record!, recorder, items, secrets);
    }
    if (durable) {
        await recordHistory(workspace, items, reports, request);
    }
    return reports;
}

/** One workflow: its own steps' history; several: each step id's best-measured. */
function estimateOf(history: History | undefined, items: RunItem[]): EstimateMs | undefined {
    return history && estimateFromHistory(history, items.length === 1 ? items[0]!.prepared.workflow.id : undefined);
}

async function readHistory(workspace: RunRoot, request: RunRequest): Promise<History | undefined> {
    try {
        return await workspace.history();
    } catch (err) {
        request.onWarning?.(`could not read run history: ${(err as Error).message}`);
        return undefined;
    }
}

/** Adds the runs' measurements to `.kmflow/metrics`; a read-only workspace must not fail the run. */
async function recordHistory(workspace: RunRoot, items: RunItem[], reports: RunReport[], request: RunRequest): Promise<void> {
    for (const [i, report] of reports.entries()) {
        const workflow = items.find((x) => x.prepared.workflow.id === report.workflow)?.prepared.workflow ?? items[i]!.prepared.workflow;
        try {
            await recordRun(workspace.root, workflow, report);
        } catch (err) {
            request.onWarning?.(`could not record run history: ${(err as Error).message}`);
        }
    }
}

/**
 * One registry for several workflows. Tools are looked up by id, so files declaring the
 * same id must agree; the first declaration wins, as an import would.
 */
function mergedRegistry(items: RunItem[]): PreparedRun['registry'] {
    const registry = items[0]!.prepared.registry;
    for (const item of items.slice(1)) {
        for (const t of item.prepared.registry.all()) {
            if (!registry.has(t.id)) {
                registry.add(t);
            }
        }
    }
    return registry;
}

/**
 * The connectors of a run, one way for every front door: the MCP servers its steps go
 * through (by `via SERVER` or a `SERVER.TOOL` id), opened under the run's Trust with a
 * relative `cwd` resolved against the workspace root, asked for their tools first so
 * `SERVER.TOOL` steps have their schemas and annotations before anything runs; the
 * engine adds its built-ins itself.
 */
import { McpConnectorPool, registerServerTools } from '../engine/tools/index.js';
import { serverSecretNames } from '../engine/tools/index.js';
import { envView, pickSecrets } from '../engine/security/index.js';
import type { Trust } from '../engine/security/index.js';
import type { ServerSpec, ToolDescriptor } from '../engine/model/index.js';
import type { Connector } from '../engine/tools/index.js';
import type { PreparedRun } from '../language/prepare-run.js';
import { recordingConnectors, type CassetteRecorder } from '../engine/state/index.js';

/** Open connectors and how to close them. */
export interface RunConnectors {
    map: Map<string, Connector>;
    /** One line per server that could not list its tools. */
    warnings: string[];
    /** The secrets the servers' blocks read (`${secret.NAME}`), for the run to mask. */
    secrets: Record<string, string>;
    close(): Promise<void>;
}

/** The declared servers the workflow's steps (and compensations) reach. */
export function serversUsed(prepared: Pick<PreparedRun, 'workflow' | 'registry' | 'servers'>): ServerSpec[] {
    const names = new Set<string>();
    const declared = new Map(prepared.servers.map((s) => [s.name, s]));
    for (const step of prepared.workflow.steps) {
        for (const toolId of [step.tool, step.compensate?.tool]) {
            if (!toolId) {
                continue;
            }
            const via = prepared.registry.get(toolId)?.via?.server;
            const prefix = toolId.includes('.') ? toolId.slice(0, toolId.indexOf('.')) : undefined;
            const server = via ?? (prefix && declared.has(prefix) ? prefix : undefined);
            if (server && declared.has(server)) {
                names.add(server);
            }
        }
    }
    return [...names].map((n) => declared.get(n)!);
}

/** How to open them: the run's Trust, and where `${env.X}` and `${secret.X}` read. */
export interface OpenOptions {
    /** Base of a relative server `cwd`. */
    root: string;
    trust: Trust;
    signal?: AbortSignal;
    env?: Record<string, string | undefined>;
    secrets?: Record<string, string>;
    maxOutputBytes?: number;
    /** Only these servers (the MCP face's guard decides); default the ones the runs use. */
    servers?: ServerSpec[];
    /** Record every call into this recorder (RunRequest `record`), with what the servers list. */
    record?: CassetteRecorder;
}

/**
 * Opens the servers the runs need, in one pool (a server two workflows use is started
 * once), and adds their listed tools to each run's registry.
 */
export async function openConnectors(runs: ReadonlyArray<Pick<PreparedRun, 'workflow' | 'registry' | 'servers'>>, options: OpenOptions): Promise<RunConnectors> {
    const servers = options.servers ?? uniqueByName(runs.flatMap(serversUsed));
    if (servers.length === 0) {
        return { map: new Map(), warnings: [], secrets: {}, close: async () => undefined };
    }
    const env = envView(options.env, options.trust);
    const pool = new McpConnectorPool(servers, {
        root: options.root, trust: options.trust, env, secrets: options.secrets, maxOutputBytes: options.maxOutputBytes,
    });
    const listing = await pool.listAll({ signal: options.signal });
    for (const run of runs) {
        registerServerTools(run.registry, listing.tools);
    }
    options.record?.listed(listing.servers);
    return {
        map: options.record ? recordingConnectors(pool, options.record) : pool.connectors(),
        warnings: listing.errors.map((e) => `server '${e.server}': ${e.error.message}`),
        secrets: pickSecrets(serverSecretNames(servers), options.secrets, env),
        close: () => pool.closeAll(),
    };
}

/** Every server's tools (`tools/list`, for `tools` and `lock`); servers that fail are reported, not thrown. */
export async function listServerTools(servers: ServerSpec[], options: { root: string; trust?: Trust }): Promise<{
    tools: ToolDescriptor[];
    errors: Array<{ server: string; message: string }>;
}> {
    if (servers.length === 0) {
        return { tools: [], errors: [] };
    }
    const pool = new McpConnectorPool(servers, { root: options.root, trust: options.trust });
    try {
        const listing = await pool.listAll();
        return { tools: listing.tools, errors: listing.errors.map((e) => ({ server: e.server, message: e.error.message })) };
    } finally {
        await pool.closeAll();
    }
}

/** Servers by name, the first declaration of each. */
export function uniqueByName(servers: ServerSpec[]): ServerSpec[] {
    return [...new Map(servers.map((s) => [s.name, s])).values()];
}

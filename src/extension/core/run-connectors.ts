/**
 * The connectors of an extension run: the engine's built-ins (always), and the MCP
 * servers the workflow's steps go through (only ever started in a trusted workspace:
 * the caller checks trust before a run starts).
 */
import { McpConnectorPool, registerServerTools } from '../../engine/tools/connectors/index.js';
import { serverSecretNames } from '../../engine/tools/connectors/server-values.js';
import { envView, pickSecrets } from '../../engine/security/secret-values.js';
import type { Trust } from '../../engine/security/trust.js';
import type { ServerSpec } from '../../engine/model/model.js';
import type { Connector } from '../../engine/tools/registry.js';
import type { PreparedRun } from '../../language/prepare-run.js';

/** Open connectors and how to close them. */
export interface RunConnectors {
    map: Map<string, Connector>;
    /** One line per server that could not list its tools. */
    warnings: string[];
    /** The secrets the servers' blocks read (`${secret.NAME}`), for the run to mask. */
    secrets: Record<string, string>;
    close(): Promise<void>;
}

/** The declared servers the workflow's steps reach, by `via` or by a `SERVER.tool` id. */
export function serversUsed(prepared: PreparedRun): ServerSpec[] {
    const names = new Set<string>();
    const declared = new Map(prepared.servers.map((s) => [s.name, s]));
    for (const step of prepared.workflow.steps) {
        for (const toolId of [step.tool, step.compensate?.tool]) {
            if (!toolId) {
                continue;
            }
            const via = prepared.registry.get(toolId)?.via?.server;
            if (via && declared.has(via)) {
                names.add(via);
            }
            const prefix = toolId.split('.')[0]!;
            if (toolId.includes('.') && declared.has(prefix)) {
                names.add(prefix);
            }
        }
    }
    return [...names].map((n) => declared.get(n)!);
}

/** How to open them: the run's Trust, and where `${env.X}` and `${secret.X}` read. */
export interface OpenOptions {
    /** Base of a relative server `cwd`. */
    root?: string;
    signal?: AbortSignal;
    trust: Trust;
    env?: Record<string, string | undefined>;
    secrets?: Record<string, string>;
}

/** Opens the servers the run needs and adds their listed tools to its registry. */
export async function openRunConnectors(prepared: PreparedRun, options: OpenOptions): Promise<RunConnectors> {
    const servers = serversUsed(prepared);
    if (servers.length === 0) {
        return { map: new Map(), warnings: [], secrets: {}, close: async () => undefined };
    }
    const env = envView(options.env, options.trust);
    const pool = new McpConnectorPool(servers, { root: options.root, trust: options.trust, env, secrets: options.secrets });
    const listing = await pool.listAll({ signal: options.signal });
    registerServerTools(prepared.registry, listing.tools);
    return {
        map: pool.connectors(),
        warnings: listing.errors.map((e) => `server '${e.server}': ${e.error.message}`),
        secrets: pickSecrets(serverSecretNames(servers), options.secrets, env),
        close: () => pool.closeAll(),
    };
}

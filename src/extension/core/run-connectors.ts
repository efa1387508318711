/**
 * The connectors of an extension run: the engine's built-ins (always), and the MCP
 * servers the workflow's steps go through (only ever started in a trusted workspace:
 * the caller checks trust before a run starts).
 */
import { McpConnectorPool, registerServerTools } from '../../engine/connectors/index.js';
import type { ServerSpec } from '../../engine/model.js';
import type { Connector } from '../../engine/registry.js';
import type { PreparedRun } from '../../language/prepare-run.js';

/** Open connectors and how to close them. */
export interface RunConnectors {
    map: Map<string, Connector>;
    /** One line per server that could not list its tools. */
    warnings: string[];
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

/** Opens the servers the run needs and adds their listed tools to its registry. */
export async function openRunConnectors(prepared: PreparedRun, signal?: AbortSignal): Promise<RunConnectors> {
    const servers = serversUsed(prepared);
    if (servers.length === 0) {
        return { map: new Map(), warnings: [], close: async () => undefined };
    }
    const pool = new McpConnectorPool(servers);
    const listing = await pool.listAll({ signal });
    registerServerTools(prepared.registry, listing.tools);
    return {
        map: pool.connectors(),
        warnings: listing.errors.map((e) => `server '${e.server}': ${e.error.message}`),
        close: () => pool.closeAll(),
    };
}

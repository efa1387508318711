/**
 * The MCP side of CLI commands: one connection per declared server, opened on first
 * use and closed at the end; server tools registered for a run; listings for `tools`
 * and `lock`.
 */
import { McpConnectorPool, registerServerTools } from '../engine/tools/connectors/index.js';
import type { ServerSpec, ToolDescriptor, WorkflowSpec } from '../engine/model/model.js';
import type { Connector } from '../engine/tools/registry.js';
import type { PreparedRun } from '../language/prepare-run.js';
import type { CommandContext } from './command-context.js';
import { cliTrust } from './cli-trust.js';

export interface OpenConnectors {
    map: Map<string, Connector>;
    close(): Promise<void>;
}

/** Server names a workflow reaches: `SERVER.TOOL` step ids and tools bound `via SERVER`. */
export function serversUsed(workflow: WorkflowSpec, prepared: PreparedRun): Set<string> {
    const declared = new Set(prepared.servers.map((s) => s.name));
    const used = new Set<string>();
    for (const step of workflow.steps) {
        for (const id of [step.tool, step.compensate?.tool]) {
            if (!id) {
                continue;
            }
            const via = prepared.registry.get(id)?.via?.server;
            const prefix = id.includes('.') ? id.slice(0, id.indexOf('.')) : undefined;
            const server = via ?? (prefix && declared.has(prefix) ? prefix : undefined);
            if (server && declared.has(server)) {
                used.add(server);
            }
        }
    }
    return used;
}

/**
 * Connectors for a run. The servers the workflow uses are asked for their tools first,
 * so `SERVER.TOOL` steps have descriptors (schemas, annotations) before anything runs.
 */
export async function openConnectors(prepared: PreparedRun, ctx: CommandContext, maxOutputBytes?: number): Promise<OpenConnectors> {
    const pool = new McpConnectorPool(prepared.servers, { root: ctx.root, trust: cliTrust(ctx), maxOutputBytes });
    const used = serversUsed(prepared.workflow, prepared);
    if (used.size > 0) {
        const listing = await pool.listAll({ servers: [...used] });
        registerServerTools(prepared.registry, listing.tools);
        for (const e of listing.errors) {
            ctx.err(`server ${e.server}: ${e.error.message}`);
        }
    }
    return { map: pool.connectors(), close: () => pool.closeAll() };
}

/** Every declared server's tools (`tools/list`); servers that fail are reported, not thrown. */
export async function listServerTools(servers: ServerSpec[], ctx: CommandContext): Promise<{
    tools: ToolDescriptor[];
    errors: Array<{ server: string; message: string }>;
}> {
    if (servers.length === 0) {
        return { tools: [], errors: [] };
    }
    const pool = new McpConnectorPool(servers, { root: ctx.root });
    try {
        const listing = await pool.listAll();
        return { tools: listing.tools, errors: listing.errors.map((e) => ({ server: e.server, message: e.error.message })) };
    } finally {
        await pool.closeAll();
    }
}

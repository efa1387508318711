/** The connectors a CLI run uses: the engine's built-in one, and MCP servers later. */
import type { Connector } from '../engine/registry.js';
import type { ServerSpec, ToolDescriptor } from '../engine/model.js';
import type { PreparedRun } from '../language/prepare-run.js';
import type { CommandContext } from './command-context.js';

export interface OpenConnectors {
    map: Map<string, Connector>;
    close(): Promise<void>;
}

export async function openConnectors(_prepared: PreparedRun, _ctx: CommandContext): Promise<OpenConnectors> {
    const map = new Map<string, Connector>();
    return { map, close: async () => undefined };
}

/** Every declared server's tools (`tools/list`); servers that fail are reported, not thrown. */
export async function listServerTools(_servers: ServerSpec[], _ctx: CommandContext): Promise<{
    tools: ToolDescriptor[];
    errors: Array<{ server: string; message: string }>;
}> {
    return { tools: [], errors: [] };
}

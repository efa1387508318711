/**
 * The MCP servers of a run (or of a `check --live`, a `lock`): one connection and
 * connector per declared server, the tools they list, and one place to close them.
 */
import type { ServerSpec, ToolDescriptor } from '../../model/model.js';
import type { Connector, ToolRegistry } from '../registry.js';
import { ToolError, toToolError } from '../tool-error.js';
import { McpConnection, type McpConnectionOptions } from './mcp-connection.js';
import { McpConnector } from './mcp-connector.js';
import { mcpToolDescriptor, withServerContract, type McpToolInfo } from './mcp-descriptor.js';

/** What `listAll` found: tools of the servers that answered, errors of the others. */
export interface McpListing {
    /** Descriptors of every listed tool, servers in declaration order. */
    tools: ToolDescriptor[];
    /** The raw listing per server that answered (for the schema lock). */
    servers: Record<string, McpToolInfo[]>;
    /** One entry per server that could not be reached or listed. */
    errors: Array<{ server: string; error: ToolError }>;
}

/** Connections and connectors for a set of ServerSpecs, by server name. */
export class McpConnectorPool {
    private readonly entries = new Map<string, { connection: McpConnection; connector: McpConnector }>();

    /** Throws on two servers with the same name (the language reports `duplicate-id`). */
    constructor(servers: readonly ServerSpec[], options: McpConnectionOptions = {}) {
        for (const spec of servers) {
            if (this.entries.has(spec.name)) {
                throw new Error(`MCP server '${spec.name}' is declared twice`);
            }
            const connection = new McpConnection(spec, options);
            this.entries.set(spec.name, { connection, connector: new McpConnector(connection, spec.failure) });
        }
    }

    /** Server names, in declaration order. */
    names(): string[] {
        return [...this.entries.keys()];
    }

    has(name: string): boolean {
        return this.entries.has(name);
    }

    connection(name: string): McpConnection | undefined {
        return this.entries.get(name)?.connection;
    }

    connectorFor(name: string): McpConnector | undefined {
        return this.entries.get(name)?.connector;
    }

    /**
     * The `connectors` of RunOptions: every server's connector, plus `extra` (say, a
     * custom `builtin`), which wins on a name clash.
     */
    connectors(extra?: ReadonlyMap<string, Connector>): Map<string, Connector> {
        const map = new Map<string, Connector>();
        for (const [name, { connector }] of this.entries) {
            map.set(name, connector);
        }
        for (const [name, connector] of extra ?? []) {
            map.set(name, connector);
        }
        return map;
    }

    /**
     * Lists every server's tools (servers in parallel; each opened if needed). Never
     * rejects: a server that fails lands in `errors` and the others still count.
     */
    async listAll(options?: { servers?: readonly string[]; signal?: AbortSignal }): Promise<McpListing> {
        const names = options?.servers ?? this.names();
        const settled = await Promise.all(
            names.map(async (name) => {
                const connection = this.connection(name);
                if (!connection) {
                    return { name, error: new ToolError('server-unavailable', `no MCP server '${name}' is declared`, { retryable: false }) };
                }
                try {
                    return { name, tools: await connection.listTools(options?.signal) };
                } catch (err) {
                    return { name, error: toToolError(err) };
                }
            }),
        );
        const listing: McpListing = { tools: [], servers: {}, errors: [] };
        for (const entry of settled) {
            if (entry.tools) {
                listing.servers[entry.name] = entry.tools;
                listing.tools.push(...entry.tools.map((t) => mcpToolDescriptor(entry.name, t)));
            } else {
                listing.errors.push({ server: entry.name, error: entry.error! });
            }
        }
        return listing;
    }

    /** Closes every open session (and stops stdio servers). Never rejects. */
    async closeAll(): Promise<void> {
        await Promise.all([...this.entries.values()].map(({ connection }) => connection.close().catch(() => undefined)));
    }
}

/**
 * Adds server-listed tools to a registry. A tool already there (declared with the
 * same id, or listed before) keeps its entry: a declaration's metadata wins. Tools
 * declared `via` a listed server take the server's contract (its schemas): what the
 * server publishes is what it will check. Returns how many were added.
 */
export function registerServerTools(registry: ToolRegistry, tools: readonly ToolDescriptor[]): number {
    let added = 0;
    const served = new Map(tools.map((t) => [`${t.via!.server}\u0000${t.via!.tool}`, t]));
    for (const tool of registry.all()) {
        const listed = tool.via ? served.get(`${tool.via.server}\u0000${tool.via.tool}`) : undefined;
        if (listed && tool.source !== 'server') {
            registry.add(withServerContract(tool, listed), { replace: true });
        }
    }
    for (const tool of tools) {
        if (!registry.has(tool.id)) {
            registry.add(tool);
            added++;
        }
    }
    return added;
}

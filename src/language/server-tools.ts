/**
 * What the checker knows of MCP servers' tools: the schema lock
 * (`.kmflow/schemas.lock.json`, offline) and, when asked, the live `tools/list`. Live
 * answers win; where both exist, tools whose schema changed since the lock drift.
 */
import { McpConnectorPool, type McpToolInfo } from '../engine/tools/index.js';
import type { ServerSpec, ToolDescriptor } from '../engine/model/index.js';
import { buildLock, diffLock, lockedDescriptors, readLock, type SchemaLock, type ToolDrift } from '../engine/state/index.js';

interface LiveState {
    tools?: ToolDescriptor[];
    infos?: McpToolInfo[];
    error?: string;
}

export class ServerToolCatalog {
    protected lock: SchemaLock | undefined;
    /** The workspace root whose `.kmflow/` the lock was read from (a test's cassettes live there too). */
    root: string | undefined;
    protected lockTools = new Map<string, ToolDescriptor[]>();
    protected live = new Map<string, LiveState>();
    protected driftCache: Map<string, ToolDrift> | undefined;
    /** Bumped on every change, so callers can cache per version. */
    version = 0;

    /** Reads `ROOT/.kmflow/schemas.lock.json`; a missing or broken lock counts as none. */
    async loadLock(root: string): Promise<string | undefined> {
        this.root = root;
        try {
            this.setLock(await readLock(root));
            return undefined;
        } catch (err) {
            this.setLock(undefined);
            return (err as Error).message;
        }
    }

    setLock(lock: SchemaLock | undefined): void {
        this.lock = lock;
        this.lockTools = new Map();
        for (const tool of lock ? lockedDescriptors(lock) : []) {
            const server = tool.via!.server;
            this.lockTools.set(server, [...(this.lockTools.get(server) ?? []), tool]);
        }
        this.changed();
    }

    /** Asks the servers for their tools, within `timeoutMs`; failures are remembered per server. */
    async fetchLive(servers: ServerSpec[], options: { root?: string; timeoutMs?: number } = {}): Promise<void> {
        if (servers.length === 0) {
            return;
        }
        const pool = new McpConnectorPool(servers, { root: options.root, connectTimeoutMs: options.timeoutMs ?? 10_000 });
        try {
            const listing = await pool.listAll({ signal: AbortSignal.timeout((options.timeoutMs ?? 10_000) + 2_000) });
            for (const server of servers) {
                const infos = listing.servers[server.name];
                const error = listing.errors.find((e) => e.server === server.name)?.error.message;
                this.live.set(server.name, infos
                    ? { infos, tools: listing.tools.filter((t) => t.via?.server === server.name) }
                    : { error: error ?? 'no answer' });
            }
        } finally {
            await pool.closeAll();
            this.changed();
        }
    }

    /** The tools of a server as best known (live, else locked), or undefined when unknown. */
    toolsOf(server: string): ToolDescriptor[] | undefined {
        return this.live.get(server)?.tools ?? this.lockTools.get(server);
    }

    /**
     * A server's tool as best known: live, else locked. A locked tool the live list no
     * longer has is still found (with its locked contract), so the step gets a
     * `schema-drift` warning saying it is gone rather than an `unknown-tool` error.
     */
    find(server: string, tool: string): ToolDescriptor | undefined {
        const byName = (t: ToolDescriptor): boolean => t.via?.tool === tool;
        return this.live.get(server)?.tools?.find(byName) ?? this.lockTools.get(server)?.find(byName);
    }

    /** Why a server's tools are unknown (its live error), if it was asked. */
    liveError(server: string): string | undefined {
        return this.live.get(server)?.error;
    }

    isLocked(server: string): boolean {
        return this.lockTools.has(server);
    }

    /** How a tool's contract changed between the lock and the live list. */
    drift(server: string, tool: string): ToolDrift | undefined {
        if (!this.driftCache) {
            this.driftCache = new Map();
            const liveInfos = Object.fromEntries([...this.live].filter(([, s]) => s.infos).map(([n, s]) => [n, s.infos!]));
            if (this.lock && Object.keys(liveInfos).length > 0) {
                for (const d of diffLock(this.lock, buildLock(liveInfos))) {
                    this.driftCache.set(`${d.server}\u0000${d.tool}`, d);
                }
            }
        }
        return this.driftCache.get(`${server}\u0000${tool}`);
    }

    protected changed(): void {
        this.driftCache = undefined;
        this.version++;
    }
}

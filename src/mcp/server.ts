/**
 * `kmflow mcp`: an MCP server over stdio with one tool, `km_ecosystem_orchestrator`.
 * The low-level `Server` with a plain JSON Schema (checked by ajv, as tool parameters
 * are everywhere else in kmflow): no schema library beyond what kmflow already uses.
 * Answers are JSON text content plus the same object as `structuredContent`; bad
 * arguments, invalid workflows, refusals and failed runs answer `isError: true`
 * (tool-answer.ts). Untrusted by default: what callers may do is the operator's grants.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadHistory } from '../engine/state/index.js';
import { RoutingStats } from '../engine/insight/index.js';
import { describeGrants, type McpGrants } from './grants.js';
import type { OperationContext } from './operations.js';
import { INPUT_SCHEMA, TOOL_NAME } from './orchestrator-args.js';
import { readRootServers, type RootServers } from './root-servers.js';
import { answerCall, errorResult } from './tool-answer.js';
import { saveCodeCacheNow } from '../shared/code-cache-hook.js';

export interface McpServerOptions {
    /** What callers may do: the root, and what the operator grants beyond it (grants.ts). */
    grants: McpGrants;
    version: string;
}

const DESCRIPTION = 'Orchestrates kmflow workflows (Keyboard Maestro and MCP tools): orchestrate runs one and answers ' +
    'with its run report; coordinate runs several at once on one shared resource pool; plan predicts the schedule; ' +
    'analyze reports graph, synergies, security and bottleneck candidates; optimize recommends changes with their ' +
    'predicted effect; monitor reports tool metrics and a health score from measured history. workflow_definition is ' +
    'kmflow source, {file, workflow}, or the seed\'s dictionary {workflow_id, steps: [{step_id, tool_id, parameters, ...}]}. ' +
    'Arguments override the workflow\'s own settings, which override the seed\'s defaults; answers say which applied (settings).';

/** Tool calls being answered (a closing client still gets its answers). */
let inFlight = 0;

/** How many tool calls are being answered now (a shutdown waits for them). */
export function callsInFlight(): number {
    return inFlight;
}

/** What every call works with; the HTTP face shares one among its sessions. */
export async function createOperationContext(options: McpServerOptions): Promise<OperationContext> {
    const log = (message: string): void => void process.stderr.write(`kmflow mcp: ${message}\n`);
    log(describeGrants(options.grants));
    return {
        grants: options.grants,
        // Read once, before any run: a file a caller's run writes in the root declares no server the face will start.
        rootServers: new RootServersOnce(options.grants.root),
        // Seeded with the recorded history once; then every call's measurements add to it.
        routing: new RoutingStats(await loadHistory(options.grants.root)),
        log,
    };
}

/**
 * The root's server declarations, read once: when the client says it is initialized (so
 * that `initialize` is answered without parsing the root first), or when a run asks first.
 */
class RootServersOnce implements PromiseLike<RootServers> {
    private reading: Promise<RootServers> | undefined;

    constructor(private readonly root: string) {}

    start(): Promise<RootServers> {
        return (this.reading ??= readRootServers(this.root));
    }

    then<A = RootServers, B = never>(ok?: ((value: RootServers) => A | PromiseLike<A>) | null,
        fail?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
        return this.start().then(ok, fail);
    }
}

/** The server, not yet connected (tests may connect it to any transport); `shared`: a context made before. */
export async function createOrchestratorServer(options: McpServerOptions, shared?: OperationContext): Promise<Server> {
    const server = new Server({ name: 'kmflow', version: options.version }, { capabilities: { tools: {} } });
    const ctx = shared ?? await createOperationContext(options);
    server.oninitialized = () => {
        if (ctx.rootServers instanceof RootServersOnce) {
            const once = ctx.rootServers;
            setImmediate(() => void once.start().catch(() => undefined));
        }
    };
    server.setRequestHandler(ListToolsRequestSchema, () => ({
        tools: [{ name: TOOL_NAME, description: DESCRIPTION, inputSchema: INPUT_SCHEMA as { type: 'object' } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
        inFlight++;
        try {
            return await callTool(request.params.name, request.params.arguments ?? {});
        } finally {
            inFlight--;
        }
    });
    const callTool = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
        if (name !== TOOL_NAME) {
            return errorResult([`unknown tool '${name}'; this server has '${TOOL_NAME}'`]);
        }
        return answerCall(args, ctx);
    };
    return server;
}

/** Serves on stdin/stdout until the client goes away (and its last calls are answered). */
export async function serveStdio(options: McpServerOptions): Promise<void> {
    const server = await createOrchestratorServer(options);
    const transport = new StdioServerTransport();
    // The launcher's code cache (cli/launch.ts) is written before the first answer, with the
    // code start-up ran: a client that stops the server as soon as it is answered still
    // leaves one (a later start, which has it, writes none).
    const send = transport.send.bind(transport);
    transport.send = (...args) => {
        transport.send = send;
        saveCodeCacheNow();
        return send(...args);
    };
    await server.connect(transport);
    // A client may write its last request and close stdin at once: the answer still goes out.
    await new Promise<void>((resolve) => {
        server.onclose = () => resolve();
        process.stdin.once('end', () => {
            const wait = (): void => {
                if (inFlight === 0) {
                    resolve();
                } else {
                    setTimeout(wait, 20);
                }
            };
            wait();
        });
    });
    await server.close().catch(() => undefined);
}

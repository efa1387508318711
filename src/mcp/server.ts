/**
 * `kmflow mcp`: an MCP server over stdio with one tool, `km_ecosystem_orchestrator`.
 * The low-level `Server` with a plain JSON Schema (checked by ajv, as tool parameters
 * are everywhere else in kmflow): no schema library beyond what kmflow already uses.
 * Answers are JSON text content plus the same object as `structuredContent`; bad
 * arguments and invalid workflows answer `isError: true` with one line per problem.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadHistory } from '../engine/history/index.js';
import { validateParams } from '../engine/param-schema.js';
import { RoutingStats } from '../engine/routing.js';
import { performOperation, type OperationContext } from './operations.js';
import { INPUT_SCHEMA, TOOL_NAME, type OrchestratorArgs } from './orchestrator-args.js';
import type { PathDiagnostic } from './seed-dictionary-definition.js';

export interface McpServerOptions {
    root: string;
    allowExec: boolean;
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

/** An error answer: one line per problem; a dictionary definition's also as `{diagnostics: [{path, severity, code, message}]}`. */
function errorResult(lines: string[], diagnostics?: PathDiagnostic[]): CallToolResult {
    return { isError: true, content: [{ type: 'text', text: lines.join('\n') }], ...(diagnostics ? { structuredContent: { diagnostics } } : {}) };
}

/** What every call works with; the HTTP face shares one among its sessions. */
export async function createOperationContext(options: McpServerOptions): Promise<OperationContext> {
    return {
        root: options.root,
        allowExec: options.allowExec,
        // Seeded with the recorded history once; then every call's measurements add to it.
        routing: new RoutingStats(await loadHistory(options.root)),
        log: (message) => process.stderr.write(`kmflow mcp: ${message}\n`),
    };
}

/** The server, not yet connected (tests may connect it to any transport); `shared`: a context made before. */
export async function createOrchestratorServer(options: McpServerOptions, shared?: OperationContext): Promise<Server> {
    const server = new Server({ name: 'kmflow', version: options.version }, { capabilities: { tools: {} } });
    const ctx = shared ?? await createOperationContext(options);
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
        const problems = validateParams(INPUT_SCHEMA, args);
        if (problems.length > 0) {
            return errorResult(problems.map((p) => `invalid arguments: ${p.message}`));
        }
        try {
            const result = await performOperation(args as unknown as OrchestratorArgs, ctx);
            if (!result.ok) {
                return errorResult(result.lines, result.diagnostics);
            }
            return { content: [{ type: 'text', text: JSON.stringify(result.value, null, 2) }], structuredContent: result.value };
        } catch (err) {
            // An engine bug must not take the server down: the caller gets one line.
            return errorResult([`${(args as { operation?: string }).operation ?? 'call'} failed: ${err instanceof Error ? err.message : String(err)}`]);
        }
    };
    return server;
}

/** Serves on stdin/stdout until the client goes away (and its last calls are answered). */
export async function serveStdio(options: McpServerOptions): Promise<void> {
    const server = await createOrchestratorServer(options);
    const transport = new StdioServerTransport();
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

/**
 * The Connector of one MCP server: what the scheduler calls for every step whose tool
 * runs `via` that server.
 */
import type { FailureRule, ToolDescriptor } from '../../model/model.js';
import type { Connector, ToolContext, ToolResult } from '../registry.js';
import { ToolError } from '../tool-error.js';
import type { McpConnection } from './mcp-connection.js';
import { toToolResult } from './mcp-output.js';
import { checkFailureRule } from './failure-rule.js';

/**
 * What an McpConnector calls through: a live McpConnection, or a stand-in at the same
 * boundary (a cassette's recording or replaying caller, `state/recordings`).
 */
export type McpCaller = Pick<McpConnection, 'name' | 'trustProblem' | 'callTool' | 'close'>;

/** Calls tools on one MCP server through a shared, lazily opened McpConnection. */
export class McpConnector implements Connector {
    /** `serverFailure`: the server's `failure` rule, for tools without their own. */
    constructor(readonly connection: McpCaller, private readonly serverFailure?: FailureRule) {}

    /**
     * Calls `tool.via.tool` (else the part of `tool.id` after the server name). The
     * step's signal becomes MCP cancellation; progress notifications go to
     * `ctx.progress`. Output per language.md; failures are ToolErrors, including a
     * normal result that the tool's (else the server's) `failure` rule calls failed.
     */
    async call(tool: ToolDescriptor, params: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
        if (tool.status === 'spec' || tool.status === 'removed') {
            // A catalog entry for a tool the server does not implement yet: fail
            // without bothering (or starting) the server.
            throw new ToolError('not-implemented', tool.status === 'spec'
                ? `tool '${tool.id}' is only specified (status spec): MCP server '${this.connection.name}' does not implement it`
                : `tool '${tool.id}' was removed from MCP server '${this.connection.name}'${tool.replacedBy ? `; use '${tool.replacedBy}'` : ''}`);
        }
        // The run's own Trust, whatever the pool was opened with.
        const denied = this.connection.trustProblem(ctx.trust);
        if (denied) {
            throw denied;
        }
        const name = tool.via?.tool ?? stripServer(tool.id, this.connection.name);
        const result = await this.connection.callTool(name, params, {
            toolId: tool.id,
            signal: ctx.signal,
            onProgress: (p) => ctx.progress(p),
            stepTimeoutMs: ctx.timeoutMs,
            context: ctx,
        });
        const answer = toToolResult(result, tool.id);
        checkFailureRule(tool.failure ?? this.serverFailure, answer.output, tool.id);
        return answer;
    }

    close(): Promise<void> {
        return this.connection.close();
    }
}

function stripServer(id: string, server: string): string {
    return id.startsWith(`${server}.`) ? id.slice(server.length + 1) : id;
}

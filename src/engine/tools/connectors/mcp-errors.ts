/**
 * What went wrong with a `tools/call`, as a ToolError the retry policy and the report
 * understand: cancelled or timed out (by us), disconnected (the server went away),
 * refused parameters, or the tool's own failure.
 */
import { ToolError } from '../tool-error.js';

/** What the mapping needs to know about the call. */
export interface CallErrorContext {
    server: string;
    toolId: string;
    signal: AbortSignal;
    /** Recent stderr of a stdio server (quoted when it went away). */
    stderrTail?: string;
    /** The connection saw its transport close while the call was pending. */
    disconnected?: boolean;
    /** The server's `timeout` was the call's limit (the step has none of its own). */
    serverTimeoutMs?: number;
}

function isAbortLike(reason: unknown): reason is { name: string; message?: string } {
    return typeof reason === 'object' && reason !== null && typeof (reason as { name?: unknown }).name === 'string';
}

/** The ToolError for a call that ended because its signal aborted. */
export function abortError(signal: AbortSignal, toolId: string): ToolError {
    const reason: unknown = signal.reason;
    if (reason instanceof ToolError) {
        // The engine aborts with its own error (step timeout, fail_fast): keep it.
        return reason;
    }
    if (isAbortLike(reason) && reason.name === 'TimeoutError') {
        return new ToolError('timeout', `${toolId}: timed out (${reason.message ?? 'the signal timed out'})`, { cause: reason });
    }
    return new ToolError('cancelled', `${toolId}: the call was cancelled`, { cause: reason });
}

/** Turns anything a call threw into a ToolError. */
/**
 * The SDK's error codes (its `ErrorCode`), here so that knowing an error needs no SDK: the
 * SDK's types module builds every schema of the protocol when it loads.
 */
export const McpErrorCode = {
    ConnectionClosed: -32000,
    RequestTimeout: -32001,
    InvalidRequest: -32600,
    MethodNotFound: -32601,
    InvalidParams: -32602,
} as const;

/** An error as the SDK's client throws it: its McpError (every one is named so), known by shape. */
export function isMcpError(err: unknown): err is Error & { code: number; data?: unknown } {
    return err instanceof Error && err.name === 'McpError' && typeof (err as { code?: unknown }).code === 'number';
}

/** An error as the SDK's client would throw it (its McpError's message, name, code and data). */
export function mcpError(code: number, message: string, data?: unknown): Error & { code: number; data?: unknown } {
    return Object.assign(new Error(`MCP error ${code}: ${message}`), { name: 'McpError', code, data });
}

export function callError(err: unknown, ctx: CallErrorContext): ToolError {
    if (ctx.signal.aborted) {
        return abortError(ctx.signal, ctx.toolId);
    }
    if (err instanceof ToolError) {
        return err;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (ctx.disconnected || (isMcpError(err) && err.code === McpErrorCode.ConnectionClosed) || message === 'Not connected') {
        const tail = ctx.stderrTail ? `\nstderr:\n${ctx.stderrTail}` : '';
        return new ToolError(
            'disconnected',
            `${ctx.toolId}: MCP server '${ctx.server}' disconnected during the call (the next call starts a new session)${tail}`,
            { retryable: true, cause: err },
        );
    }
    if (isMcpError(err)) {
        switch (err.code) {
            case McpErrorCode.RequestTimeout:
                if (ctx.serverTimeoutMs !== undefined) {
                    return new ToolError(
                        'timeout',
                        `${ctx.toolId}: no answer from MCP server '${ctx.server}' within ${ctx.serverTimeoutMs} ms (the server's \`timeout\`); ` +
                            'give the step a `timeout` of its own, or raise the server\'s',
                        { cause: err },
                    );
                }
                return new ToolError('timeout', `${ctx.toolId}: no answer from MCP server '${ctx.server}' (${err.message})`, { cause: err });
            case McpErrorCode.InvalidParams:
                // The SDK reuses InvalidParams for a result that breaks the output schema:
                // that is the tool's fault, not the caller's.
                if (/structured content/i.test(err.message)) {
                    return new ToolError('tool-error', `${ctx.toolId}: ${err.message}`, { retryable: false, cause: err });
                }
                return new ToolError('invalid-param', `${ctx.toolId}: ${err.message}`, { cause: err });
            case McpErrorCode.MethodNotFound:
                return new ToolError('not-found', `${ctx.toolId}: MCP server '${ctx.server}' does not serve it (${err.message})`, { cause: err });
            default:
                // A protocol-level error (not `isError`): may be a hiccup, let policy decide.
                return new ToolError('tool-error', `${ctx.toolId}: ${err.message}`, { retryable: true, cause: err });
        }
    }
    return new ToolError('tool-error', `${ctx.toolId}: ${message}`, { retryable: true, cause: err });
}

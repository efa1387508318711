/**
 * A cassette: the MCP calls of a recorded run, plain JSON (`cassette-file.ts` writes it
 * with a stable key order, 2-space indent). `version` changes whenever the shape does; a
 * reader refuses any other (`CassetteError`).
 *
 * ```json
 * { "version": 1, "workflows": ["demo"],
 *   "servers": { "ev": { "tools": [ MCP tools/list entries ] } },
 *   "interactions": [
 *     { "server": "ev", "tool": "echo", "step": "greet", "arguments": { "message": "hi" },
 *       "annotations": { "readOnlyHint": true }, "durationMs": 3, "result": { CallToolResult } },
 *     { "server": "ev", "tool": "get-sum", "step": "sum", "arguments": { "a": 1, "b": 2 },
 *       "attempts": [ { "durationMs": 2, "error": { "code": "disconnected", "message": "…" } },
 *                     { "durationMs": 3, "result": { … } } ] } ] }
 * ```
 *
 * Interactions are grouped by server and tool (both sorted), in call order within each.
 * A call retried by its step is one interaction whose `attempts` lists every call; a call
 * made once has its `durationMs` and `result` or `error` inline.
 */
import type { McpToolAnnotations, McpToolInfo } from '../../tools/connectors/mcp-descriptor.js';
import type { McpCallResult } from '../../tools/connectors/mcp-output.js';

/** The cassette format this build reads and writes. */
export const CASSETTE_VERSION = 1;

/** A call that failed at the MCP boundary (a transport error, a timeout, a protocol error). */
export interface RecordedError {
    code: string;
    message: string;
    /** Present only when whoever raised the error said so (`ToolError.retryableMarked`). */
    retryable?: boolean;
    advice?: string;
    details?: Record<string, unknown>;
}

/** One call's outcome: the server's CallToolResult, or the error it failed with. */
export interface RecordedAttempt {
    durationMs: number;
    result?: McpCallResult;
    error?: RecordedError;
}

/** One `tools/call` (with its retries, if the step retried it). */
export interface Interaction {
    server: string;
    /** The tool's name as the server spells it (`echo`, not `ev.echo`). */
    tool: string;
    /** The step that made the call (information only: matching ignores it). */
    step?: string;
    /** The arguments, secrets masked, keys sorted. */
    arguments: Record<string, unknown>;
    /** The tool's annotations as the server listed them. */
    annotations?: McpToolAnnotations;
    /** A single call: its duration and outcome. */
    durationMs?: number;
    result?: McpCallResult;
    error?: RecordedError;
    /** A retried call: every attempt, in order (then the fields above are absent). */
    attempts?: RecordedAttempt[];
}

/** What a server listed when the run started. */
export interface RecordedServer {
    tools: McpToolInfo[];
}

export interface Cassette {
    version: number;
    /** Ids of the workflows whose run was recorded. */
    workflows: string[];
    /** Servers by name. */
    servers: Record<string, RecordedServer>;
    interactions: Interaction[];
    /** Where it was read from (`readCassette`); never written. */
    file?: string;
}

/** A cassette that cannot be used: unreadable, not JSON, another version or malformed. */
export class CassetteError extends Error {
    override readonly name = 'CassetteError';

    constructor(readonly file: string, readonly reason: string) {
        super(`cassette ${file}: ${reason}`);
    }
}

/** The attempts of an interaction, a single call's included. */
export function attemptsOf(interaction: Interaction): RecordedAttempt[] {
    if (interaction.attempts) {
        return interaction.attempts;
    }
    return [{
        durationMs: interaction.durationMs ?? 0,
        ...(interaction.result !== undefined && { result: interaction.result }),
        ...(interaction.error !== undefined && { error: interaction.error }),
    }];
}

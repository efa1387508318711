/**
 * A `tools/call` answer as a step's output (language.md): `structuredContent` when the
 * server sends one, else its text content (parts joined, parsed as JSON when it is
 * JSON); the raw CallToolResult becomes `STEP.result`. An `isError` answer fails.
 */
import type { ToolResult } from '../registry.js';
import { ToolError } from '../tool-error.js';

/** The fields of an MCP CallToolResult the engine reads. */
export interface McpCallResult {
    content?: Array<{ type: string; text?: string; [key: string]: unknown }>;
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
    _meta?: Record<string, unknown>;
    [key: string]: unknown;
}

/** Joined text parts of a result ('' when it has none). */
export function resultText(result: McpCallResult): string {
    const parts: string[] = [];
    for (const block of result.content ?? []) {
        if (block.type === 'text' && typeof block.text === 'string') {
            parts.push(block.text);
        }
    }
    // Newline, not '': separate parts are separate messages, and a reader of the
    // report should see them apart.
    return parts.join('\n');
}

/** `text` parsed as JSON when it is a JSON document, else `text` itself. */
export function parseIfJson(text: string): unknown {
    const trimmed = text.trim();
    // Only try what can start a JSON document: no exception per ordinary sentence.
    if (trimmed === '' || !/^[{["\-\d]|^(true|false|null)$/.test(trimmed)) {
        return text;
    }
    try {
        return JSON.parse(trimmed) as unknown;
    } catch {
        return text;
    }
}

/** A step's output from a successful result. */
export function resultOutput(result: McpCallResult): unknown {
    if (result.structuredContent !== undefined && result.structuredContent !== null) {
        return result.structuredContent;
    }
    const hasText = (result.content ?? []).some((b) => b.type === 'text');
    if (hasText) {
        return parseIfJson(resultText(result));
    }
    // Images, audio, resources only: hand the blocks over rather than lose them.
    return result.content && result.content.length > 0 ? result.content : null;
}

/**
 * Whether a failed result says a retry may succeed. MCP has no standard flag for it;
 * we read `_meta.retryable` (a boolean), and treat anything else as permanent: a tool
 * that answered with an error is likely to answer the same way again.
 */
export function resultRetryable(result: McpCallResult): boolean {
    return result._meta?.retryable === true;
}

/**
 * The ToolResult of a `tools/call` answer; throws a ToolError (`tool-error`, with the
 * server's text) for an `isError` answer.
 */
export function toToolResult(result: McpCallResult, toolId: string): ToolResult {
    if (result.isError) {
        const text = resultText(result).trim() || 'the tool reported an error without a message';
        throw new ToolError('tool-error', `${toolId}: ${text}`, { retryable: resultRetryable(result) });
    }
    return { output: resultOutput(result), raw: result };
}

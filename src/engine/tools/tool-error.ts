/**
 * The one error type tools and the engine throw for a failed call. A code the report,
 * retry policy and CLI can switch on, and a `retryable` flag so the retry loop never has
 * to guess from a message.
 */

/** Stable error codes. Tools may use others; these are the ones the engine knows. */
export type ToolErrorCode =
    | 'timeout'
    | 'exit'
    | 'invalid-param'
    | 'disconnected'
    | 'not-implemented'
    | 'cancelled'
    | 'denied'
    | 'tool-error'
    | 'assertion'
    | 'expression'
    | 'not-found'
    | 'http-status'
    | (string & {});

/**
 * Codes that never succeed on a plain retry: the same call would fail the same way.
 * `not-found` is not one: a file or record another step or process creates appears
 * later, and polling for it with `retry` is a common pattern. (`errors adaptive` still
 * retries only transient codes.)
 */
const PERMANENT = new Set<string>(['invalid-param', 'not-implemented', 'denied', 'assertion', 'expression', 'cancelled']);

/** An error from a tool call (or from the engine on the tool's behalf). */
export class ToolError extends Error {
    override readonly name = 'ToolError';
    readonly code: ToolErrorCode;
    readonly retryable: boolean;
    /**
     * Whoever raised it said `retryable` explicitly (an MCP `isError` result with
     * `_meta.retryable`, a connector's judgement), rather than leaving the default.
     * `errors adaptive` retries such errors; defaulted ones only for transient codes.
     */
    readonly retryableMarked: boolean;
    /** What the tool advises to do about it (a server's `recovery_suggestion`). */
    readonly advice?: string;
    /** The tool's own description of the error (its `error` object), as it gave it. */
    readonly details?: Record<string, unknown>;

    /**
     * @param retryable defaults to false for codes that cannot heal by themselves
     * (invalid parameters, denials, assertions) and true otherwise.
     */
    constructor(code: ToolErrorCode, message: string, options?: {
        retryable?: boolean; cause?: unknown; advice?: string; details?: Record<string, unknown>;
    }) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.code = code;
        this.retryable = options?.retryable ?? !PERMANENT.has(code);
        this.retryableMarked = options?.retryable !== undefined;
        if (options?.advice !== undefined) {
            this.advice = options.advice;
        }
        if (options?.details !== undefined) {
            this.details = options.details;
        }
    }
}

/**
 * Turns anything thrown into a ToolError. A foreign error that carries a string `code`
 * and/or boolean `retryable` keeps them (connectors built on other libraries do this);
 * anything else becomes a retryable `tool-error`.
 */
export function toToolError(err: unknown): ToolError {
    if (err instanceof ToolError) {
        return err;
    }
    if (err instanceof Error) {
        const e = err as Error & { code?: unknown; retryable?: unknown };
        // Node's own codes (ENOENT, ERR_...) are upper case and mean nothing to a user of
        // the report; ours are lower-case words.
        const code = typeof e.code === 'string' && /^[a-z][a-z-]*$/.test(e.code) ? e.code : 'tool-error';
        const retryable = typeof e.retryable === 'boolean' ? e.retryable : undefined;
        return new ToolError(code, err.message, { retryable, cause: err });
    }
    return new ToolError('tool-error', typeof err === 'string' ? err : safeString(err));
}

function safeString(value: unknown): string {
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

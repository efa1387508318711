/**
 * How large an MCP message may be, and the error of one that is larger: what a call
 * needs to know of the read buffer (mcp-line-buffer.ts) without loading it and the SDK's
 * message schemas with it.
 */
import { formatBytes } from '../../run/output-limit.js';

/** The largest message read for an output limit of `outputLimit` bytes. */
export function messageLimitFor(outputLimit: number): number {
    return 4 * outputLimit + 1024 * 1024;
}

/** A message that grew past the buffer's limit before its end arrived. */
export class MessageTooLargeError extends Error {
    override readonly name = 'MessageTooLargeError';
    constructor(
        readonly bytes: number,
        readonly limit: number,
    ) {
        super(`an MCP message of more than ${formatBytes(bytes)} (the limit is ${formatBytes(limit)})`);
    }
}

/** `error` as a MessageTooLargeError: ours, or the SDK's own buffer overflowing ("ReadBuffer exceeded maximum size of N bytes"). */
export function asTooLarge(error: unknown): MessageTooLargeError | undefined {
    if (error instanceof MessageTooLargeError) {
        return error;
    }
    const m = error instanceof Error ? /ReadBuffer exceeded maximum size of (\d+) bytes/.exec(error.message) : null;
    return m ? new MessageTooLargeError(Number(m[1]), Number(m[1])) : undefined;
}

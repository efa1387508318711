/**
 * The read buffer of a stdio MCP session, in place of the SDK's. The SDK's caps a
 * message at 10 MB and copies the whole buffer on every 64 KB chunk (quadratic: a
 * 50 MB answer is gigabytes of copying), and a message over its cap closes the session
 * with nothing but "disconnected" to show for it.
 *
 * This one keeps the chunks of the line being received and joins them once, when its
 * newline arrives. A line that grows past `maxBytes` throws MessageTooLargeError from
 * `append` (the SDK then reports it through `onerror` and closes the session, which
 * `McpConnection` turns into `output-too-large`). `maxBytes` follows the output limit:
 * an answer can hold its output twice (text and structured content) and JSON escapes
 * add more, so messages up to four times the limit are read and the output itself is
 * then checked by the engine.
 */
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// The limits and their error live apart (mcp-message-limit.ts): a call's code needs them
// without this module, which loads the SDK's message schemas.
export { asTooLarge, messageLimitFor, MessageTooLargeError } from './mcp-message-limit.js';
import { MessageTooLargeError } from './mcp-message-limit.js';

const NEWLINE = 0x0a;

export class LineBuffer {
    /** Complete lines not read yet. */
    private readonly lines: Buffer[] = [];
    /** The pieces of the line still being received. */
    private partial: Buffer[] = [];
    private partialBytes = 0;

    constructor(private readonly maxBytes: number) {}

    append(chunk: Buffer): void {
        let start = 0;
        for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
            this.partial.push(chunk.subarray(start, nl));
            this.lines.push(this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial));
            this.partial = [];
            this.partialBytes = 0;
            start = nl + 1;
        }
        if (start < chunk.length) {
            this.partial.push(chunk.subarray(start));
            this.partialBytes += chunk.length - start;
            if (this.partialBytes > this.maxBytes) {
                const bytes = this.partialBytes;
                this.clear();
                throw new MessageTooLargeError(bytes, this.maxBytes);
            }
        }
    }

    readMessage(): JSONRPCMessage | null {
        const line = this.lines.shift();
        return line === undefined ? null : deserializeMessage(line.toString('utf8').replace(/\r$/, ''));
    }

    clear(): void {
        this.lines.length = 0;
        this.partial = [];
        this.partialBytes = 0;
    }
}

/**
 * Puts a LineBuffer of `maxBytes` in `transport` (the SDK keeps its buffer in the
 * private `_readBuffer`; if that ever changes, the SDK's own buffer stays, capped at
 * `maxBufferSize`, which the caller sets to the same limit).
 */
export function useLineBuffer(transport: StdioClientTransport, maxBytes: number): void {
    const holder = transport as unknown as { _readBuffer?: unknown };
    if (holder._readBuffer !== undefined) {
        holder._readBuffer = new LineBuffer(maxBytes);
    }
}

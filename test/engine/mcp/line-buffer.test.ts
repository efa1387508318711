/** The stdio read buffer that replaces the SDK's (`mcp-line-buffer.ts`). */
import { describe, expect, it } from 'vitest';
import { asTooLarge, LineBuffer, MessageTooLargeError } from '../../../src/engine/tools/connectors/mcp-line-buffer.js';

const message = (id: number, text = ''): string => `${JSON.stringify({ jsonrpc: '2.0', id, result: { text } })}\n`;

function drain(buffer: LineBuffer): unknown[] {
    const out: unknown[] = [];
    for (let m = buffer.readMessage(); m !== null; m = buffer.readMessage()) {
        out.push(m);
    }
    return out;
}

describe('LineBuffer', () => {
    it('reads messages split across chunks and several in one chunk', () => {
        const buffer = new LineBuffer(1024);
        const text = message(1, 'a') + message(2, 'b') + message(3, 'c');
        buffer.append(Buffer.from(text.slice(0, 10)));
        expect(buffer.readMessage()).toBeNull();
        buffer.append(Buffer.from(text.slice(10, 60)));
        buffer.append(Buffer.from(text.slice(60)));
        expect(drain(buffer).map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
    });

    it('throws MessageTooLargeError once a line grows past its limit, then reads on', () => {
        const buffer = new LineBuffer(100);
        const big = message(1, 'x'.repeat(500));
        expect(() => {
            for (let i = 0; i < big.length; i += 40) {
                buffer.append(Buffer.from(big.slice(i, i + 40)));
            }
        }).toThrow(MessageTooLargeError);
        buffer.append(Buffer.from(message(2)));
        expect(drain(buffer)).toEqual([{ jsonrpc: '2.0', id: 2, result: { text: '' } }]);
    });

    it("recognises the SDK's own overflow too", () => {
        expect(asTooLarge(new Error('ReadBuffer exceeded maximum size of 10485760 bytes'))).toMatchObject({ bytes: 10485760 });
        expect(asTooLarge(new Error('something else'))).toBeUndefined();
    });
});

/**
 * `file.read`, `file.write`, `file.list`, `file.delete`: confined to the workspace root.
 * `confine.ts` decides which path a user's path means; `beneath.ts` opens exactly that,
 * one component at a time from the opened root and never through a symlink, so a folder
 * swapped for a link mid-call cannot carry a read, write or delete outside (`tree.ts`
 * does the same for recursive listing and deleting). Only regular files are read or
 * written (`withFile` opens without blocking and refuses FIFOs, devices and folders), and
 * `file.read` refuses a file over the output limit by its size before reading a byte.
 */
import type { FileHandle } from 'node:fs/promises';
import type { BuiltinTool } from './builtin-tool.js';
import { APPEND, READ, WRITE, walk, closeDir, withBeneath, withFile, withParent } from './beneath.js';
import { listTree, removeEntry } from './tree.js';
import { ToolError } from '../tool-error.js';
import { DEFAULT_MAX_OUTPUT_BYTES, outputTooLarge } from '../../run/output-limit.js';

const pathParam = { type: 'string', minLength: 1, description: 'Relative to the workspace root (or absolute inside it).' };

export const fileReadTool: BuiltinTool = {
    id: 'file.read',
    title: 'Read a file in the workspace',
    category: 'data_management',
    capabilities: ['file_read'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: {
            path: pathParam,
            encoding: { enum: ['utf8', 'base64'], default: 'utf8' },
        },
        required: ['path'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        const p = params.path as string;
        const base64 = params.encoding === 'base64';
        const limit = ctx.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
        const data = await withBeneath(ctx.root, p, 'file.read', (b) => withFile(b, READ, (fh) => readBounded(fh, p, limit, base64, ctx.signal)));
        const content = data.toString(base64 ? 'base64' : 'utf8');
        return { output: { path: p, content, bytes: data.length } };
    },
};

const CHUNK = 1024 * 1024;

/**
 * The file's bytes, if its content fits the output limit: refused by its size before
 * reading, and cut off (refused too) should it grow past the limit while it is read.
 */
async function readBounded(fh: FileHandle, userPath: string, limit: number, base64: boolean, signal: AbortSignal): Promise<Buffer> {
    // Base64 makes 4 characters of every 3 bytes.
    const maxBytes = base64 ? Math.floor(limit / 4) * 3 : limit;
    const what = `file.read: '${userPath}'${base64 ? ' as base64' : ''}`;
    const outputSize = (bytes: number): number => (base64 ? Math.ceil(bytes / 3) * 4 : bytes);
    const { size } = await fh.stat();
    if (size > maxBytes) {
        throw outputTooLarge(what, outputSize(size), limit);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
        signal.throwIfAborted();
        // Sized to what stat said is left (plus one byte to see the end), at most a chunk.
        const want = Math.min(CHUNK, maxBytes + 1 - total, Math.max(size - total + 1, 16 * 1024));
        const { bytesRead, buffer } = await fh.read({ buffer: Buffer.allocUnsafe(want) });
        if (bytesRead === 0) {
            return Buffer.concat(chunks, total);
        }
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) {
            throw outputTooLarge(what, outputSize(total), limit, true);
        }
    }
}

export const fileWriteTool: BuiltinTool = {
    id: 'file.write',
    title: 'Write a file in the workspace',
    category: 'data_management',
    capabilities: ['file_write'],
    security: 'standard',
    readOnly: false,
    inputSchema: {
        type: 'object',
        properties: {
            path: pathParam,
            content: { description: 'A string is written as is; anything else as indented JSON.' },
            append: { type: 'boolean', default: false },
        },
        required: ['path', 'content'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        const p = params.path as string;
        const content = typeof params.content === 'string' ? params.content : `${JSON.stringify(params.content, null, 2)}\n`;
        const append = params.append === true;
        // Missing folders are created, like `> out/x.json` users expect from CI tools.
        await withBeneath(ctx.root, p, 'file.write', (b) =>
            withFile(b, append ? APPEND : WRITE, async (fh) => {
                if (!append) {
                    await fh.truncate(0);
                }
                await fh.writeFile(content, { signal: ctx.signal });
            }),
        );
        return { output: { path: p, bytes: Buffer.byteLength(content) } };
    },
};

export const fileListTool: BuiltinTool = {
    id: 'file.list',
    title: 'List a folder in the workspace',
    category: 'data_management',
    capabilities: ['file_list'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: { path: { ...pathParam, default: '.' }, recursive: { type: 'boolean', default: false } },
        additionalProperties: false,
    },
    async run(params, ctx) {
        const p = (params.path as string | undefined) ?? '.';
        const entries = await withBeneath(ctx.root, p, 'file.list', async (b) => {
            const dir = await walk(b, b.parts);
            try {
                return await listTree(b, dir, params.recursive === true, { signal: ctx.signal, maxBytes: ctx.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES });
            } finally {
                await closeDir(b, dir);
            }
        });
        const list = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { output: { path: p, entries: list } };
    },
};

export const fileDeleteTool: BuiltinTool = {
    id: 'file.delete',
    title: 'Delete a file or folder in the workspace',
    category: 'data_management',
    capabilities: ['file_delete'],
    security: 'standard',
    readOnly: false,
    destructive: true,
    inputSchema: {
        type: 'object',
        properties: {
            path: pathParam,
            recursive: { type: 'boolean', default: false, description: 'Needed to delete a non-empty folder.' },
        },
        required: ['path'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        const p = params.path as string;
        const existed = await withBeneath(ctx.root, p, 'file.delete', (b) => {
            if (b.parts.length === 0) {
                throw new ToolError('denied', 'file.delete: refusing to delete the workspace root');
            }
            // A missing file is not an error: deleting is idempotent (compensations rely on it).
            return withParent(b, false, (dir, name) => removeEntry(b, dir, name, params.recursive === true, ctx.signal)).catch((err: unknown) => {
                if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
                    return false;
                }
                throw err;
            });
        });
        return { output: { path: p, deleted: existed } };
    },
};

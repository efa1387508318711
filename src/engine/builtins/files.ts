/**
 * `file.read`, `file.write`, `file.list`, `file.delete`: confined to the workspace root.
 * `confine.ts` decides which path a user's path means; `beneath.ts` opens exactly that,
 * one component at a time from the opened root and never through a symlink, so a folder
 * swapped for a link mid-call cannot carry a read, write or delete outside (`tree.ts`
 * does the same for recursive listing and deleting).
 */
import type { BuiltinTool } from './builtin-tool.js';
import { APPEND, READ, WRITE, walk, closeDir, withBeneath, withFile, withParent } from './beneath.js';
import { listTree, removeEntry } from './tree.js';
import { ToolError } from '../tool-error.js';

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
        const data = await withBeneath(ctx.root, p, 'file.read', (b) => withFile(b, READ, (fh) => fh.readFile({ signal: ctx.signal })));
        const content = data.toString(params.encoding === 'base64' ? 'base64' : 'utf8');
        return { output: { path: p, content, bytes: data.length } };
    },
};

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
                return await listTree(b, dir, params.recursive === true);
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
            return withParent(b, false, (dir, name) => removeEntry(b, dir, name, params.recursive === true)).catch((err: unknown) => {
                if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
                    return false;
                }
                throw err;
            });
        });
        return { output: { path: p, deleted: existed } };
    },
};

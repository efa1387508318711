/**
 * `file.read`, `file.write`, `file.list`, `file.delete`: confined to the workspace root
 * (see `confine.ts`).
 */
import { mkdir, readFile, readdir, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { BuiltinTool } from './builtin-tool.js';
import { confinedPath } from './confine.js';
import { ToolError } from '../tool-error.js';

const pathParam = { type: 'string', minLength: 1, description: 'Relative to the workspace root (or absolute inside it).' };

function notFound(tool: string, p: string, err: unknown): never {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ToolError('not-found', `${tool}: '${p}' does not exist`, { cause: err });
    }
    throw err;
}

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
        const full = await confinedPath(ctx.root, p, 'file.read');
        const data = await readFile(full, { signal: ctx.signal }).catch((err) => notFound('file.read', p, err));
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
        const full = await confinedPath(ctx.root, p, 'file.write');
        const content = typeof params.content === 'string' ? params.content : `${JSON.stringify(params.content, null, 2)}\n`;
        // Missing folders are created, like `> out/x.json` users expect from CI tools.
        await mkdir(path.dirname(full), { recursive: true });
        if (params.append === true) {
            await appendFile(full, content);
        } else {
            await writeFile(full, content, { signal: ctx.signal });
        }
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
        const full = await confinedPath(ctx.root, p, 'file.list');
        const entries = await readdir(full, { withFileTypes: true, recursive: params.recursive === true }).catch((err) =>
            notFound('file.list', p, err),
        );
        const list = entries
            .map((e) => {
                const parent = (e as { parentPath?: string; path?: string }).parentPath ?? (e as { path?: string }).path ?? full;
                const rel = path.relative(full, path.join(parent, e.name)).split(path.sep).join('/');
                const type = e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'other';
                return { name: rel, type };
            })
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
        const full = await confinedPath(ctx.root, p, 'file.delete');
        if (full === (await confinedPath(ctx.root, '.', 'file.delete'))) {
            throw new ToolError('denied', 'file.delete: refusing to delete the workspace root');
        }
        // A missing file is not an error: deleting is idempotent (compensations rely on it).
        const existed = await stat(full).then(
            () => true,
            () => false,
        );
        await rm(full, { recursive: params.recursive === true, force: true });
        return { output: { path: p, deleted: existed } };
    },
};

/**
 * The schema lock: written from a real server's listing, read back, and diffed
 * against a listing that changed.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectorPool, type McpToolInfo } from '../../../src/engine/tools/connectors/index.js';
import {
    buildLock,
    canonicalJson,
    diffLock,
    lockPath,
    lockedDescriptors,
    mergeLock,
    readLock,
    toolHash,
    writeLock,
} from '../../../src/engine/state/schema-lock.js';
import { everythingSpec } from './servers.js';

let root: string;
let listed: McpToolInfo[];

beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kmflow-lock-'));
    const pool = new McpConnectorPool([everythingSpec()]);
    try {
        const listing = await pool.listAll();
        expect(listing.errors).toEqual([]);
        listed = listing.servers.ev!;
    } finally {
        await pool.closeAll();
    }
});

afterAll(async () => {
    await rm(root, { recursive: true, force: true });
});

describe('schema lock', () => {
    it('hashes canonically: key order does not matter, content does', () => {
        expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
        const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
        const reordered = { required: ['a'], properties: { a: { type: 'number' } }, type: 'object' };
        expect(toolHash({ inputSchema: schema })).toBe(toolHash({ inputSchema: reordered }));
        expect(toolHash({ inputSchema: schema })).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(toolHash({ inputSchema: schema })).not.toBe(toolHash({ inputSchema: { ...schema, required: [] } }));
    });

    it('writes and reads the lock of a real listing', async () => {
        expect(await readLock(root)).toBeUndefined();
        const lock = buildLock({ ev: listed });
        const file = await writeLock(root, lock);
        expect(file).toBe(lockPath(root));
        expect(file.endsWith(path.join('.kmflow', 'schemas.lock.json'))).toBe(true);

        const back = await readLock(root);
        expect(back).toEqual(JSON.parse(JSON.stringify(lock)));
        const sum = back!.servers.ev!.tools['get-sum']!;
        expect(sum.hash).toMatch(/^sha256:/);
        expect(sum.inputSchema).toMatchObject({ properties: { a: { type: 'number' } } });
        expect(sum.annotations).toMatchObject({ readOnlyHint: true });
        expect(back!.servers.ev!.tools['get-structured-content']!.outputSchema).toBeDefined();

        // Stable text: writing the same lock again changes nothing.
        const text = await readFile(file, 'utf8');
        await writeLock(root, back!);
        expect(await readFile(file, 'utf8')).toBe(text);
        expect(diffLock(back!, buildLock({ ev: listed }))).toEqual([]);
    });

    it('reports added, removed and changed tools', async () => {
        const lock = (await readLock(root))!;
        const changed = listed
            .filter((t) => t.name !== 'echo')
            .map((t) => (t.name === 'get-sum' ? { ...t, inputSchema: { ...t.inputSchema, required: ['a'] } } : t))
            .map((t) => (t.name === 'get-structured-content' ? { ...t, annotations: { ...t.annotations, readOnlyHint: false } } : t));
        changed.push({ name: 'brand-new', inputSchema: { type: 'object' } });
        const drift = diffLock(lock, buildLock({ ev: changed }));
        expect(drift).toEqual([
            { server: 'ev', tool: 'brand-new', kind: 'added' },
            { server: 'ev', tool: 'echo', kind: 'removed' },
            { server: 'ev', tool: 'get-structured-content', kind: 'changed', fields: ['annotations'] },
            { server: 'ev', tool: 'get-sum', kind: 'changed', fields: ['inputSchema'] },
        ]);
    });

    it('compares only servers that answered, unless told otherwise', () => {
        const lock = buildLock({ ev: listed, other: [{ name: 't', inputSchema: { type: 'object' } }] });
        expect(diffLock(lock, buildLock({ ev: listed }))).toEqual([]);
        expect(diffLock(lock, buildLock({ ev: listed }), { servers: ['ev', 'other'] })).toEqual([{ server: 'other', tool: 't', kind: 'removed' }]);
        // Merging keeps the unreachable server's entries.
        expect(Object.keys(mergeLock(lock, buildLock({ ev: [] })).servers).sort()).toEqual(['ev', 'other']);
    });

    it('gives descriptors without a server, and refuses a broken lock by name', async () => {
        const tools = lockedDescriptors((await readLock(root))!);
        expect(tools.find((t) => t.id === 'ev.get-sum')).toMatchObject({ source: 'server', readOnly: true, security: 'standard' });

        const broken = await mkdtemp(path.join(tmpdir(), 'kmflow-lock-bad-'));
        try {
            await mkdir(path.join(broken, '.kmflow'));
            await writeFile(lockPath(broken), JSON.stringify({ version: 2, servers: {} }));
            await expect(readLock(broken)).rejects.toThrow(/schemas\.lock\.json: not a valid schema lock \(version 2/);
            await writeFile(lockPath(broken), '{ nope');
            await expect(readLock(broken)).rejects.toThrow(/not a valid schema lock/);
        } finally {
            await rm(broken, { recursive: true, force: true });
        }
    });
});

/**
 * The file tools against a symlink swapped mid-run: a separate process flips
 * `sub/inside` between a real folder and a symlink to a folder outside the root as fast
 * as it can, while a fan-out of `file.write`s (or `file.delete`s) runs through the real
 * engine. Whatever the interleaving, nothing may be written to, or deleted from, the
 * outside folder. Writes that saw the link fail with `denied`; the rest land inside.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePortableWalk } from '../../src/engine/tools/builtins/beneath.js';
import { BUILTIN_DESCRIPTORS, createBuiltinConnector } from '../../src/engine/tools/builtins/index.js';
import type { Expr } from '../../src/engine/model/model.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { ToolError } from '../../src/engine/tools/tool-error.js';
import { DENIED } from '../../src/engine/security/trust.js';
import { lit, root as ref, step, workflow } from './helpers.js';

const RUNS = 20;
const ITEMS = 30;
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'kmflow-race-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/**
 * Flips `inside` (a folder) to a symlink to `outside` and back, forever. Every step may
 * fail when the file tools just made or removed something; the loop repairs and goes on.
 */
const FLIPPER = `
const fs = require('node:fs');
const [inside, stash, outside] = process.argv.slice(1);
process.stdout.write('ready\\n');
for (;;) {
    try { fs.renameSync(inside, stash); } catch { try { fs.rmSync(inside, { recursive: true, force: true }); } catch {} }
    try { fs.symlinkSync(outside, inside); } catch {}
    for (let i = 0; i < 200; i++) {} // keep the link a moment
    try { fs.unlinkSync(inside); } catch {}
    try { fs.renameSync(stash, inside); } catch { try { fs.mkdirSync(inside); } catch {} }
}
`;

interface Arena {
    root: string;
    outside: string;
    flipper: ChildProcess;
}

async function arena(k: number, prepare: (root: string, outside: string) => void = () => undefined): Promise<Arena> {
    const dir = path.join(base, `run-${k}`);
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    mkdirSync(path.join(root, 'sub', 'inside'), { recursive: true });
    mkdirSync(outside);
    prepare(root, outside);
    const args = [path.join(root, 'sub', 'inside'), path.join(root, 'sub', 'stash'), outside];
    const flipper = spawn(process.execPath, ['-e', FLIPPER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
        flipper.once('error', reject);
        flipper.stdout!.once('data', () => resolve());
    });
    return { root, outside, flipper };
}

async function stop(a: Arena): Promise<void> {
    const exited = new Promise((resolve) => a.flipper.once('exit', resolve));
    a.flipper.kill('SIGKILL');
    await exited;
}

/** Every file (and link) under `dir`, recursively, not following links. */
function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => !e.isDirectory()).map((e) => e.name);
}

const items: Expr = { kind: 'list', items: Array.from({ length: ITEMS }, (_, i) => lit(i)) };
const fanOut = (tool: string, params: Record<string, Expr>) =>
    workflow([step('each', tool, params, { each: { name: 'i', items } })], { errors: 'resilient' });
const inItem = (prefix: string): Expr => ({ kind: 'template', parts: [prefix, ref('item', 'i'), '.txt'] });

const connector = createBuiltinConnector();
/** One built-in call straight through the connector: its output, or its error code. */
async function call(root: string, id: string, params: Record<string, unknown>): Promise<{ code: string; output?: unknown }> {
    const d = BUILTIN_DESCRIPTORS.find((t) => t.id === id)!;
    const ctx = { signal: new AbortController().signal, root, trust: DENIED, log: () => undefined, progress: () => undefined };
    try {
        return { code: 'ok', output: (await connector.call(d, params, ctx)).output };
    } catch (err) {
        return { code: (err as ToolError).code ?? String(err) };
    }
}

describe('file tools against a symlink flipped mid-run', () => {
    it(`a fan-out of writes never lands outside (${RUNS} runs of ${ITEMS})`, async () => {
        let escaped = 0;
        let written = 0;
        const failures: string[] = [];
        for (let k = 0; k < RUNS; k++) {
            const a = await arena(k);
            try {
                const wf = fanOut('file.write', { path: inItem('sub/inside/f-'), content: lit('payload') });
                const each = (await runWorkflow(wf, { registry: new ToolRegistry(), root: a.root })).steps[0]!;
                written += (each.output as unknown[]).filter((o) => o !== null).length;
                failures.push(each.error?.code ?? 'none');
            } finally {
                await stop(a);
            }
            escaped += filesUnder(a.outside).length;
        }
        console.log(`writes: ${escaped} of ${RUNS * ITEMS} escaped; ${written} written inside, the rest refused`);
        expect(escaped).toBe(0);
        // Items that met the link fail as `denied`; `not-found`: the flipper removed the folder.
        expect(failures.filter((c) => !['none', 'denied', 'not-found'].includes(c))).toEqual([]);
    });

    it(`a fan-out of deletes, and deleting the folder, never delete outside (${RUNS} runs)`, async () => {
        let lost = 0;
        for (let k = 0; k < RUNS; k++) {
            const a = await arena(RUNS + k, (_, outside) => {
                for (let i = 0; i < ITEMS; i++) {
                    writeFileSync(path.join(outside, `f-${i}.txt`), 'keep');
                }
            });
            try {
                await runWorkflow(fanOut('file.delete', { path: inItem('sub/inside/f-') }), { registry: new ToolRegistry(), root: a.root });
                const wf = workflow([step('rm', 'file.delete', { path: lit('sub'), recursive: lit(true) })], { errors: 'resilient' });
                await runWorkflow(wf, { registry: new ToolRegistry(), root: a.root });
            } finally {
                await stop(a);
            }
            lost += Array.from({ length: ITEMS }, (_, i) => path.join(a.outside, `f-${i}.txt`)).filter((f) => !existsSync(f)).length;
        }
        console.log(`deletes: ${lost} of ${RUNS * ITEMS} outside files lost`);
        expect(lost).toBe(0);
    });

    it(`reads, writes and lists racing the flip never touch outside, and refuse as \`denied\` (${RUNS} runs)`, async () => {
        const codes: Record<string, number> = {};
        let leaked = 0;
        let touched = 0;
        const originals = [...Array.from({ length: ITEMS }, (_, i) => `f-${i}.txt`), 'outside-marker.txt'];
        for (let k = 0; k < RUNS; k++) {
            const a = await arena(2 * RUNS + k, (root, outside) => {
                for (const name of originals) {
                    writeFileSync(path.join(outside, name), 'outside!');
                    writeFileSync(path.join(root, 'sub', 'inside', name.replace('outside', 'inside')), 'inside');
                }
            });
            let results: Array<{ code: string; output?: unknown }>;
            try {
                results = await Promise.all(
                    Array.from({ length: ITEMS }, (_, i) => [
                        call(a.root, 'file.read', { path: `sub/inside/f-${i}.txt` }),
                        call(a.root, 'file.write', { path: `sub/inside/w-${i}.txt`, content: 'w' }),
                        call(a.root, 'file.list', { path: 'sub', recursive: true }),
                    ]).flat(),
                );
            } finally {
                await stop(a);
            }
            for (const r of results) {
                codes[r.code] = (codes[r.code] ?? 0) + 1;
                leaked += /outside!|outside-marker/.test(JSON.stringify(r.output ?? null)) ? 1 : 0;
            }
            const now = filesUnder(a.outside);
            touched += now.filter((f) => !originals.includes(f)).length;
            touched += originals.filter((f) => !now.includes(f) || readFileSync(path.join(a.outside, f), 'utf8') !== 'outside!').length;
        }
        console.log(`reads/writes/lists: ${leaked} of ${RUNS * ITEMS * 3} calls saw outside, ${touched} outside files made or changed; ${JSON.stringify(codes)}`);
        expect({ leaked, touched }).toEqual({ leaked: 0, touched: 0 });
        expect(Object.keys(codes).filter((c) => !['ok', 'denied', 'not-found'].includes(c))).toEqual([]);
    });
});

// The same semantics through /proc/self/fd (Linux) and through the portable walk (macOS).
describe.each([
    ['/proc', false],
    ['portable', true],
])('file tools: semantics of the %s walk', (mode, portable) => {
    const dir = path.join(base, `plain-${mode.replace('/', '')}`);
    const out = `${dir}-outside`;
    beforeAll(() => {
        mkdirSync(path.join(dir, 'inner'), { recursive: true });
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, 'keep.txt'), 'keep');
        symlinkSync(path.join(dir, 'inner'), path.join(dir, 'link-in'));
        symlinkSync(out, path.join(dir, 'link-out'));
        usePortableWalk(portable);
    });
    afterAll(() => usePortableWalk(false));

    it('follows links that stay inside, refuses links leading out', async () => {
        expect((await call(dir, 'file.write', { path: 'link-in/deep/x.txt', content: 'in' })).code).toBe('ok');
        expect(readFileSync(path.join(dir, 'inner/deep/x.txt'), 'utf8')).toBe('in');
        expect((await call(dir, 'file.list', { path: 'link-in' })).output).toMatchObject({ entries: [{ name: 'deep', type: 'directory' }] });
        for (const tool of ['file.read', 'file.write', 'file.list', 'file.delete']) {
            expect((await call(dir, tool, { path: 'link-out/keep.txt', content: 'x' })).code, tool).toBe('denied');
        }
        expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep');
    });

    it('overwrites (shorter content truncates), appends, creates folders', async () => {
        expect((await call(dir, 'file.write', { path: 'a/b/c.txt', content: 'a long first version' })).code).toBe('ok');
        expect((await call(dir, 'file.write', { path: 'a/b/c.txt', content: 'short' })).code).toBe('ok');
        expect((await call(dir, 'file.write', { path: 'a/b/c.txt', content: '+more', append: true })).code).toBe('ok');
        expect(readFileSync(path.join(dir, 'a/b/c.txt'), 'utf8')).toBe('short+more');
        expect((await call(dir, 'file.read', { path: path.join(dir, 'a/b/c.txt') })).output).toMatchObject({ content: 'short+more' });
    });

    it('refuses folders, the root and non-regular files as files', async () => {
        expect((await call(dir, 'file.read', { path: 'a' })).code).toBe('invalid-param');
        expect((await call(dir, 'file.write', { path: 'a', content: 'x' })).code).toBe('invalid-param');
        expect((await call(dir, 'file.read', { path: '.' })).code).toBe('invalid-param');
        expect((await call(dir, 'file.read', { path: 'a/missing/x.txt' })).code).toBe('not-found');
        execFileSync('mkfifo', [path.join(dir, 'fifo')]);
        // Opened without blocking (no reader or writer on the other end), then refused.
        expect((await call(dir, 'file.read', { path: 'fifo' })).code).toBe('invalid-param');
    });

    it('lists links as links without entering them; deletes a tree, links in it as links', async () => {
        mkdirSync(path.join(dir, 'tree/deep'), { recursive: true });
        writeFileSync(path.join(dir, 'tree/deep/x.txt'), 'x');
        symlinkSync(out, path.join(dir, 'tree/deep/out-link'));
        const list = await call(dir, 'file.list', { path: 'tree', recursive: true });
        expect(list.output).toEqual({
            path: 'tree',
            entries: [
                { name: 'deep', type: 'directory' },
                { name: 'deep/out-link', type: 'symlink' },
                { name: 'deep/x.txt', type: 'file' },
            ],
        });
        expect((await call(dir, 'file.delete', { path: 'tree' })).code).toBe('invalid-param');
        expect((await call(dir, 'file.delete', { path: 'tree', recursive: true })).output).toEqual({ path: 'tree', deleted: true });
        expect(existsSync(path.join(dir, 'tree'))).toBe(false);
        expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep');
        expect((await call(dir, 'file.delete', { path: 'tree/deep/x.txt' })).output).toEqual({ path: 'tree/deep/x.txt', deleted: false });
    });
});

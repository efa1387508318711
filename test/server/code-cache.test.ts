/**
 * The launchers' V8 code cache (src/server/code-cache.ts, code-cache-files.ts): one file per
 * use, bundle path and build, named after the bundle's content, so a changed bundle never
 * runs a cache made for another (even of the same length and time, as an npm update in
 * place leaves it); written atomically, only where it may be, and without removing other
 * installs' caches; stale ones removed. In-process: `saveCodeCacheNow` writes the cache as
 * a server's first answer or a command's exit would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDir, readInto, runWithCodeCache, saveCodeCacheNow } from '../../src/server/code-cache.js';
import { cacheFileName, defaultCacheDir, removeStaleCaches, tmpCacheDir } from '../../src/server/code-cache-files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-code-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fresh(): string {
    const d = path.join(dir, `case-${n++}`);
    fs.mkdirSync(d, { mode: 0o700 });
    return d;
}

/** A fresh case folder with an empty cache folder in it, and where its bundle goes. */
function freshWithCache(): { work: string; cache: string; bundle: string } {
    const work = fresh();
    const cache = path.join(work, 'cache');
    fs.mkdirSync(cache);
    return { work, cache, bundle: path.join(work, 'main.cjs') };
}

/** A bundle answering `value`, padded so that every value gives the same length. */
function writeBundle(file: string, value: string): void {
    fs.writeFileSync(file, `module.exports = { value: ${JSON.stringify(value.padEnd(8))}, twice: (x) => x * 2 };\n`);
}

function run(bundle: string, cache: string, name = 'check'): { value: string; twice: (x: number) => number } {
    return runWithCodeCache(bundle, { name, dir: cache }) as { value: string; twice: (x: number) => number };
}

const caches = (cache: string): string[] => fs.readdirSync(cache).sort();

describe('readInto', () => {
    it('reads a file into the spare buffer when it fits, else into one of its own', () => {
        const file = path.join(fresh(), 'bytes');
        const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
        fs.writeFileSync(file, bytes);
        const spare = Buffer.alloc(100_000, 1);
        const inSpare = readInto(file, spare);
        expect(inSpare.equals(bytes)).toBe(true);
        expect(inSpare.buffer).toBe(spare.buffer);
        const small = Buffer.alloc(10);
        const own = readInto(file, small);
        expect(own.equals(bytes)).toBe(true);
        expect(own.buffer).not.toBe(small.buffer);
        expect(small.equals(Buffer.alloc(10))).toBe(true);
        expect(() => readInto(path.join(dir, 'none'), spare)).toThrow();
    });
});

describe('runWithCodeCache', () => {
    it('runs the bundle, writes one cache when asked, and a start that takes it writes none', () => {
        const { cache, bundle } = freshWithCache();
        writeBundle(bundle, 'one');
        expect(run(bundle, cache).value.trim()).toBe('one');
        expect(caches(cache)).toEqual([]);
        saveCodeCacheNow();
        const written = caches(cache);
        expect(written).toHaveLength(1);
        expect(written[0]).toMatch(/^check-[0-9a-f]{8}-[0-9a-f]{16}\.cache$/);
        const bytes = fs.readFileSync(path.join(cache, written[0]!));
        expect(run(bundle, cache).twice(21)).toBe(42);
        saveCodeCacheNow();
        expect(caches(cache)).toEqual(written);
        expect(fs.readFileSync(path.join(cache, written[0]!)).equals(bytes)).toBe(true);
    });

    it('a bundle changed in place, with its length and time kept, gets a cache of its own and runs as changed', () => {
        const { cache, bundle } = freshWithCache();
        writeBundle(bundle, 'old');
        const time = new Date('1985-10-26T08:15:00Z'); // as npm leaves installed files
        fs.utimesSync(bundle, time, time);
        run(bundle, cache);
        saveCodeCacheNow();
        const [before] = caches(cache);
        const size = fs.statSync(bundle).size;
        writeBundle(bundle, 'new');
        fs.utimesSync(bundle, time, time);
        expect(fs.statSync(bundle).size).toBe(size);
        expect(run(bundle, cache).value.trim()).toBe('new');
        saveCodeCacheNow();
        // The earlier build's cache at this path is gone; the new one is named apart.
        const after = caches(cache);
        expect(after).toHaveLength(1);
        expect(after[0]).not.toBe(before);
        expect(run(bundle, cache).value.trim()).toBe('new');
    });

    it("another install's cache of the same use is kept", () => {
        const { work, cache } = freshWithCache();
        for (const install of ['a', 'b']) {
            fs.mkdirSync(path.join(work, install));
            writeBundle(path.join(work, install, 'main.cjs'), install);
        }
        run(path.join(work, 'a', 'main.cjs'), cache);
        saveCodeCacheNow();
        expect(run(path.join(work, 'b', 'main.cjs'), cache).value.trim()).toBe('b');
        saveCodeCacheNow();
        expect(caches(cache)).toHaveLength(2);
        expect(run(path.join(work, 'a', 'main.cjs'), cache).value.trim()).toBe('a');
    });

    it('runs without a cache where none can be written, and leaves no temporary file', () => {
        const work = fresh();
        const bundle = path.join(work, 'main.cjs');
        writeBundle(bundle, 'x');
        const notADir = path.join(work, 'file');
        fs.writeFileSync(notADir, '');
        expect(run(bundle, notADir).value.trim()).toBe('x');
        expect(() => saveCodeCacheNow()).not.toThrow();
        expect(run(bundle, path.join(notADir, 'cache')).value.trim()).toBe('x');
        expect(() => saveCodeCacheNow()).not.toThrow();
        expect(fs.readdirSync(work).sort()).toEqual(['file', 'main.cjs']);
    });
});

describe('the cache folder', () => {
    it('is KMFLOW_COMPILE_CACHE, none for 0, and refused when others may write it', () => {
        const saved = process.env.KMFLOW_COMPILE_CACHE;
        try {
            const mine = path.join(fresh(), 'cache');
            process.env.KMFLOW_COMPILE_CACHE = mine;
            expect(compileCacheDir()).toBe(mine);
            expect(fs.statSync(mine).mode & 0o077).toBe(0);
            process.env.KMFLOW_COMPILE_CACHE = '0';
            expect(compileCacheDir()).toBeUndefined();
            const open = path.join(fresh(), 'open');
            fs.mkdirSync(open);
            fs.chmodSync(open, 0o777);
            process.env.KMFLOW_COMPILE_CACHE = open;
            expect(compileCacheDir()).toBe(process.platform === 'win32' ? open : undefined);
        } finally {
            if (saved === undefined) {
                delete process.env.KMFLOW_COMPILE_CACHE;
            } else {
                process.env.KMFLOW_COMPILE_CACHE = saved;
            }
        }
    });

    it("falls back to the temporary folder's where the user's cannot be made", () => {
        const saved = { cache: process.env.KMFLOW_COMPILE_CACHE, xdg: process.env.XDG_CACHE_HOME };
        try {
            const file = path.join(fresh(), 'a-file');
            fs.writeFileSync(file, '');
            delete process.env.KMFLOW_COMPILE_CACHE;
            process.env.XDG_CACHE_HOME = path.join(file, 'cache');
            expect(defaultCacheDir()).toBe(path.join(file, 'cache', 'kmflow', 'code-cache'));
            expect(compileCacheDir()).toBe(tmpCacheDir());
        } finally {
            for (const [name, value] of [['KMFLOW_COMPILE_CACHE', saved.cache], ['XDG_CACHE_HOME', saved.xdg]] as const) {
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
        }
    });

    it("defaults to the user's cache folder, never the project's", () => {
        expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe(path.join('/x/cache', 'kmflow', 'code-cache'));
        expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux')).toBe(path.join(os.homedir(), '.cache', 'kmflow', 'code-cache'));
        expect(defaultCacheDir({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Caches', 'kmflow', 'code-cache'));
        expect(defaultCacheDir({ LOCALAPPDATA: path.resolve('/w/AppData/Local') }, 'win32'))
            .toBe(path.join(path.resolve('/w/AppData/Local'), 'kmflow', 'code-cache'));
        expect(defaultCacheDir({}, 'linux').startsWith(process.cwd())).toBe(false);
    });
});

describe('removeStaleCaches', () => {
    it("removes this path's other builds, old temporary files, month-old and old-format caches; keeps the rest", () => {
        const cache = fresh();
        const bundle = path.join(cache, 'main.cjs');
        const other = path.join(cache, 'other.cjs');
        const kept = path.join(cache, cacheFileName('run', bundle, { digest: 'd2', stamp: '1-1' }));
        const files = {
            kept,
            sameBuildElsewhere: path.join(cache, cacheFileName('run', other, { digest: 'd1', stamp: '1-1' })),
            earlierBuildHere: path.join(cache, cacheFileName('run', bundle, { digest: 'd1', stamp: '1-1' })),
            otherUse: path.join(cache, cacheFileName('check', bundle, { digest: 'd1', stamp: '1-1' })),
            monthOld: path.join(cache, cacheFileName('plan', other, { digest: 'd0', stamp: '1-1' })),
            legacy: path.join(cache, 'run-3388742-1795823080359-v20.20.2-11.3.244.8-node.38-x64.cache'),
            freshTmp: `${kept}.123.tmp`,
            oldTmp: `${kept}.456.tmp`,
            unrelated: path.join(cache, 'notes.txt'),
        };
        for (const f of Object.values(files)) {
            fs.writeFileSync(f, '');
        }
        const old = new Date(Date.now() - 40 * 86_400_000);
        for (const f of [files.monthOld, files.oldTmp, files.unrelated]) {
            fs.utimesSync(f, old, old);
        }
        removeStaleCaches(cache, 'run', bundle, kept);
        const left = new Set(fs.readdirSync(cache).map((f) => path.join(cache, f)));
        expect(Object.entries(files).filter(([, f]) => left.has(f)).map(([k]) => k).sort())
            .toEqual(['freshTmp', 'kept', 'otherUse', 'sameBuildElsewhere', 'unrelated']);
    });
});

/**
 * Runs a CommonJS bundle with a V8 code cache, as Node 22's module compile cache would (Node
 * 20, and the Node inside VS Code, have none). The first start compiles the bundle and, once
 * the process has done its early work, saves the code V8 made (the bundle's own and every
 * function that ran); later starts take it instead of parsing and compiling megabytes of
 * JavaScript again. Used by both launchers: the CLI's (src/cli/launch.ts, out/cli.cjs) and
 * the language server's (launch.ts, out/language-server.cjs).
 *
 * The cache lives in a folder only this user may write (KMFLOW_COMPILE_CACHE names it; `0`
 * turns it off; else the user's cache folder, code-cache-files.ts), one file per use (`name`),
 * bundle and build: its name holds a digest of the bundle's content, so another build, at
 * this path or any other, never takes it (V8 itself only checks the source's length). V8
 * refuses data that does not match its own version and flags, and the bundle is then
 * compiled as if there were none. A cache is written to a temporary file and renamed into
 * place; it is only an optimisation: a folder that cannot be made or written is silently
 * done without.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';
import { bundleSource, cacheFileName, defaultCacheDir, removeStaleCaches, tmpCacheDir } from './code-cache-files.js';
import { setCodeCacheWriter } from '../shared/code-cache-hook.js';

export { saveCodeCacheNow } from '../shared/code-cache-hook.js';

/**
 * The folder caches are kept in: KMFLOW_COMPILE_CACHE, else `fallback`, else the user's
 * cache folder or, where that cannot be made (a read-only home), the temporary folder's
 * (code-cache-files.ts); none when it is turned off, cannot be made, or another user owns
 * it or may write into it (code is loaded from there).
 */
export function compileCacheDir(fallback?: string): string | undefined {
    const configured = process.env.KMFLOW_COMPILE_CACHE;
    if (configured === '0') {
        return undefined;
    }
    const candidates = configured || fallback ? [configured || fallback!] : [defaultCacheDir(), tmpCacheDir()];
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    for (const dir of candidates) {
        try {
            fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
            const stat = fs.statSync(dir);
            if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) {
                continue;
            }
            return dir;
        } catch {
            // not here: the next one, if any
        }
    }
    return undefined;
}

export interface CodeCacheOptions {
    /** What the cache is for (a command, `language-server`): one file each. */
    name: string;
    /** The cache folder (compileCacheDir()); none: the bundle is compiled as usual. */
    dir: string | undefined;
    /**
     * For a process that never exits on its own (and is often killed): write the cache this
     * many ms after start, with what has run by then. Otherwise it is written at exit.
     */
    saveAfterMs?: number;
    /**
     * A digest of the bundle's content made when it was built (esbuild.mjs); without one
     * the content is hashed at start.
     */
    digest?: string;
}

/**
 * A file's bytes, read into `spare` when they fit, else into a buffer of their own. The
 * cache goes into the bundle's bytes, done with once decoded: memory touched for the first
 * time is dear (cli/young-generation.ts), and the two are megabytes each.
 */
export function readInto(file: string, spare: Buffer): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
        const size = fs.fstatSync(fd).size;
        const target = size <= spare.length ? spare.subarray(0, size) : Buffer.allocUnsafe(size);
        let done = 0;
        while (done < size) {
            const n = fs.readSync(fd, target, done, size - done, done);
            if (n === 0) {
                break;
            }
            done += n;
        }
        return target.subarray(0, done);
    } finally {
        fs.closeSync(fd);
    }
}

/** Runs `bundle` (a CommonJS file) with the cache, as `require` would, and answers its exports. */
export function runWithCodeCache(bundle: string, options: CodeCacheOptions): unknown {
    const read = bundleSource(bundle, options.digest);
    const { name, dir } = options;
    const cacheFile = dir && path.join(dir, cacheFileName(name, bundle, read));
    let cachedData: Buffer | undefined;
    if (cacheFile) {
        try {
            cachedData = readInto(cacheFile, read.bytes);
        } catch {
            // none yet
        }
    }
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${read.source}\n})`;
    // esbuild.mjs turns the bundle's dynamic imports into requires; should one remain, Node's
    // own loader takes it (where this Node has the option), rather than it failing.
    const script = new vm.Script(wrapper, { filename: bundle, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    setCodeCacheWriter(undefined);
    if (dir && cacheFile && (!cachedData || script.cachedDataRejected)) {
        let saved = false;
        const save = (): void => {
            if (saved) {
                return;
            }
            saved = true;
            const tmp = `${cacheFile}.${process.pid}.tmp`;
            try {
                fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
                fs.renameSync(tmp, cacheFile);
                removeStaleCaches(dir, name, bundle, cacheFile);
            } catch {
                // a cache is only ever an optimisation
                try {
                    fs.rmSync(tmp, { force: true });
                } catch {
                    // left for a later write to remove (code-cache-files.ts)
                }
            }
        };
        process.once('exit', save);
        setCodeCacheWriter(save);
        if (options.saveAfterMs !== undefined) {
            setTimeout(save, options.saveAfterMs).unref();
        }
    }
    const module = { exports: {} };
    const main = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
    main.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
    return module.exports;
}

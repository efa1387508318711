/**
 * Runs a CommonJS bundle with a V8 code cache, as Node 22's module compile cache would (Node
 * 20, and the Node inside VS Code, have none). The first start compiles the bundle and, once
 * the process has done its early work, saves the code V8 made (the bundle's own and every
 * function that ran); later starts take it instead of parsing and compiling megabytes of
 * JavaScript again. Used by both launchers: the CLI's (src/cli/launch.ts, out/cli.js) and
 * the language server's (launch.ts, out/language-server.cjs).
 *
 * The cache lives in a folder only this user may write (KMFLOW_COMPILE_CACHE names it; `0`
 * turns it off), one file per use (`name`) and bundle build; V8 refuses data that does not
 * match the source or its own version and flags, and the bundle is then compiled as if there
 * were none. A cache is only an optimisation: a folder that cannot be made or written is
 * silently done without.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';

/**
 * The folder caches are kept in: KMFLOW_COMPILE_CACHE, else `fallback`, else one in the
 * temporary folder named after the user; none when it is turned off, cannot be made, or
 * another user owns it or may write into it (code is loaded from there).
 */
export function compileCacheDir(fallback?: string): string | undefined {
    const configured = process.env.KMFLOW_COMPILE_CACHE;
    if (configured === '0') {
        return undefined;
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    try {
        const dir = configured || fallback || path.join(os.tmpdir(), `kmflow-compile-cache-${uid ?? os.userInfo().username}`);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const stat = fs.statSync(dir);
        if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) {
            return undefined;
        }
        return dir;
    } catch {
        return undefined;
    }
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
}

/** Runs `bundle` (a CommonJS file) with the cache, as `require` would, and answers its exports. */
export function runWithCodeCache(bundle: string, options: CodeCacheOptions): unknown {
    const source = fs.readFileSync(bundle, 'utf8');
    const stat = fs.statSync(bundle);
    const { name, dir } = options;
    const build = `${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.versions.v8}-${process.arch}`;
    const cacheFile = dir && path.join(dir, `${name}-${build}.cache`);
    let cachedData: Buffer | undefined;
    if (cacheFile) {
        try {
            cachedData = fs.readFileSync(cacheFile);
        } catch {
            // none yet
        }
    }
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
    // esbuild.mjs turns the bundle's dynamic imports into requires; should one remain, Node's
    // own loader takes it (where this Node has the option), rather than it failing.
    const script = new vm.Script(wrapper, { filename: bundle, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    if (dir && cacheFile && (!cachedData || script.cachedDataRejected)) {
        let saved = false;
        const save = (): void => {
            if (saved) {
                return;
            }
            saved = true;
            try {
                const tmp = `${cacheFile}.${process.pid}.tmp`;
                fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
                fs.renameSync(tmp, cacheFile);
                // The caches of this name for earlier builds are of no more use.
                for (const file of fs.readdirSync(dir)) {
                    if (file.startsWith(`${name}-`) && file.endsWith('.cache') && path.join(dir, file) !== cacheFile) {
                        fs.rmSync(path.join(dir, file), { force: true });
                    }
                }
            } catch {
                // a cache is only ever an optimisation
            }
        };
        process.once('exit', save);
        if (options.saveAfterMs !== undefined) {
            setTimeout(save, options.saveAfterMs).unref();
        }
    }
    const module = { exports: {} };
    const main = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
    main.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
    return module.exports;
}

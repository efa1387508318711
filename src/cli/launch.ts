/**
 * The `kmflow` process's entry (out/cli.js): runs the CLI bundle (out/cli-main.cjs) with a
 * V8 code cache, as Node 22's module compile cache would (Node 20 has none). The first run
 * of a command compiles the bundle and, once the command has done its work, saves the
 * code V8 made (the bundle's own and every function the command ran); later runs of that
 * command start from it instead of parsing and compiling megabytes of JavaScript again.
 *
 * The cache lives in a folder only this user may write (KMFLOW_COMPILE_CACHE names it;
 * `0` turns it off), one file per command and bundle build; V8 refuses data that does not
 * match the source or its own version, and then the bundle is compiled as if there were none.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as v8 from 'node:v8';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { kmflowVersion } from './version.js';

/** The servers never exit on their own (and are often killed): their cache is written this soon after start. */
const SERVERS = new Set(['mcp', 'lsp']);
const SERVER_SAVE_AFTER_MS = 250;

function cacheDir(): string | undefined {
    const configured = process.env.KMFLOW_COMPILE_CACHE;
    if (configured === '0') {
        return undefined;
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const dir = configured || path.join(os.tmpdir(), `kmflow-compile-cache-${uid ?? os.userInfo().username}`);
    try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const stat = fs.statSync(dir);
        // Code is loaded from here: a folder someone else owns or may write into is not used.
        if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) {
            return undefined;
        }
        return dir;
    } catch {
        return undefined;
    }
}

/**
 * V8 optimises a function once it has run a while (its interrupt budget, 66 KB of
 * bytecode by default). A command lasts a second or less and spends its start compiling
 * and running code once: optimising early costs more than it gains (measured: 15-20% of
 * `kmflow check`'s CPU, none lost on a 10,000-step file), so functions must run 8× longer.
 */
const INTERRUPT_BUDGET = 8 * 67584;

function run(): void {
    v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    const bundle = fileURLToPath(new URL('./cli-main.cjs', import.meta.url));
    const source = fs.readFileSync(bundle, 'utf8');
    const stat = fs.statSync(bundle);
    const dir = cacheDir();
    const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'other';
    const cacheFile = dir && path.join(dir, `${command}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.cache`);
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
    if (cacheFile && (!cachedData || script.cachedDataRejected)) {
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
                // The command's caches of earlier builds are of no more use.
                const prefix = `${command}-`;
                for (const name of fs.readdirSync(dir)) {
                    if (name.startsWith(prefix) && name.endsWith('.cache') && path.join(dir, name) !== cacheFile) {
                        fs.rmSync(path.join(dir, name), { force: true });
                    }
                }
            } catch {
                // a cache is only ever an optimisation
            }
        };
        process.once('exit', save);
        if (SERVERS.has(command)) {
            setTimeout(save, SERVER_SAVE_AFTER_MS).unref();
        }
    }
    const module = { exports: {} };
    const main = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
    main.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
}

if (process.argv[2] === '--version') {
    process.stdout.write(`kmflow ${kmflowVersion()}\n`);
} else {
    run();
}

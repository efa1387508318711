/**
 * The `kmflow` process's entry (out/cli.cjs, which bin/kmflow requires): runs the CLI
 * bundle (out/cli-main.cjs) with a V8 code cache (server/code-cache.ts), one per command
 * (and install and build: code-cache-files.ts): the first run of a command
 * compiles the bundle and, once the command has done its work, saves the code V8 made (the
 * bundle's own and every function the command ran); later runs of that command start from
 * it instead of parsing and compiling megabytes of JavaScript again.
 */
import * as v8 from 'node:v8';
import * as path from 'node:path';
import { compileCacheDir, runWithCodeCache } from '../server/code-cache.js';
import { kmflowVersion } from './version.js';
import { holdYoungGeneration } from './young-generation.js';

/**
 * The commands whose work is loading and checking files hold the young generation small
 * (young-generation.ts): `check`, where it was measured. Those that run or simulate
 * workflows (`run`, `test`, `plan`, `optimize`, ...) or lay out a graph (`graph --format
 * svg`) make many short-lived objects, which want the one V8 grows.
 */
const LOADS_ONLY = new Set(['check']);

/** The servers never exit on their own (and are often killed): their cache is written this soon after start. */
const SERVERS = new Set(['mcp', 'lsp']);
const SERVER_SAVE_AFTER_MS = 250;

/** The CLI bundle's digest, set by the build (esbuild.mjs); none in a watch build. */
declare const KMFLOW_CLI_DIGEST: string | undefined;

/**
 * V8 optimises a function once it has run a while (its interrupt budget, 66 KB of
 * bytecode by default). A command lasts a second or less and spends its start compiling
 * and running code once: optimising early costs more than it gains (measured: 15-20% of
 * `kmflow check`'s CPU, none lost on a 10,000-step file), so functions must run 8× longer.
 */
const INTERRUPT_BUDGET = 8 * 67584;

/**
 * V8 starts marking the old generation incrementally (a task, then concurrent marking) well
 * before it reaches its limit, to spread a long-lived program's pauses. A command has no
 * pauses to spread: a one-step `kmflow run` or `check` would end with a full collection of
 * its 20 MB (10-20 ms, most of it its own), and a big one collects just as well at the
 * limit. At 100% of the space left, marking starts only when the limit is reached (measured:
 * a one-step run or check ~15 ms less CPU and ~30 ms less wall; a 10,000-step check and a
 * 50,000-step run no slower, their peak no higher). Not for the servers, whose pauses count.
 */
const COMMAND_GC_FLAGS = '--incremental-marking-soft-trigger=100';

function run(): void {
    v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'other';
    if (!SERVERS.has(command)) {
        v8.setFlagsFromString(COMMAND_GC_FLAGS);
        if (LOADS_ONLY.has(command)) {
            holdYoungGeneration();
        }
    }
    runWithCodeCache(path.join(__dirname, 'cli-main.cjs'), {
        name: command,
        dir: compileCacheDir(),
        saveAfterMs: SERVERS.has(command) ? SERVER_SAVE_AFTER_MS : undefined,
        digest: typeof KMFLOW_CLI_DIGEST === 'string' ? KMFLOW_CLI_DIGEST : undefined,
    });
}

if (process.argv[2] === '--version') {
    process.stdout.write(`kmflow ${kmflowVersion()}\n`);
} else {
    run();
}

/**
 * The language server process's entry (out/language-server.cjs, which VS Code's client
 * forks): runs the server's bundle (out/language-server-main.cjs, main.ts) with a V8 code
 * cache (code-cache.ts), so a start does not parse and compile its 3 MB again.
 *
 * Where the cache lives: the extension is installed read-only as often as not (a system or
 * admin install, a remote or container image, code-server's bundled extensions), and an
 * update replaces its folder, so not in out/. The extension names a folder in its global
 * storage (per user, kept across updates) in KMFLOW_COMPILE_CACHE, unless the user's
 * environment already sets it (`0` turns the cache off); any other client gets the folder
 * the CLI uses. A folder that cannot be made or written is done without, silently.
 *
 * The cache is written at exit (the client's `exit`) or, for a server that is killed,
 * SAVE_AFTER_MS after start, with what ran by then: start-up, `initialize`, the first builds.
 */
import * as path from 'node:path';
import { compileCacheDir, runWithCodeCache } from './code-cache.js';
import type { startKmflowLanguageServer } from './main.js';

const SAVE_AFTER_MS = 3000;

/** The server bundle's digest, set by the build (esbuild.mjs); none in a watch build. */
declare const KMFLOW_SERVER_DIGEST: string | undefined;

const server = runWithCodeCache(path.join(__dirname, 'language-server-main.cjs'), {
    name: 'language-server',
    dir: compileCacheDir(),
    saveAfterMs: SAVE_AFTER_MS,
    digest: typeof KMFLOW_SERVER_DIGEST === 'string' ? KMFLOW_SERVER_DIGEST : undefined,
}) as { startKmflowLanguageServer: typeof startKmflowLanguageServer };
server.startKmflowLanguageServer();

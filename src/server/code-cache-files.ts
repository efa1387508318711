/**
 * The code cache's files (code-cache.ts): where they live by default, what each is named
 * after, which are stale, and how a bundle's source is read.
 *
 * A cache file is named `NAME-PLACE-BUILD.cache`: NAME the use (a command, `language-server`),
 * PLACE a hash of the bundle's path, BUILD a hash of its content's digest, its size and time,
 * and the Node, V8 and processor it was made for. Two builds never share a file, wherever
 * they are installed (an update in place that keeps the bundle's length and, as npm does, its
 * time, still changes its digest), and two installs do not remove each other's: writing one
 * removes only the caches of the same use and path (earlier builds there), the temporary
 * files of writes that did not finish, and any cache no start has made for CACHE_DAYS.
 */
import { isAscii } from 'node:buffer';
import type { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** A cache not written for this long is removed (its install is likely gone). */
const CACHE_DAYS = 30;
/** A temporary file older than this is left from a write that was stopped. */
const TMP_MINUTES = 10;

/**
 * The user's cache folder for kmflow's code caches: $XDG_CACHE_HOME/kmflow/code-cache,
 * ~/.cache/kmflow/code-cache on Linux, ~/Library/Caches/kmflow/code-cache on macOS,
 * %LOCALAPPDATA%\kmflow\code-cache on Windows; without a home folder, tmpCacheDir().
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
    const xdg = env.XDG_CACHE_HOME;
    if (xdg && path.isAbsolute(xdg)) {
        return path.join(xdg, 'kmflow', 'code-cache');
    }
    if (platform === 'win32' && env.LOCALAPPDATA && path.isAbsolute(env.LOCALAPPDATA)) {
        return path.join(env.LOCALAPPDATA, 'kmflow', 'code-cache');
    }
    let home = '';
    try {
        home = os.homedir();
    } catch {
        // no home folder (a service account): the temporary folder below
    }
    if (home && path.isAbsolute(home)) {
        return platform === 'darwin'
            ? path.join(home, 'Library', 'Caches', 'kmflow', 'code-cache')
            : path.join(home, '.cache', 'kmflow', 'code-cache');
    }
    return tmpCacheDir();
}

/** A folder in the temporary folder named after the user (compileCacheDir checks who owns it). */
export function tmpCacheDir(): string {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    return path.join(os.tmpdir(), `kmflow-compile-cache-${uid ?? os.userInfo().username}`);
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable tag (not a security hash). */
export function shortHash(text: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(16).padStart(8, '0');
}

export interface BundleSource {
    source: string;
    /** The bundle's bytes as read: free to reuse once `source` is made (code-cache.ts reads the cache into them). */
    bytes: Buffer;
    /** The digest of the content: the build's, else a SHA-256 made now. */
    digest: string;
    /** The bundle's size and modification time, part of the build's key. */
    stamp: string;
}

/**
 * Reads a bundle: as Latin-1 when it is all ASCII (the same text, decoded in a third of the
 * time, and V8 keeps it one byte a character), else as UTF-8.
 */
export function bundleSource(bundle: string, digest?: string): BundleSource {
    const bytes = fs.readFileSync(bundle);
    const stat = fs.statSync(bundle);
    return {
        source: bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'),
        bytes,
        // node:crypto is loaded only for a bundle built without a digest (esbuild.mjs --watch).
        digest: digest || (createRequire(bundle)('node:crypto') as { createHash: typeof createHash }).createHash('sha256').update(bytes).digest('hex'),
        stamp: `${stat.size}-${Math.trunc(stat.mtimeMs)}`,
    };
}

/** The cache file's name for this use, bundle and build (see above). */
export function cacheFileName(name: string, bundle: string, read: Pick<BundleSource, 'digest' | 'stamp'>): string {
    const build = [read.digest, read.stamp, process.version, process.versions.v8, process.arch].join('|');
    return `${name}-${shortHash(path.resolve(bundle))}-${shortHash(build)}${shortHash(`${build}|2`)}.cache`;
}

/**
 * After writing `kept`: removes this use's caches of other builds at the same path, the
 * temporary files of unfinished writes, caches not written for CACHE_DAYS, and caches in
 * the format before this one (`NAME-SIZE-TIME-v…`). Errors are ignored.
 */
export function removeStaleCaches(dir: string, name: string, bundle: string, kept: string, now = Date.now()): void {
    const place = `${name}-${shortHash(path.resolve(bundle))}-`;
    const legacy = new RegExp(`^${name.replace(/[^a-z0-9-]/gi, '')}-\\d+-\\d+-v`);
    for (const file of fs.readdirSync(dir)) {
        const full = path.join(dir, file);
        if (full === kept) {
            continue;
        }
        try {
            let stale = (file.startsWith(place) && file.endsWith('.cache')) || (legacy.test(file) && file.endsWith('.cache'));
            if (!stale && (file.endsWith('.cache') || file.endsWith('.tmp'))) {
                const age = now - fs.statSync(full).mtimeMs;
                stale = file.endsWith('.tmp') ? age > TMP_MINUTES * 60_000 : age > CACHE_DAYS * 86_400_000;
            }
            if (stale) {
                fs.rmSync(full, { force: true });
            }
        } catch {
            // gone already, or not ours to remove
        }
    }
}

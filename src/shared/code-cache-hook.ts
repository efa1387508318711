/**
 * How a bundle run by a launcher (src/server/code-cache.ts) asks it to write its V8 code
 * cache now: the launcher leaves its writer under a global symbol (the bundle has its own
 * copy of every module, so a module-level variable would not be shared).
 */
const SAVE_HOOK = Symbol.for('kmflow.codeCache.save');

type Hooked = Record<symbol, (() => void) | undefined>;

/** The launcher's side: the cache writer a bundle may call, or none. */
export function setCodeCacheWriter(write: (() => void) | undefined): void {
    (globalThis as unknown as Hooked)[SAVE_HOOK] = write;
}

/**
 * For a server, before its first answer: has the launcher write the code cache now (if it
 * is to write one), with what has run so far, rather than at exit or after `saveAfterMs`,
 * which a client that stops the server at once never lets come. Only a start without a
 * usable cache writes one. Does nothing outside a launcher.
 */
export function saveCodeCacheNow(): void {
    (globalThis as unknown as Hooked)[SAVE_HOOK]?.();
}

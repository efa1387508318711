/**
 * Race-free access to paths below the workspace root ("beneath", as in openat2's
 * RESOLVE_BENEATH). `confine.ts` decides which path a user's path means; this module
 * makes sure that what is actually opened, created or deleted is that path, even while
 * another process swaps the folders on the way for symlinks.
 *
 * Why checking first is not enough: the path used to be checked, then opened by name.
 * In between, a folder on the way can become a symlink to anywhere, and the kernel
 * follows it at open time (a tester flipping `sub/inside` got 132 of 600 fan-out
 * writes outside the root).
 *
 * The design: never hand the kernel a path with more than one component it may resolve
 * through something we did not just check.
 * - The root is opened once per call and held as a descriptor.
 * - Each component is opened relative to its parent's descriptor with O_NOFOLLOW (and
 *   O_DIRECTORY for folders), so a component that is a symlink *now* fails, whatever it
 *   was when the path was checked. Node has no openat, but on Linux the name
 *   `/proc/self/fd/N/name` is one: the kernel resolves `/proc/self/fd/N` to the very
 *   folder descriptor N holds (not to a path that may have changed since) and looks up
 *   the single component `name` in it. mkdir, unlink, rmdir and readdir use the same
 *   names, so creating missing folders (mkdir -p) and deleting are relative to a held
 *   folder too: mkdir never follows a symlink in its last component, and unlink/rmdir
 *   remove the entry itself, never what a link points to.
 * - Only real folders are walked through. Symlinks that stay inside still work because
 *   `confine.ts` resolved them (realpath) into a symlink-free path first; if that path
 *   has a symlink when it is opened, it changed in between: refused (`denied`).
 * - Before a byte is read or written, the descriptor's own path (`readlink
 *   /proc/self/fd/N`, what the kernel says the open file is) must lie inside the root's
 *   real path. Files are opened without O_TRUNC and truncated after that check. With the
 *   walk above the check cannot fail from a symlink swap; it is a second line, and it
 *   catches a folder renamed out of the root mid-walk.
 * - Writes go to the file in place, not to a temp file renamed over it: the folder's
 *   descriptor makes the open race-free already, so a rename would add atomicity, not
 *   safety, and would drop the file's mode, owner and hard links and could not append.
 *
 * Not covered. Hard links: a file inside hard-linked to one outside is one file, and is
 * written through; making such a link needs rights over the outside file
 * (fs.protected_hardlinks), so it gains nobody anything. Renaming a folder out of the
 * root mid-call needs write access to both places, so it is no confused-deputy escape;
 * reads and writes refuse it anyway (the descriptor check).
 * Without /proc (macOS, the BSDs) Node offers no way to open relative to a descriptor:
 * the same walk runs on full paths, each component still O_NOFOLLOW, and each opened
 * descriptor must be the file (device and inode) at the realpath of its name, inside the
 * root, as must a held folder just before a name in it is used. That narrows the window
 * to microseconds between a check and the use of a name, but does not close it.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { ToolError } from '../tool-error.js';
import { confine, inside } from './confine.js';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const DIR_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | NOFOLLOW;
export const READ = constants.O_RDONLY;
export const WRITE = constants.O_WRONLY | constants.O_CREAT;
export const APPEND = WRITE | constants.O_APPEND;

/** A folder held open, and the symlink-free path it was reached by. */
export interface Dir {
    readonly fh: FileHandle;
    readonly path: string;
}

/** One call's hold on the root, and the target's components below it. */
export interface Beneath {
    readonly root: Dir;
    readonly rootReal: string;
    /** Components of the target below the root; empty for the root itself. */
    readonly parts: readonly string[];
    readonly tool: string;
    readonly userPath: string;
}

/** Whether `/proc/self/fd/N/name` resolves through descriptor N (Linux); probed once. */
let viaProc: boolean | undefined;

/** Tests: run the portable walk (no `/proc`) where `/proc` exists, or probe again. */
export function usePortableWalk(on: boolean): void {
    viaProc = on ? false : undefined;
}

/**
 * Without `/proc`, names are full paths again: `dir` is checked to still be where its
 * path says just before each use (narrowing the window). With `/proc`: nothing to do.
 */
export async function still(b: Beneath, dir: Dir): Promise<void> {
    if (!viaProc) {
        await check(b, dir.fh, dir.path);
    }
}

/** A name for entry `name` of `dir` (or `dir` itself) resolved from the held folder. */
export function at(dir: Dir, name?: string): string {
    if (viaProc) {
        return name === undefined ? `/proc/self/fd/${dir.fh.fd}` : `/proc/self/fd/${dir.fh.fd}/${name}`;
    }
    return name === undefined ? dir.path : path.join(dir.path, name);
}

export function errno(err: unknown): string | undefined {
    return (err as NodeJS.ErrnoException | undefined)?.code;
}

export function denied(b: Beneath, why: string): ToolError {
    return new ToolError('denied', `${b.tool}: '${b.userPath}' ${why}`);
}

function swapped(b: Beneath, dir: Dir, name: string): ToolError {
    const rel = path.relative(b.rootReal, path.join(dir.path, name)).split(path.sep).join('/');
    return denied(b, `was refused: '${rel}' was swapped for a symbolic link while it was opened`);
}

/** Checks `userPath`, opens the root and runs `fn`; the root is closed after. */
export async function withBeneath<T>(root: string, userPath: string, tool: string, fn: (b: Beneath) => Promise<T>): Promise<T> {
    const { rootReal, full } = await confine(root, userPath, tool);
    const fh = await open(rootReal, DIR_FLAGS);
    try {
        viaProc ??= await readlink(`/proc/self/fd/${fh.fd}`).then(
            () => true,
            () => false,
        );
        const rel = path.relative(rootReal, full);
        const b: Beneath = { root: { fh, path: rootReal }, rootReal, parts: rel === '' ? [] : rel.split(path.sep), tool, userPath };
        await check(b, fh, rootReal);
        return await fn(b);
    } catch (err) {
        throw tidy(tool, userPath, err);
    } finally {
        await fh.close();
    }
}

/**
 * A ToolError naming the user's path: Node's own messages name `/proc/self/fd/N/...`.
 * A missing file or folder is `not-found`.
 */
function tidy(tool: string, userPath: string, err: unknown): unknown {
    const code = errno(err);
    // System errors only (they carry `syscall`): an AbortError goes on as it is.
    if (!(err instanceof Error) || code === undefined || (err as NodeJS.ErrnoException).syscall === undefined) {
        return err;
    }
    if (code === 'ENOENT') {
        return new ToolError('not-found', `${tool}: '${userPath}' does not exist`, { cause: err });
    }
    return new ToolError('tool-error', `${tool}: '${userPath}': ${err.message.split(',')[0]}`, { cause: err });
}

/** Refuses a descriptor that is not, by the kernel's account, inside the root. */
async function check(b: Beneath, fh: FileHandle, expected: string): Promise<void> {
    if (viaProc) {
        if (!inside(b.rootReal, await readlink(`/proc/self/fd/${fh.fd}`))) {
            throw denied(b, 'leads outside the workspace root (a folder on the way was moved while it was opened)');
        }
        return;
    }
    const real = await realpath(expected).catch(() => undefined);
    const [opened, named] = await Promise.all([fh.stat(), real !== undefined && inside(b.rootReal, real) ? stat(real).catch(() => undefined) : undefined]);
    if (named === undefined || named.dev !== opened.dev || named.ino !== opened.ino) {
        throw denied(b, 'leads outside the workspace root (a folder on the way changed while it was opened)');
    }
}

/** `err` from opening `name` of `dir` with O_NOFOLLOW: `denied` when it met a symlink. */
async function refusal(b: Beneath, dir: Dir, name: string, err: unknown): Promise<unknown> {
    const code = errno(err);
    if (code === 'ELOOP' || code === 'EMLINK') {
        return swapped(b, dir, name);
    }
    if (code === 'ENOTDIR') {
        // O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR on Linux. Still a file there: a
        // plain ENOTDIR; a link, a folder or nothing (flipped since): it was swapped.
        const now = await lstat(at(dir, name)).catch(() => undefined);
        if (now === undefined || now.isSymbolicLink() || now.isDirectory()) {
            return swapped(b, dir, name);
        }
    }
    return err;
}

/** Opens folder `name` of `dir`, never through a symlink; with `create`, makes it when missing. */
export async function openDir(b: Beneath, dir: Dir, name: string, create = false): Promise<Dir> {
    let fh: FileHandle | undefined;
    // mkdir then open: what mkdir made, or found, may be gone (or swapped) before the open.
    for (let attempt = 0; fh === undefined; attempt++) {
        try {
            await still(b, dir);
            fh = await open(at(dir, name), DIR_FLAGS);
        } catch (err) {
            if (!create || errno(err) !== 'ENOENT' || attempt === 8) {
                throw await refusal(b, dir, name, err);
            }
            await mkdir(at(dir, name)).catch((e: unknown) => {
                if (errno(e) !== 'EEXIST') {
                    throw e;
                }
            });
        }
    }
    const child = { fh, path: path.join(dir.path, name) };
    try {
        await check(b, fh, child.path);
    } catch (err) {
        await fh.close();
        throw err;
    }
    return child;
}

/** Closes a folder from `walk` (not the root, which `withBeneath` closes). */
export async function closeDir(b: Beneath, dir: Dir): Promise<void> {
    if (dir !== b.root) {
        await dir.fh.close();
    }
}

/** Opens the folder `parts` below the root, component by component (`create`: mkdir -p). */
export async function walk(b: Beneath, parts: readonly string[], create = false): Promise<Dir> {
    let cur = b.root;
    for (const name of parts) {
        let next: Dir;
        try {
            next = await openDir(b, cur, name, create);
        } finally {
            await closeDir(b, cur);
        }
        cur = next;
    }
    return cur;
}

/** Runs `fn` with the target's folder held open and the target's name in it. */
export async function withParent<T>(b: Beneath, create: boolean, fn: (dir: Dir, name: string) => Promise<T>): Promise<T> {
    if (b.parts.length === 0) {
        throw new ToolError('invalid-param', `${b.tool}: '${b.userPath}' is the workspace root folder, not a file`);
    }
    const dir = await walk(b, b.parts.slice(0, -1), create);
    try {
        return await fn(dir, b.parts[b.parts.length - 1]!);
    } finally {
        await closeDir(b, dir);
    }
}

/**
 * Runs `fn` on the target file opened with `flags` (READ, WRITE or APPEND; never
 * through a symlink, never blocking on a FIFO), once it is checked to be a regular file
 * inside the root. WRITE neither truncates nor writes: `fn` does, after the check.
 */
export async function withFile<T>(b: Beneath, flags: number, fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    return withParent(b, flags !== READ, async (dir, name) => {
        let fh: FileHandle;
        try {
            await still(b, dir);
            fh = await open(at(dir, name), flags | NOFOLLOW | (constants.O_NONBLOCK ?? 0), 0o666);
        } catch (err) {
            if (errno(err) === 'EISDIR') {
                throw new ToolError('invalid-param', `${b.tool}: '${b.userPath}' is a folder, not a file`);
            }
            if (errno(err) === 'ENXIO') {
                // Opening a FIFO with no reader (or a socket) for writing, without blocking.
                throw new ToolError('invalid-param', `${b.tool}: '${b.userPath}' is not a regular file`);
            }
            throw await refusal(b, dir, name, err);
        }
        try {
            await check(b, fh, path.join(dir.path, name));
            const st = await fh.stat();
            if (!st.isFile()) {
                throw new ToolError('invalid-param', `${b.tool}: '${b.userPath}' is ${st.isDirectory() ? 'a folder' : 'not a regular file'}`);
            }
            return await fn(fh);
        } finally {
            await fh.close();
        }
    });
}

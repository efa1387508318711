/**
 * Listing and deleting folder trees below the workspace root, race-free: every entry is
 * reached through its parent's open descriptor (`beneath.ts`), a subfolder is entered
 * only by opening it with O_NOFOLLOW, and an entry is removed with unlink/rmdir in its
 * held parent, which never follow a symlink. A folder swapped for a symlink mid-delete
 * loses the link, never what it points to. Both stop when the step's signal aborts (a
 * timeout, a cancel), and a listing stops once it is larger than the output limit.
 */
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { ToolError } from '../tool-error.js';
import { outputTooLarge } from '../../run/output-limit.js';
import { at, errno, openDir, still, type Beneath, type Dir } from './beneath.js';

export interface Entry {
    name: string;
    type: 'directory' | 'symlink' | 'file' | 'other';
}

/** What bounds a listing: the step's signal, and the output limit (about, as JSON). */
export interface ListBounds {
    signal?: AbortSignal;
    maxBytes?: number;
}

/** The entries of `dir`, names relative to it with `/`; `recursive` enters real subfolders. */
export async function listTree(b: Beneath, dir: Dir, recursive: boolean, bounds: ListBounds = {}): Promise<Entry[]> {
    return walkTree(b, dir, recursive, bounds, '', [], { bytes: 0 });
}

async function walkTree(b: Beneath, dir: Dir, recursive: boolean, bounds: ListBounds, prefix: string, out: Entry[], size: { bytes: number }): Promise<Entry[]> {
    bounds.signal?.throwIfAborted();
    await still(b, dir);
    for (const e of await readdir(at(dir), { withFileTypes: true })) {
        const type = e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'other';
        out.push({ name: prefix + e.name, type });
        // `{"name":"…","type":"…"},` is about 30 bytes besides the name.
        size.bytes += prefix.length + e.name.length + 30;
        if (bounds.maxBytes !== undefined && size.bytes > bounds.maxBytes) {
            throw outputTooLarge(`${b.tool}: the listing of '${b.userPath}'`, size.bytes, bounds.maxBytes, true);
        }
        if (!recursive || type !== 'directory') {
            continue;
        }
        let sub: Dir;
        try {
            sub = await openDir(b, dir, e.name);
        } catch (err) {
            if (errno(err) === 'ENOENT') {
                continue; // removed since it was listed
            }
            throw err;
        }
        try {
            await walkTree(b, sub, true, bounds, `${prefix}${e.name}/`, out, size);
        } finally {
            await sub.fh.close();
        }
    }
    return out;
}

/** Attempts per entry when it keeps changing type (file, folder, link) under us. */
const ATTEMPTS = 16;

/**
 * Removes entry `name` of `dir` (a folder only when `recursive`, with its contents);
 * false when there was nothing to remove.
 */
export async function removeEntry(b: Beneath, dir: Dir, name: string, recursive: boolean, signal?: AbortSignal): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        signal?.throwIfAborted();
        const st = await lstat(at(dir, name)).catch((err: unknown) => {
            if (errno(err) === 'ENOENT') {
                return undefined;
            }
            throw err;
        });
        if (st === undefined) {
            return false;
        }
        if (!st.isDirectory()) {
            try {
                await still(b, dir);
                await unlink(at(dir, name));
                return true;
            } catch (err) {
                const code = errno(err);
                if (code === 'ENOENT') {
                    return false;
                }
                if (code !== 'EISDIR' && code !== 'EPERM') {
                    throw err;
                }
                continue; // became a folder (macOS says EPERM)
            }
        }
        if (!recursive) {
            throw new ToolError('invalid-param', `${b.tool}: '${b.userPath}' is a folder: pass recursive: true to delete it`);
        }
        let sub: Dir;
        try {
            sub = await openDir(b, dir, name);
        } catch (err) {
            if (errno(err) === 'ENOENT' || (err instanceof ToolError && err.code === 'denied')) {
                continue; // gone, or a link now: look again
            }
            throw err;
        }
        try {
            await still(b, sub);
            for (const child of await readdir(at(sub))) {
                await removeEntry(b, sub, child, true, signal);
            }
        } finally {
            await sub.fh.close();
        }
        try {
            await still(b, dir);
            await rmdir(at(dir, name));
            return true;
        } catch (err) {
            const code = errno(err);
            if (code === 'ENOENT') {
                return true;
            }
            if (code !== 'ENOTDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') {
                throw err;
            }
            // A link now, or new entries appeared: look again.
        }
    }
    throw new ToolError('tool-error', `${b.tool}: '${b.userPath}' kept changing while it was deleted`);
}

/**
 * Listing and deleting folder trees below the workspace root, race-free: every entry is
 * reached through its parent's open descriptor (`beneath.ts`), a subfolder is entered
 * only by opening it with O_NOFOLLOW, and an entry is removed with unlink/rmdir in its
 * held parent, which never follow a symlink. A folder swapped for a symlink mid-delete
 * loses the link, never what it points to.
 */
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { ToolError } from '../tool-error.js';
import { at, errno, openDir, still, type Beneath, type Dir } from './beneath.js';

export interface Entry {
    name: string;
    type: 'directory' | 'symlink' | 'file' | 'other';
}

/** The entries of `dir`, names relative to it with `/`; `recursive` enters real subfolders. */
export async function listTree(b: Beneath, dir: Dir, recursive: boolean, prefix = '', out: Entry[] = []): Promise<Entry[]> {
    await still(b, dir);
    for (const e of await readdir(at(dir), { withFileTypes: true })) {
        const type = e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'other';
        out.push({ name: prefix + e.name, type });
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
            await listTree(b, sub, true, `${prefix}${e.name}/`, out);
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
export async function removeEntry(b: Beneath, dir: Dir, name: string, recursive: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
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
                await removeEntry(b, sub, child, true);
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

/**
 * Confinement of file paths to the workspace root. A path is refused (code `denied`)
 * when it leaves the root lexically (`..`, an absolute path elsewhere) or physically:
 * the realpath of the nearest existing ancestor (or of the target itself, when it
 * exists) must lie inside the realpath of the root, so a symlink pointing out is
 * refused even when the name looks harmless.
 *
 * This decides which path a user's path means, by name. It is not enough alone to open
 * that path: a folder on the way may be swapped for a symlink between this check and the
 * open. The file tools therefore open what `confine` returns through `beneath.ts`, one
 * component at a time from the opened root, refusing symlinks (see its header).
 */
import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { ToolError } from '../tool-error.js';

export function inside(root: string, candidate: string): boolean {
    const rel = path.relative(root, candidate);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function exists(p: string): Promise<boolean> {
    try {
        await lstat(p);
        return true;
    } catch {
        return false;
    }
}

/**
 * The absolute path `userPath` names inside `root`, checked. `userPath` is relative to
 * the root, or absolute (allowed only when it lies inside the root).
 */
export async function confinedPath(root: string, userPath: string, tool: string): Promise<string> {
    return (await confine(root, userPath, tool)).full;
}

/**
 * `confinedPath` with the root's real path: `full` lies inside `rootReal` and has no
 * symlink between them (symlinks staying inside are resolved), as of the check.
 */
export async function confine(root: string, userPath: string, tool: string): Promise<{ rootReal: string; full: string }> {
    if (userPath.includes('\0')) {
        throw new ToolError('denied', `${tool}: invalid path`);
    }
    const rootReal = await realpath(path.resolve(root));
    const lexical = path.resolve(rootReal, userPath);
    // Also compare against the root as given: on macOS /tmp is a symlink to /private/tmp
    // and a user's absolute path uses the name they know.
    const givenRoot = path.resolve(root);
    const target = inside(rootReal, lexical) ? lexical : inside(givenRoot, lexical) ? path.join(rootReal, path.relative(givenRoot, lexical)) : undefined;
    if (target === undefined) {
        throw new ToolError('denied', `${tool}: '${userPath}' is outside the workspace root`);
    }
    // Nearest existing ancestor (the target itself when it exists, dangling links too).
    let probe = target;
    while (!(await exists(probe))) {
        const parent = path.dirname(probe);
        if (parent === probe) {
            break;
        }
        probe = parent;
    }
    let real: string;
    try {
        real = await realpath(probe);
    } catch {
        // A dangling symlink: where it points cannot be checked, so it is refused.
        throw new ToolError('denied', `${tool}: '${userPath}' goes through a link that cannot be resolved`);
    }
    if (!inside(rootReal, real)) {
        throw new ToolError('denied', `${tool}: '${userPath}' leads outside the workspace root (through a symbolic link)`);
    }
    return { rootReal, full: path.join(real, path.relative(probe, target)) };
}

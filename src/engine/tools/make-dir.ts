/**
 * `mkdir -p` without Node's `{ recursive: true }`, which loops forever (100% CPU, never
 * returning) where mkdir answers ENOENT for a folder whose parent exists: /proc, /sys and
 * other pseudo file systems (`kmflow run --root /proc` hung). Here each missing folder is
 * made once, from the top, and the first failure is thrown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folders of `dir` that do not exist yet, outermost first. */
function missingSync(dir: string): string[] {
    const missing: string[] = [];
    for (let at = path.resolve(dir); ; at = path.dirname(at)) {
        try {
            fs.statSync(at);
            return missing.reverse();
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) {
                throw err;
            }
            missing.push(at);
        }
    }
}

async function missingAsync(dir: string): Promise<string[]> {
    const missing: string[] = [];
    for (let at = path.resolve(dir); ; at = path.dirname(at)) {
        try {
            await fs.promises.stat(at);
            return missing.reverse();
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) {
                throw err;
            }
            missing.push(at);
        }
    }
}

function existed(err: unknown): boolean {
    return (err as NodeJS.ErrnoException).code === 'EEXIST';
}

/** Makes `dir` and its missing parents; throws (ENOENT, EACCES, ...) when one cannot be made. */
export function makeDirSync(dir: string): void {
    for (const folder of missingSync(dir)) {
        try {
            fs.mkdirSync(folder);
        } catch (err) {
            if (!existed(err)) {
                throw err;
            }
        }
    }
}

/** Makes `dir` and its missing parents; rejects (ENOENT, EACCES, ...) when one cannot be made. */
export async function makeDir(dir: string): Promise<void> {
    for (const folder of await missingAsync(dir)) {
        await fs.promises.mkdir(folder).catch((err: unknown) => {
            if (!existed(err)) {
                throw err;
            }
        });
    }
}

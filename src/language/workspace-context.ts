/**
 * The workspace's own files as context for a command, as the language server has them:
 * `server` declarations are workspace-wide, so `kmflow check a.kmflow` and `run` see the
 * `server km { ... }` that `servers.kmflow` beside it declares. Only files that declare a
 * server are context; the walk is bounded so a command run in a large folder stays quick.
 * The same walk finds the files that declare tests (`kmflow test` without files).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Folders never searched: state, dependencies, build output, VCS. */
const SKIP = new Set(['node_modules', 'out', 'dist', 'build', 'target']);
const MAX_DEPTH = 6;
const MAX_FILES = 2000;
const MAX_BYTES = 1024 * 1024;
/** A `server NAME {` declaration at the start of a line (comments aside). */
const DECLARES_SERVER = /^[ \t]*server[ \t]+(?:[A-Za-z_]\w*|"[^"\n]*")[ \t\r\n]*\{/m;

/** A `test "NAME"` block at the start of a line. */
const DECLARES_TEST = /^[ \t]*test[ \t]+"/m;

/**
 * `.kmflow` files under `root` that declare a server, with their text; not those in
 * `loaded` (absolute paths), which the command reads anyway (a 10,000-step file was read,
 * decoded and searched twice).
 */
export function serverContextFiles(root: string, loaded: ReadonlySet<string> = new Set()): Promise<Array<{ file: string; text: string }>> {
    return kmflowFilesUnder(root, (text) => DECLARES_SERVER.test(text), loaded);
}

/** `.kmflow` files under `root` that declare a test, in a stable order. */
export async function testFiles(root: string): Promise<string[]> {
    return (await kmflowFilesUnder(root, (text) => DECLARES_TEST.test(text))).map((f) => f.file).sort();
}

/** `.kmflow` files under `root` whose text passes `keep`, with their text. */
async function kmflowFilesUnder(root: string, keep: (text: string) => boolean, skip: ReadonlySet<string> = new Set()): Promise<Array<{ file: string; text: string }>> {
    const found: Array<{ file: string; text: string }> = [];
    let seen = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
        let entries;
        try {
            entries = await fs.readdir(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const entry of entries) {
            if (seen >= MAX_FILES) {
                return;
            }
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (depth < MAX_DEPTH && !entry.name.startsWith('.') && !SKIP.has(entry.name)) {
                    await walk(full, depth + 1);
                }
            } else if (entry.isFile() && entry.name.endsWith('.kmflow') && !skip.has(full)) {
                seen++;
                const text = await readSmall(full);
                if (text !== undefined && keep(text)) {
                    found.push({ file: full, text });
                }
            }
        }
    };
    await walk(path.resolve(root), 0);
    return found;
}

async function readSmall(file: string): Promise<string | undefined> {
    try {
        const stat = await fs.stat(file);
        return stat.size <= MAX_BYTES ? await fs.readFile(file, 'utf8') : undefined;
    } catch {
        return undefined;
    }
}

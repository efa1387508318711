/**
 * Every path a caller gives the MCP face stays in the root: `{file}` and the imports of
 * a caller's source text or dictionary. No `..` out, no absolute path elsewhere, no
 * symbolic link leading out (the file tools' `confine`), and only `.kmflow` files.
 * Bundled catalogs (`import "km"`) are no paths and always allowed.
 */
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { confinedPath } from '../engine/tools/index.js';
import { ToolError } from '../engine/tools/index.js';
import { resolveImport } from '../language/catalogs.js';
import { isDocument } from '../language/generated/ast.js';

export type Confined = { ok: true; file: string } | { ok: false; line: string };

const FILE_FIELD = 'workflow_definition.file';

/**
 * `userPath` checked to stay in the root; the path answered is the lexical one under the
 * root as given (the name the workspace's other documents have for it), not its real path.
 */
async function confined(root: string, userPath: string, label: string): Promise<Confined> {
    try {
        await confinedPath(root, userPath, label);
        return { ok: true, file: path.resolve(root, userPath) };
    } catch (err) {
        if (err instanceof ToolError) {
            return { ok: false, line: `${err.message}: refused (paths stay inside the server's root)` };
        }
        throw err;
    }
}

/** The file a `{file}` definition names, inside the root and a `.kmflow` file. */
export async function confineDefinitionFile(root: string, file: string): Promise<Confined> {
    if (file.trim() === '') {
        return { ok: false, line: `${FILE_FIELD}: empty: name a .kmflow file of the server's root` };
    }
    const inRoot = await confined(root, file, FILE_FIELD);
    if (inRoot.ok && !inRoot.file.endsWith('.kmflow')) {
        return { ok: false, line: `${FILE_FIELD}: '${file}' is not a .kmflow file: refused` };
    }
    return inRoot;
}

/** The files a caller's document imports, each confined to the root; refusals as lines. */
export async function confineImports(root: string, document: LangiumDocument, label: string): Promise<{ files: string[]; refused: string[] }> {
    const ast = document.parseResult.value;
    const files: string[] = [];
    const refused: string[] = [];
    for (const imp of isDocument(ast) ? ast.imports : []) {
        const target = imp.path ? resolveImport(document.uri, imp.path) : undefined;
        if (target?.scheme !== 'file') {
            continue;
        }
        const inRoot = await confined(root, target.fsPath, `${label}: import '${imp.path}'`);
        if (inRoot.ok) {
            files.push(inRoot.file);
        } else {
            refused.push(inRoot.line);
        }
    }
    return { files, refused };
}

/**
 * The two names the CLI's bundle gives Langium's document builder in place of
 * vscode-languageserver-protocol's (src/cli/document-builder-protocol.ts, esbuild.mjs): the
 * same error codes and the same error class, and a `kmflow check` that no longer loads the
 * protocol's Node transport (`net`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as protocol from 'vscode-languageserver-protocol';
import { describe, expect, it } from 'vitest';
import { LSPErrorCodes, ResponseError } from '../../src/cli/document-builder-protocol.js';
import { KMFLOW } from '../helpers/cli.js';

/** Writes the Node modules the process loaded to the file its argument names, at exit. */
const LIST_MODULES = `process.on('exit', () => require('node:fs').writeFileSync(process.env.KMFLOW_TEST_MODULES, process.moduleLoadList.join('\\n')));`;

describe('the document builder\'s protocol names in the CLI', () => {
    it('are the package\'s codes and its error class', () => {
        for (const [name, code] of Object.entries(LSPErrorCodes)) {
            expect(code, name).toBe(protocol.LSPErrorCodes[name as keyof typeof protocol.LSPErrorCodes]);
        }
        expect(ResponseError).toBe(protocol.ResponseError);
        const error = new ResponseError(LSPErrorCodes.ServerCancelled, 'gone');
        expect(error).toBeInstanceOf(protocol.ResponseError);
        expect(error.toJson()).toEqual({ code: -32802, message: 'gone' });
    });

    it('leave the protocol\'s Node transport unloaded by a `kmflow check`', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-protocol-'));
        try {
            fs.writeFileSync(path.join(dir, 'one.kmflow'), 'workflow w { step a uses log { with { message: "hi" } } }\n');
            fs.writeFileSync(path.join(dir, 'list.cjs'), LIST_MODULES);
            const modules = path.join(dir, 'modules.txt');
            // Output to a file: a pipe would load `net` for the process's own stdout.
            const out = fs.openSync(path.join(dir, 'out.txt'), 'w');
            const child = spawnSync(process.execPath, ['-r', path.join(dir, 'list.cjs'), KMFLOW, 'check', 'one.kmflow'], {
                cwd: dir, stdio: ['ignore', out, out], env: { ...process.env, KMFLOW_TEST_MODULES: modules },
            });
            fs.closeSync(out);
            expect(child.status, fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe(0);
            const loaded = fs.readFileSync(modules, 'utf8').split('\n');
            expect(loaded).toContain('NativeModule fs');
            expect(loaded).not.toContain('NativeModule net');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

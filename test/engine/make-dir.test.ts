import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, makeDirSync } from '../../src/engine/tools/make-dir.js';

describe('makeDir (mkdir -p without the recursive flag)', () => {
    it('makes missing parents and accepts folders that exist', async () => {
        const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mkdir-'));
        makeDirSync(path.join(base, 'a/b/c'));
        await makeDir(path.join(base, 'a/b/d/e'));
        makeDirSync(path.join(base, 'a/b/c'));
        await makeDir(path.join(base, 'a'));
        expect(fs.statSync(path.join(base, 'a/b/c')).isDirectory()).toBe(true);
        expect(fs.statSync(path.join(base, 'a/b/d/e')).isDirectory()).toBe(true);
    });

    it('fails under a file', async () => {
        const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mkdir-'));
        fs.writeFileSync(path.join(base, 'f'), '');
        expect(() => makeDirSync(path.join(base, 'f/x'))).toThrow(/ENOTDIR/);
        await expect(makeDir(path.join(base, 'f/x/y'))).rejects.toThrow(/ENOTDIR/);
    });

    // Node's { recursive: true } spins forever here: mkdir answers ENOENT under /proc.
    it.skipIf(!fs.existsSync('/proc/self'))('fails at once where mkdir answers ENOENT (/proc)', async () => {
        expect(() => makeDirSync('/proc/.kmflow/runs')).toThrow(/ENOENT/);
        await expect(makeDir('/proc/.kmflow/runs')).rejects.toThrow(/ENOENT/);
    });
});

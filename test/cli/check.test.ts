import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir: string;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-check-'));
    fs.writeFileSync(path.join(dir, 'clean.kmflow'), 'workflow w {\n  step a uses log { with { message: "hi" } }\n}\n');
    fs.writeFileSync(path.join(dir, 'warn.kmflow'), 'workflow w {\n  step a uses log { with { message: secret.TOKEN } }\n}\n');
    fs.writeFileSync(path.join(dir, 'broken.kmflow'), 'workflow w {\n  step a uses lgo\n  step b uses log { with { message: "b" } after zz }\n}\n');
    fs.writeFileSync(path.join(dir, 'junk.kmflow'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]));
    fs.writeFileSync(path.join(dir, 'huge.kmflow'), Buffer.alloc(10 * 1024 * 1024, 0x61));
    fs.mkdirSync(path.join(dir, 'folder.kmflow'));
    fs.writeFileSync(path.join(dir, 'shared.kmflow'), 'tool notify { capabilities notify via builtin "log" }\n');
    fs.writeFileSync(path.join(dir, 'uses-import.kmflow'),
        'import "./shared.kmflow"\nworkflow w {\n  step a uses notify { with { message: "x" } }\n}\n');
});

describe('kmflow check', () => {
    it('exits 0 on a clean file and prints no diagnostics', async () => {
        const r = await runCli(['check', 'clean.kmflow'], { cwd: dir });
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('');
    });

    it('exits 0 with warnings only, printing them as file:line:col severity code message', async () => {
        const r = await runCli(['check', 'warn.kmflow'], { cwd: dir });
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toMatch(/^warn\.kmflow:2:37 warning sensitive-data secret 'TOKEN' flows into/);
    });

    it('exits 1 on errors with 1-based positions', async () => {
        const r = await runCli(['check', 'broken.kmflow'], { cwd: dir });
        expect(r.code).toBe(1);
        expect(r.stdout.trim().split('\n')).toEqual([
            "broken.kmflow:2:15 error unknown-tool unknown tool 'lgo'; did you mean 'log'?",
            "broken.kmflow:3:49 error unknown-step 'after' names no step 'zz' of this workflow",
        ]);
        expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    });

    it('prints one JSON document with --json', async () => {
        const r = await runCli(['check', 'broken.kmflow', 'clean.kmflow', '--json'], { cwd: dir });
        expect(r.code).toBe(1);
        const doc = JSON.parse(r.stdout) as { diagnostics: Array<Record<string, unknown>> };
        expect(Object.keys(doc)).toEqual(['diagnostics']);
        expect(doc.diagnostics[0]).toEqual({
            file: 'broken.kmflow', line: 2, column: 15, endLine: 2, endColumn: 18,
            severity: 'error', code: 'unknown-tool', message: "unknown tool 'lgo'; did you mean 'log'?",
        });
        expect(doc.diagnostics).toHaveLength(2);
    });

    it('follows imports', async () => {
        const r = await runCli(['check', 'uses-import.kmflow'], { cwd: dir });
        expect(r.stdout).toBe('');
        expect(r.code).toBe(0);
    });

    for (const [file, why] of [
        ['missing.kmflow', 'no such file'],
        ['folder.kmflow', 'is a directory'],
        ['junk.kmflow', 'is binary'],
        ['huge.kmflow', 'is too large (10.0 MB'],
    ]) {
        it(`gives ${file} one clear line and exit 2`, async () => {
            const r = await runCli(['check', file], { cwd: dir });
            expect(r.code).toBe(2);
            const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('checked '));
            expect(lines).toEqual([`${file}: ${lines[0].slice(file.length + 2)}`]);
            expect(lines[0]).toContain(why);
        });
    }

    it('reports unusable files in JSON too', async () => {
        const r = await runCli(['check', 'missing.kmflow', 'clean.kmflow', '--json'], { cwd: dir });
        expect(r.code).toBe(2);
        expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [], errors: [{ file: 'missing.kmflow', message: 'no such file' }] });
    });

    it('rejects bad usage with exit 2', async () => {
        expect((await runCli(['check'], { cwd: dir })).code).toBe(2);
        expect((await runCli(['check', '--bogus', 'x'], { cwd: dir })).code).toBe(2);
        expect((await runCli(['frobnicate'], { cwd: dir })).code).toBe(2);
    });
});

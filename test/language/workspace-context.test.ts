/** The workspace's context files: the `.kmflow` files that declare a server, found by a bounded walk. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverContextFiles, testFiles } from '../../src/language/workspace-context.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-context-'));
const write = (rel: string, text: string): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
};
const servers = write('servers.kmflow', 'server km {\n    command "km-mcp"\n}\n');
const nested = write('sub/more.kmflow', '// tools\n  server "other" {\n}\n');
write('plain.kmflow', 'workflow w {\n    step a uses log {}\n}\n');
write('node_modules/dep/servers.kmflow', 'server dep {\n}\n');
write('.hidden/servers.kmflow', 'server hidden {\n}\n');
write('notes.txt', 'server txt {\n}\n');
const tests = write('flows.kmflow', 'workflow w {}\ntest "it runs" for w {\n}\n');

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('serverContextFiles', () => {
    it('finds the files that declare a server, outside dependencies and hidden folders', async () => {
        const found = await serverContextFiles(root);
        expect(found.map((f) => f.file).sort()).toEqual([servers, nested].sort());
        expect(found.find((f) => f.file === servers)?.text).toBe(fs.readFileSync(servers, 'utf8'));
    });

    it('leaves out the files the command loads anyway', async () => {
        const found = await serverContextFiles(root, new Set([servers]));
        expect(found.map((f) => f.file)).toEqual([nested]);
    });
});

describe('testFiles', () => {
    it('finds the files that declare a test', async () => {
        expect(await testFiles(root)).toEqual([tests]);
    });
});

/**
 * The language server as VS Code's client starts it: `out/language-server.cjs` (src/server/
 * launch.ts) runs the server's bundle with a V8 code cache, written when the client stops
 * it, and goes without one, silently, where the cache folder cannot be made.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp-client.js';

const SERVER = path.resolve(import.meta.dirname, '../../out/language-server.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-server-launch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the server with KMFLOW_COMPILE_CACHE=`cache`, checks a file, completes in it, stops it. */
async function session(cache: string): Promise<void> {
    const client = await LspClient.start(dir, { bin: SERVER, env: { KMFLOW_COMPILE_CACHE: cache } });
    try {
        const uri = pathToFileURL(path.join(dir, 'a.kmflow')).href;
        const diagnostics = await client.diagnosticsAfter(uri, client.open(uri, 'workflow a {\n    step s uses nope { }\n}\n'));
        expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/nope/);
        // The completion parser is made when first used (lsp/lazy-parsers.ts).
        const items = await client.completion(uri, { line: 1, character: 16 });
        expect(items.map((i) => i.label)).toContain('log');
        expect(client.stderr.join('')).toBe('');
    } finally {
        await client.stop();
    }
}

describe('out/language-server.cjs', () => {
    it('writes its code cache when stopped, and starts from it', async () => {
        const cache = path.join(dir, 'cache');
        await session(cache);
        const written = fs.readdirSync(cache).filter((f) => f.startsWith('language-server-') && f.endsWith('.cache'));
        expect(written).toHaveLength(1);
        await session(cache);
        expect(fs.readdirSync(cache).filter((f) => f.endsWith('.cache'))).toEqual(written);
    }, 60_000);

    it('goes without a cache where its folder cannot be made', async () => {
        const file = path.join(dir, 'a-file');
        fs.writeFileSync(file, '');
        await session(path.join(file, 'cache'));
    }, 60_000);
});

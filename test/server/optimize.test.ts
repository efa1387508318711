/**
 * `kmflow/optimize` in the server: without measured history it says so; with it, the
 * recommendations predicted to save more than the noise, each with the edits of the
 * document at its version, which applied give a workflow that checks and prepares.
 */
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { optimizeRequest } from '../../src/server/requests/optimize.js';
import { runRequest } from '../../src/server/requests/run.js';
import type { TextEditInfo } from '../../src/shared/lsp-protocol.js';
import { prepareText } from '../helpers/app-runs.js';
import { applyEdits } from '../lsp/lsp-client.js';
import { fixtureText, ok, startTestServer, type TestServer } from './helpers.js';

const OPT = fixtureText('optimizable.kmflow');

let server: TestServer;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

describe('kmflow/optimize', () => {
    it('says there is no history yet', async () => {
        const uri = await server.file('opt.kmflow', OPT);
        const o = ok(await optimizeRequest(server.ctx, { uri }));
        expect(o.measured).toBe(false);
        expect(o.message).toMatch(/no measured history for 'opt' yet/);
    });

    it('offers the changes that save time, each with the edits that make it', async () => {
        const uri = await server.file('opt.kmflow', OPT, OPT);
        for (let i = 0; i < 3; i++) {
            expect(ok(await runRequest(server.ctx, { uri, runId: `opt-${i}` })).report.status).toBe('succeeded');
        }
        const o = ok(await optimizeRequest(server.ctx, { uri }));
        expect(o.measured).toBe(true);
        expect(o.version).toBe(1);
        expect(o.offered.length).toBeGreaterThan(0);
        expect(o.offered.map((r) => r.change)).toContain('set `max_parallel 2`');
        expect(o.markdown).toContain('## Below the noise (not offered)');
        expect(o.belowNoise).toBeGreaterThan(0);
        for (const r of o.offered) {
            expect(r.effect).toMatch(/^[−+]\d.* \(-?\d+%\), utilization [+-]?\d+ pts$/);
            const edited = applyEdits(OPT, r.edits as TextEditInfo[]);
            expect(edited).not.toBe(OPT);
            await prepareText({ file: path.join(server.root, 'edited.kmflow'), text: edited });
        }
    }, 30_000);
});

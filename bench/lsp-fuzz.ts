/**
 * Language server fuzz (`npm run bench:lsp-fuzz`; `--edits=N` (default 50,000),
 * `--seed=S`, `--max-length=C` (the text starts over past C characters, default 100,000),
 * `--json` for one JSON document).
 *
 * Seeded random edits in bursts against `node bin/kmflow lsp --stdio`, with requests of
 * every kind an editor sends after each burst (test/lsp/lsp-fuzz.ts). Reports edits/s,
 * request latencies (p50, p95, max) and every crash, hang (a request unanswered for 5 s)
 * or failed request; exits 1 if there was any.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../test/lsp/lsp-client.js';
import { percentile } from '../src/shared/stats.js';
import { fuzzServer } from '../test/lsp/lsp-fuzz.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number): number => {
    const given = process.argv.find((a) => a.startsWith(`--${name}=`));
    return given ? Number(given.slice(name.length + 3)) : fallback;
};
const edits = arg('edits', 50_000);
const seed = arg('seed', 20_260_101);
const maxLength = arg('max-length', 100_000);
const json = process.argv.includes('--json');

const sources = ['examples', 'test/fixtures/spec'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8')));

const client = await LspClient.start();
const result = await fuzzServer(client, 'file:///fuzz/main.kmflow', {
    edits, seed, sources, maxLength,
    progress: (done, r) => {
        if (!json && done % 5_000 === 0) {
            console.log(`  ${done} edits, ${r.requests} requests, max ${r.maxLatencyMs.toFixed(0)} ms, ` +
                `${r.hangs.length} hang(s), ${r.failures.length} failure(s)`);
        }
    },
});
const stderr = client.stderr.join('');
await client.stop();

const summary = {
    edits: result.edits, seed, requests: result.requests,
    editsPerSecond: Math.round(result.edits / (result.elapsedMs / 1000)),
    latencyMs: {
        p50: Math.round(percentile(result.latencies, 0.5)), p95: Math.round(percentile(result.latencies, 0.95)),
        max: Math.round(result.maxLatencyMs),
    },
    slowest: result.slowest, elapsedS: Math.round(result.elapsedMs / 100) / 10,
    crashed: result.crashed, hangs: result.hangs, failures: result.failures,
    serverErrors: stderr.match(/RangeError|TypeError|Maximum call stack/g)?.length ?? 0,
};
if (json) {
    console.log(JSON.stringify(summary, null, 2));
} else {
    console.log(`${summary.edits} edits, ${summary.requests} requests in ${summary.elapsedS} s: ${summary.editsPerSecond} edits/s`);
    console.log(`latency p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, max ${summary.latencyMs.max} ms (${summary.slowest})`);
    console.log(`crashed: ${summary.crashed}, hangs: ${summary.hangs.length}, failed requests: ${summary.failures.length}, ` +
        `server errors on stderr: ${summary.serverErrors}`);
    for (const line of [...summary.hangs, ...summary.failures].slice(0, 20)) {
        console.log(`  ${line}`);
    }
}
process.exitCode = summary.crashed || summary.hangs.length > 0 || summary.failures.length > 0 || summary.serverErrors > 0 ? 1 : 0;

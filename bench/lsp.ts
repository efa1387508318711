/**
 * Language server benchmark (`npm run bench:lsp`; `--json` for one JSON document).
 *
 * Documents of 1k and 10k lines (`--lines=1000,10000,50000` to choose), generated from a
 * fixed seed (bench/lsp-documents.ts): workflows of steps over `std` tools, with references.
 * 1. In process (`--no-in-process` skips it): Langium's bare parse beside a cold build
 *    with kmflow's services, and a 200-file workspace (`--no-workspace` skips that).
 * 2. Over a real stdio connection to `node bin/kmflow lsp --stdio` (bench/lsp-wire.ts):
 *    keystroke → the diagnostics published for that version, p50/p95, for a keystroke in
 *    a step title and for typing a new step character by character as VS Code types it
 *    (brackets and quotes auto-closed; many intermediate texts have errors); completion
 *    p95; the server's RSS with the document open.
 *    `--rounds=N` samples each (default 40). The baseline, measured in the same rounds: a
 *    one-workflow document's keystroke (the round trip's floor) and, with `--compare=DIR`,
 *    another build's server (e.g. `git worktree add /tmp/kmflow-base HEAD~5 && (cd
 *    /tmp/kmflow-base && npm run build)`), the two alternating so a busy machine slows both.
 * Targets (issue 16): keystroke p95 ≤ 40 ms at 1k lines and ≤ 150 ms at 10k, completion
 * p95 ≤ 16 ms, RSS ≤ 250 MB with 10k lines open. Reported, never asserted.
 */
import './kmflow-text-loader.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { percentile } from '../src/shared/stats.js';
import { generate } from './lsp-documents.js';
import { WireSession } from './lsp-wire.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const json = process.argv.includes('--json');
const sizes = (arg('lines') ?? '1000,10000').split(',').map(Number);
const rounds = Number(arg('rounds') ?? 40);
const compareDir = arg('compare');
const compareBin = compareDir ? path.resolve(fs.statSync(compareDir).isDirectory() ? path.join(compareDir, 'bin/kmflow') : compareDir) : undefined;
const log = (...args: unknown[]): void => {
    if (!json) {
        console.log(...args);
    }
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const p = (xs: number[], q: number): number => round(percentile(xs, q));

const results: Record<string, unknown> = {};

if (!process.argv.includes('--no-in-process')) {
    const { inProcess } = await import('./lsp-in-process.js');
    // Warm up: the parser is built lazily on first use, and the JIT needs a round.
    await inProcess({ 'warm.kmflow': generate(2_000, 7) });
    for (const lines of sizes) {
        const key = `inProcess${lines / 1000}k`;
        results[key] = { lines, ...(await inProcess({ 'main.kmflow': generate(lines, 42) })) };
        log(`in process, ${lines / 1000}k lines:`, results[key]);
    }
    if (!process.argv.includes('--no-workspace')) {
        const workspace: Record<string, string> = {};
        for (let i = 0; i < 200; i++) {
            workspace[`f${i}.kmflow`] = generate(120, 1000 + i, `f${i}`);
        }
        results.workspace200 = { files: 200, ...(await inProcess(workspace)) };
        log('in process, 200 files:', results.workspace200);
    }
}

interface Contender {
    name: string;
    bin?: string;
}
const contenders: Contender[] = [{ name: 'this build' }, ...(compareBin ? [{ name: `compared (${compareDir})`, bin: compareBin }] : [])];

/** Runs `sample` on each session in turn, `n` rounds, and returns each session's samples. */
async function alternate(sessions: WireSession[], n: number, sample: (s: WireSession, i: number) => Promise<number>): Promise<number[][]> {
    const out = sessions.map(() => [] as number[]);
    for (let i = 0; i < n; i++) {
        for (const [k, s] of sessions.entries()) {
            out[k]!.push(await sample(s, i));
        }
    }
    return out;
}

type Figures = Record<string, number>;
const wire: Record<string, Figures[]> = {};

// The floor: the same round trip on a one-workflow document, this build.
{
    const { session } = await WireSession.open(generate(3, 42));
    try {
        await alternate([session], 4, (s) => s.titleKeystroke());
        const [keys] = await alternate([session], rounds, (s) => s.titleKeystroke());
        wire.floor = [{ lines: generate(3, 42).split('\n').length, keystrokeP50Ms: p(keys!, 0.5), keystrokeP95Ms: p(keys!, 0.95) }];
        log('floor (one workflow):', wire.floor[0]);
    } finally {
        await session.close();
    }
}

for (const lines of sizes) {
    const text = generate(lines, 42);
    const opened: Array<{ session: WireSession; openMs: number }> = [];
    for (const c of contenders) {
        opened.push(await WireSession.open(text, c.bin));
    }
    const sessions = opened.map((o) => o.session);
    try {
        // Warm-up keystrokes (an even number: the text is left as it was).
        await alternate(sessions, 4, (s) => s.titleKeystroke());
        const keys = await alternate(sessions, rounds, (s) => s.titleKeystroke());
        const completions = await alternate(sessions, rounds, (s, i) => s.completion(i));
        const typing = await alternate(sessions, rounds, (s) => s.typingKeystroke());
        wire[`${lines / 1000}k`] = contenders.map((_c, k) => ({
            lines: text.split('\n').length,
            openToDiagnosticsMs: round(opened[k]!.openMs),
            keystrokeP50Ms: p(keys[k]!, 0.5),
            keystrokeP95Ms: p(keys[k]!, 0.95),
            typingP50Ms: p(typing[k]!, 0.5),
            typingP95Ms: p(typing[k]!, 0.95),
            completionP50Ms: p(completions[k]!, 0.5),
            completionP95Ms: p(completions[k]!, 0.95),
            rssMb: round(sessions[k]!.rssMb(), 0),
        }));
        contenders.forEach((c, k) => log(`${lines / 1000}k lines, ${c.name}:`, wire[`${lines / 1000}k`]![k]));
    } finally {
        for (const s of sessions) {
            await s.close();
        }
    }
}
results.wire = wire;
results.contenders = contenders.map((c) => c.name);

if (json) {
    console.log(JSON.stringify(results));
} else {
    printSummary();
}

/** One table: each figure for each build, the ratio to the compared build, and the target. */
function printSummary(): void {
    const rows: Array<[string, string, number | undefined]> = [];
    for (const lines of sizes) {
        const k = `${lines / 1000}k`;
        rows.push([`${k} keystroke → diagnostics p50 (ms)`, `${k}.keystrokeP50Ms`, undefined]);
        rows.push([`${k} keystroke → diagnostics p95 (ms)`, `${k}.keystrokeP95Ms`, lines === 1000 ? 40 : lines === 10000 ? 150 : undefined]);
        rows.push([`${k} typing a step p50 (ms)`, `${k}.typingP50Ms`, undefined]);
        rows.push([`${k} typing a step p95 (ms)`, `${k}.typingP95Ms`, undefined]);
        rows.push([`${k} completion p95 (ms)`, `${k}.completionP95Ms`, 16]);
        rows.push([`${k} server RSS (MB)`, `${k}.rssMb`, lines === 10000 ? 250 : undefined]);
    }
    const value = (key: string, c: number): number | undefined => {
        const [size, field] = key.split('.');
        return wire[size!]?.[c]?.[field!];
    };
    const width = Math.max(...rows.map((r) => r[0].length));
    const floor = wire.floor![0]!;
    console.log(`\nlanguage server over stdio, ${rounds} samples each; floor (a one-workflow document, this build): ` +
        `keystroke p50 ${floor.keystrokeP50Ms} ms, p95 ${floor.keystrokeP95Ms} ms`);
    console.log(`  ${''.padEnd(width)}  ${contenders.map((c) => c.name.slice(0, 14).padStart(14)).join('  ')}${compareBin ? '  × compared' : ''}  target`);
    for (const [label, key, target] of rows) {
        const values = contenders.map((_c, i) => value(key, i));
        const ratio = compareBin && values[0] !== undefined && values[1] ? `${(values[0] / values[1]).toFixed(2).padStart(11)}` : compareBin ? ''.padStart(11) : '';
        const verdict = target === undefined || values[0] === undefined ? '' : `≤ ${target} ${values[0] <= target ? 'ok' : 'OVER'}`;
        console.log(`  ${label.padEnd(width)}  ${values.map((v) => String(v ?? '-').padStart(14)).join('  ')}${ratio ? `  ${ratio}` : ''}  ${verdict}`);
    }
}

/**
 * CLI start-up benchmark (`npm run bench:startup`; `--json` for one JSON document,
 * `--runs=N` rounds (default 10), `--compare=DIR` to measure another build beside this one,
 * e.g. `git worktree add /tmp/kmflow-base HEAD~5 && (cd /tmp/kmflow-base && npm run build)`).
 *
 * The baseline is `node -e 0`, measured in the same rounds. Held to (issue 16, item 1):
 * `kmflow --version` ≤ 2×, `kmflow check` and `kmflow run` of a one-step file ≤ 4×,
 * `kmflow mcp` answering `initialize` ≤ 4× — medians of the wall time. Reported beside them:
 * the language server VS Code starts (out/language-server.cjs) answering `initialize`, with
 * and without its code cache, and publishing a just-opened file's diagnostics (lsp-startup.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    cliOptions, printRows, rounds, summarize, tempDir, timeMcpInitialize, timeNode, type Row, type Sample,
} from './cli-bench.js';
import { timeLspStart } from './lsp-startup.js';

const options = cliOptions(10);
const dir = tempDir('kmflow-startup-');
const file = path.join(dir, 'one.kmflow');
fs.writeFileSync(file, 'workflow one {\n    step a uses log { with { message: "hi" } }\n}\n');

interface Case {
    name: string;
    target?: number;
    run: () => Sample | Promise<Sample>;
}

const roots: string[] = [];

function kmflowCases(bin: string, label: string): Case[] {
    const root = tempDir('kmflow-startup-root-');
    const server = path.resolve(path.dirname(bin), '../out/language-server.cjs');
    roots.push(root);
    return [
        { name: `${label}--version`, target: 2, run: () => timeNode([bin, '--version'], dir) },
        { name: `${label}check`, target: 4, run: () => timeNode([bin, 'check', file], dir) },
        { name: `${label}run`, target: 4, run: () => timeNode([bin, 'run', file, '--root', root], dir) },
        { name: `${label}mcp initialize`, target: 4, run: () => timeMcpInitialize(bin, root) },
        // The editor's language server (out/language-server.cjs beside bin/), reported only.
        { name: `${label}language server initialize`, run: () => timeLspStart(server, root, 'initialize') },
        { name: `${label}language server initialize, no code cache`, run: () => timeLspStart(server, root, 'initialize', { KMFLOW_COMPILE_CACHE: '0' }) },
        { name: `${label}language server first diagnostics`, run: () => timeLspStart(server, root, 'diagnostics') },
    ];
}

const cases: Case[] = [
    { name: 'node -e 0', run: () => timeNode(['-e', '0'], dir) },
    ...kmflowCases(options.kmflow, ''),
    ...(options.compare ? kmflowCases(options.compare, 'compared: ') : []),
];

// One warm-up of each (the disk cache), which also drops what a compared build lacks.
const usable: Case[] = [];
const skipped: string[] = [];
for (const c of cases) {
    const s = await c.run();
    if (s.status === 0) {
        usable.push(c);
    } else {
        skipped.push(c.name);
    }
}

const samples = await rounds(Object.fromEntries(usable.map((c) => [c.name, c.run])), options.runs);
const baseline = summarize('node -e 0', samples['node -e 0']!, 1).wallMs;
const rows: Row[] = usable.map((c) => summarize(c.name, samples[c.name]!, baseline, c.target));

if (options.json) {
    console.log(JSON.stringify({ runs: options.runs, baselineMs: baseline, rows, skipped }, null, 2));
} else {
    printRows(`start-up, median of ${options.runs} rounds (${options.kmflow}${options.compare ? ` vs ${options.compare}` : ''})`, rows);
    if (skipped.length > 0) {
        console.log(`  not measured (failed on the warm-up): ${skipped.join(', ')}`);
    }
}
for (const d of [dir, ...roots]) {
    fs.rmSync(d, { recursive: true, force: true });
}
const over = rows.filter((r) => r.target !== undefined && r.ratio > r.target && !r.name.startsWith('compared'));
process.exitCode = over.length > 0 && process.argv.includes('--strict') ? 1 : 0;

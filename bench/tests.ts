/**
 * Test-runner benchmark (`npm run bench:tests`, `--json` for one JSON document): 100 tests
 * of one 50-step workflow (a DAG of MCP-tool steps with retries, timeouts and a fan-out,
 * from a fixed seed), run the way `kmflow test` runs them — loaded and checked, then all
 * at once on fake clocks — once with every call stubbed (faults included: fails N times,
 * times out, disconnects) and once with the calls replayed from a cassette. Beside them,
 * the baseline: one plain run of the same workflow in the same process (the engine with
 * a connector that answers at once, on the real clock). Target: each set of 100 tests,
 * loading included, in at most 2 s. Median of several rounds after a warm-up.
 */
import './kmflow-text-loader.js';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const { loadTests, runTests, Workspace } = await import('../src/app/index.js');
const { TRUSTED } = await import('../src/engine/security/index.js');
const { runWorkflow } = await import('../src/engine/run/index.js');
const { ToolRegistry } = await import('../src/engine/tools/index.js');
const { CASSETTE_VERSION, formatCassette } = await import('../src/engine/state/recordings/index.js');
const { seededRandom } = await import('../src/engine/run/retry.js');

const json = process.argv.includes('--json');
const STEPS = 50;
const TESTS = 100;
const ROUNDS = 5;
const TARGET_MS = 2000;

const random = seededRandom(15);
const name = (i: number): string => `s${String(i).padStart(2, '0')}`;
/** Every tenth step (from s05) is a fan-out over the items of an earlier plain step. */
const fanOut = (i: number): boolean => i % 10 === 5;
/** Step i's dependencies: up to 3 earlier steps, read as `deps: [A.output, ...]`; a fan-out's first is its source. */
const deps = Array.from({ length: STEPS }, (_, i) => {
    const picked = i === 0 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * i)))];
    return fanOut(i) ? [picked.find((j) => !fanOut(j)) ?? 0, ...picked.filter((j) => fanOut(j))] : picked;
});
const steps = deps.map((d, i) => {
    const options = [
        fanOut(i) ? `each x in ${name(d[0]!)}.output.items` : '',
        `with { q: "${name(i)}", deps: [${d.map((j) => `${name(j)}.output`).join(', ')}]${fanOut(i) ? ', item: x' : ''} }`,
        i % 7 === 3 ? 'retry 3 backoff 1s' : '',
        i % 9 === 4 ? 'timeout 10m' : '',
    ].filter(Boolean).join('  ');
    return `    step ${name(i)} uses fetch { ${options} }`;
});
const FLOW = `server ev { command "/nonexistent/never-started" }
tool fetch { via ev "fetch" output_schema { type: "object", properties: { n: { type: "number" }, items: { type: "array" } } } }
workflow big {
    mode parallel
    errors resilient
${steps.join('\n')}
}
`;

const faults = ['fails "BUSY" "busy" 2 times then returns { n: 2, items: [1, 2] }', 'times out then returns { n: 3, items: [1] }', 'disconnects then returns { n: 4, items: [] }'];
const stubbedTests = Array.from({ length: TESTS }, (_, t) => `test "stubbed ${t}" for big {
    given tool fetch returns { n: ${t}, items: [1, 2, 3] }
    given ${name(3 + 7 * (t % 7))} ${faults[t % faults.length]}
    expect ${name(STEPS - 1)}.ok
    expect run.status == "succeeded"
    expect ${name(0)}.output.n == ${t}
}`).join('\n');
const replayedTests = Array.from({ length: TESTS }, (_, t) => `test "replayed ${t}" for big {
    replay "big"
    expect run.status == "succeeded"
    expect ${name(STEPS - 1)}.output.n == 1
}`).join('\n');

/** The cassette of one run: every call (a fan-out's items too) answering `{ n: 1, items: [1, 2] }`. */
function cassette(): string {
    const answer = { n: 1, items: [1, 2] };
    const output = (j: number): unknown => (fanOut(j) ? answer.items.map(() => answer) : answer);
    const interactions = [];
    for (let i = 0; i < STEPS; i++) {
        const args = { q: name(i), deps: deps[i]!.map(output) };
        for (const call of fanOut(i) ? answer.items.map((x) => ({ ...args, item: x })) : [args]) {
            interactions.push({ server: 'ev', tool: 'fetch', step: name(i), arguments: call, durationMs: 1, result: { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer } });
        }
    }
    return formatCassette({ version: CASSETTE_VERSION, workflows: ['big'], servers: { ev: { tools: [{ name: 'fetch', inputSchema: { type: 'object' } }] } }, interactions });
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
}

interface SetTiming { loadMs: number; runMs: number; totalMs: number; passed: number }

async function runSet(root: string, file: string): Promise<SetTiming> {
    const t0 = performance.now();
    const workspace = Workspace.open({ root, trust: TRUSTED });
    const loaded = await loadTests(workspace, [path.join(root, file)]);
    if (loaded.errors.length > 0 || loaded.tests.length !== TESTS) {
        throw new Error(`${file}: ${loaded.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ') || `${loaded.tests.length} tests`}`);
    }
    const t1 = performance.now();
    const summary = await runTests(workspace, loaded.tests);
    const t2 = performance.now();
    if (summary.failed > 0) {
        const bad = summary.results.find((r) => r.status === 'failed')!;
        throw new Error(`${bad.name}: ${bad.failures.map((f) => f.message).join('; ')}`);
    }
    return { loadMs: t1 - t0, runMs: t2 - t1, totalMs: t2 - t0, passed: summary.passed };
}

/** One plain run of the workflow: the engine, a connector answering at once, the real clock. */
async function plainRun(root: string): Promise<number> {
    const workspace = Workspace.open({ root, trust: TRUSTED });
    const loaded = await loadTests(workspace, [path.join(root, 'stubbed.kmflow')], { filter: 'stubbed 0' });
    const prepared = loaded.tests[0]!.prepared;
    const connector = { call: async () => ({ output: { n: 1, items: [1, 2] } }), close: async () => undefined };
    const t0 = performance.now();
    const report = await runWorkflow(prepared.workflow, { registry: new ToolRegistry(prepared.registry.all()), connectors: new Map([['ev', connector]]), trust: TRUSTED, root });
    const ms = performance.now() - t0;
    if (report.status !== 'succeeded') {
        throw new Error(`the plain run ${report.status}`);
    }
    return ms;
}

const root = await realpath(await mkdtemp(path.join(tmpdir(), 'kmflow-bench-tests-')));
try {
    await writeFile(path.join(root, 'flow.kmflow'), FLOW);
    await writeFile(path.join(root, 'stubbed.kmflow'), `import "./flow.kmflow"\n${stubbedTests}\n`);
    await writeFile(path.join(root, 'replayed.kmflow'), `import "./flow.kmflow"\n${replayedTests}\n`);
    await mkdir(path.join(root, '.kmflow', 'recordings'), { recursive: true });
    await writeFile(path.join(root, '.kmflow', 'recordings', 'big.json'), cassette());
    // Warm-up: JIT, the catalogs' first parse.
    await runSet(root, 'stubbed.kmflow');
    await runSet(root, 'replayed.kmflow');
    await plainRun(root);
    const stubbed: SetTiming[] = [];
    const replayed: SetTiming[] = [];
    const plain: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
        stubbed.push(await runSet(root, 'stubbed.kmflow'));
        replayed.push(await runSet(root, 'replayed.kmflow'));
        plain.push(await plainRun(root));
    }
    const summarize = (set: SetTiming[]): { loadMs: number; runMs: number; totalMs: number; perTestMs: number } => {
        const runMs = median(set.map((s) => s.runMs));
        return { loadMs: median(set.map((s) => s.loadMs)), runMs, totalMs: median(set.map((s) => s.totalMs)), perTestMs: runMs / TESTS };
    };
    const plainMs = median(plain);
    const withRatio = (set: SetTiming[]): ReturnType<typeof summarize> & { perTestVsPlainRun: number } => {
        const summary = summarize(set);
        return { ...summary, perTestVsPlainRun: summary.perTestMs / plainMs };
    };
    const result = {
        tests: TESTS,
        steps: STEPS,
        rounds: ROUNDS,
        targetMs: TARGET_MS,
        plainRunMs: plainMs,
        stubbed: withRatio(stubbed),
        replayed: withRatio(replayed),
    };
    const ok = result.stubbed.totalMs <= TARGET_MS && result.replayed.totalMs <= TARGET_MS;
    if (json) {
        console.log(JSON.stringify({ ...result, ok }, null, 2));
    } else {
        const f = (ms: number): string => `${ms.toFixed(1)} ms`;
        console.log(`${TESTS} tests of a ${STEPS}-step workflow, median of ${ROUNDS} rounds (target: each set in ≤ ${TARGET_MS} ms, loading included)`);
        console.log(`  baseline: one plain run of the workflow        ${f(plainMs)}`);
        for (const [label, set] of [['stubbed', result.stubbed], ['replayed', result.replayed]] as const) {
            console.log(`  ${label.padEnd(9)} load+check ${f(set.loadMs)}, run ${f(set.runMs)}, total ${f(set.totalMs)}; ` +
                `${f(set.perTestMs)} a test = ${set.perTestVsPlainRun.toFixed(2)}× the plain run`);
        }
        console.log(ok ? 'ok' : `over the target of ${TARGET_MS} ms`);
    }
    if (!ok) {
        process.exitCode = 1;
    }
} finally {
    await rm(root, { recursive: true, force: true });
}

/**
 * Benchmarks of the engine under realistic conditions, for `bench/engine.ts`:
 *
 * - faults: a 1000-step random DAG whose steps do 1–5 ms of work (a timer), run
 *   clean, then with 10% of steps failing once (a retryable `disconnected` after
 *   their work) and 1% hanging once until their 25 ms step timeout, each retried
 *   (`retry 2 backoff 2ms`). Target: the faulty run within 1.5× the clean one.
 * - cache: the same DAG under `cache intelligent`, every step a read-only tool with
 *   distinct parameters: executing (cache none) against a rerun answered entirely from
 *   `.kmflow/cache`. Target: the cached rerun at least 10× faster.
 *
 * Fixed seeds; best of RUNS (5), alternating contenders, since only noise adds time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runWorkflow } from '../src/engine/run/scheduler.js';
import { ToolRegistry, type Connector, type ToolContext } from '../src/engine/tools/registry.js';
import { DEFAULT_SETTINGS, type CacheStrategy, type ErrorPolicy, type StepSpec, type WorkflowSpec } from '../src/engine/model/model.js';
import { seededRandom } from '../src/engine/run/retry.js';
import { ToolError } from '../src/engine/tools/tool-error.js';
import { tool } from '../test/engine/helpers.js';

const N = 1000;
const RUNS = 5;

const workTool = tool('work', { readOnly: true, via: { server: 'bench', tool: 'work' } });

/** Waits `ms` (really), or until the signal aborts. */
function work(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
        }, { once: true });
    });
}

interface Faults {
    fail: Set<string>;
    hang: Set<string>;
}

/** A connector whose `work` takes `params.ms`, failing or hanging once per step as told. */
function connector(faults: Faults): Connector {
    const seen = new Set<string>();
    return {
        async call(_tool, params, ctx: ToolContext) {
            const id = ctx.stepId!;
            const first = !seen.has(id);
            seen.add(id);
            if (first && faults.hang.has(id)) {
                await work(60_000, ctx.signal); // until the step timeout aborts it
            }
            await work(Number(params.ms), ctx.signal);
            if (first && faults.fail.has(id)) {
                throw new ToolError('disconnected', 'connection reset');
            }
            return { output: { i: params.i, ms: params.ms } };
        },
        close: async () => undefined,
    };
}

function dag(seed = 11): { steps: StepSpec[]; ids: string[] } {
    const random = seededRandom(seed);
    const steps: StepSpec[] = [];
    for (let i = 0; i < N; i++) {
        const deps = new Set<number>();
        const want = Math.min(i, 1 + Math.floor(random() * 3));
        while (deps.size < want) {
            deps.add(Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 100))));
        }
        steps.push({
            id: `s${i}`,
            tool: 'work',
            with: { kind: 'object', entries: [{ key: 'i', value: { kind: 'literal', value: i } }, { key: 'ms', value: { kind: 'literal', value: 1 + Math.floor(random() * 5) } }] },
            after: [...deps].map((j) => `s${j}`),
            requires: [],
            ensures: [],
            timeoutMs: 25,
            retry: { retries: 2, backoffMs: 2 },
        });
    }
    return { steps, ids: steps.map((s) => s.id) };
}

function workflowOf(steps: StepSpec[], errors: ErrorPolicy, cache: CacheStrategy): WorkflowSpec {
    return { id: 'scenario', inputs: [], settings: { ...DEFAULT_SETTINGS, mode: 'parallel', resources: 'unlimited', errors, cache }, steps };
}

async function timed(run: () => Promise<{ status: string }>): Promise<number> {
    const t0 = performance.now();
    const report = await run();
    if (report.status !== 'succeeded') {
        throw new Error(`benchmark run ${report.status}`);
    }
    return performance.now() - t0;
}

const registry = new ToolRegistry([workTool]);
const round = (x: number, d = 100): number => Math.round(x * d) / d;

/** Clean vs faulty run of the same DAG. */
export async function faults(): Promise<Record<string, number>> {
    const { steps, ids } = dag();
    const random = seededRandom(5);
    const shuffled = [...ids].sort(() => random() - 0.5);
    const hang = new Set(shuffled.slice(0, N / 100));
    const fail = new Set(shuffled.slice(N / 100, N / 100 + N / 10));
    const wf = workflowOf(steps, 'resilient', 'none');
    let clean = Infinity;
    let faulty = Infinity;
    let retries = 0;
    for (let k = 0; k < RUNS; k++) {
        clean = Math.min(clean, await timed(() => runWorkflow(wf, { registry, connectors: new Map([['bench', connector({ fail: new Set(), hang: new Set() })]]), seed: 1 })));
        faulty = Math.min(faulty, await timed(async () => {
            const report = await runWorkflow(wf, { registry, connectors: new Map([['bench', connector({ fail, hang })]]), seed: 1 });
            retries = report.metrics.tools.work!.errors;
            return report;
        }));
    }
    return { steps: N, failOnce: fail.size, timeoutOnce: hang.size, failedCalls: retries, cleanMs: Math.round(clean), faultyMs: Math.round(faulty), ratio: round(faulty / clean) };
}

/** Executing vs a rerun answered from the persistent cache. */
export async function cacheRerun(): Promise<Record<string, number>> {
    const { steps } = dag();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-bench-cache-'));
    try {
        const none = { fail: new Set<string>(), hang: new Set<string>() };
        const run = (cache: CacheStrategy) => runWorkflow(workflowOf(steps, 'fail_fast', cache), { registry, connectors: new Map([['bench', connector(none)]]), root, seed: 1 });
        const populate = await timed(() => run('intelligent'));
        let executing = Infinity;
        let cached = Infinity;
        let hits = 0;
        for (let k = 0; k < RUNS; k++) {
            executing = Math.min(executing, await timed(() => run('none')));
            cached = Math.min(cached, await timed(async () => {
                const report = await run('intelligent');
                hits = report.steps.filter((s) => s.cached).length;
                return report;
            }));
        }
        return { steps: N, cacheHits: hits, populateMs: Math.round(populate), executingMs: Math.round(executing), cachedMs: round(cached, 10), speedup: round(executing / cached, 10) };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

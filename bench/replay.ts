/**
 * Replay benchmark (`npm run bench:replay`, `--json` for one JSON document): one workflow
 * of 24 MCP calls to server-everything plus built-ins, run through the app layer as
 * `kmflow run` does (servers started, listed, called and stopped), against the same run
 * replayed from its cassette with the server absent (cassette read, workspace copied,
 * calls answered). Median wall time of each after a warm-up, and the ratio (target ≥ 20×).
 * The replayed reports must equal the live one (statuses and outputs), or it fails.
 */
import './kmflow-text-loader.js';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PreparedWorkflowRun, Workspace as WorkspaceType } from '../src/app/index.js';
import type { RunReport } from '../src/shared/run-report.js';

const { prepareChecked, runPrepared, Workspace } = await import('../src/app/index.js');
const { TRUSTED } = await import('../src/engine/security/trust.js');
const { EVERYTHING_SERVER, everythingServer } = await import('../test/helpers/mcp-servers.js');

const json = process.argv.includes('--json');
const REPEAT = 7;
const TARGET = 20;
const CALLS = 24;

const steps = Array.from({ length: CALLS }, (_, i) => i % 2 === 0
    ? `    step echo_${i} uses ev.echo { with { message: "message ${i}" } }`
    : `    step sum_${i} uses ev."get-sum" { with { a: ${i}, b: ${i * 2} } }`);
const FLOW = `${everythingServer()}
workflow replay_bench {
${steps.join('\n')}
    step note uses template { with { template: "{{a}} / {{b}}", values: { a: echo_0.output, b: sum_1.output } } }
    step save uses file.write { with { path: "out/note.txt", content: note.output } }
}
`;

async function prepare(workspace: WorkspaceType, name: string, text: string): Promise<PreparedWorkflowRun> {
    const file = path.join(workspace.root, name);
    await writeFile(file, text);
    const loaded = await workspace.load({ sources: [{ file, text }] });
    return prepareChecked(workspace, loaded.files[0]!)[0]!;
}

async function timed(run: () => Promise<RunReport[]>): Promise<{ ms: number; report: RunReport }> {
    const t0 = performance.now();
    const [report] = await run();
    return { ms: performance.now() - t0, report: report! };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
}

const outcome = (r: RunReport): string => JSON.stringify(r.steps.map((s) => [s.id, s.status, s.output]));

async function main(): Promise<void> {
    const root = await realpath(await mkdtemp(path.join(tmpdir(), 'kmflow-bench-replay-')));
    try {
        const workspace = Workspace.open({ root, trust: TRUSTED });
        const live = await prepare(workspace, 'live.kmflow', FLOW);
        const absent = await prepare(workspace, 'absent.kmflow', FLOW.split(EVERYTHING_SERVER).join('/nonexistent/server-everything.js'));
        const cassette = path.join(root, '.kmflow/recordings/bench.json');
        const recorded = await timed(() => runPrepared(workspace, [{ prepared: live }], { durable: false, record: cassette }));
        if (recorded.report.status !== 'succeeded') {
            throw new Error(`the recorded run ${recorded.report.status}: ${outcome(recorded.report)}`);
        }
        const liveMs: number[] = [];
        const replayMs: number[] = [];
        for (let i = 0; i <= REPEAT; i++) {
            const a = await timed(() => runPrepared(workspace, [{ prepared: live }], { durable: false }));
            const b = await timed(() => runPrepared(workspace, [{ prepared: absent }], { durable: false, replay: cassette }));
            for (const r of [a, b]) {
                if (outcome(r.report) !== outcome(recorded.report)) {
                    throw new Error(`a run differs from the recorded one:\n${outcome(r.report)}\n${outcome(recorded.report)}`);
                }
            }
            if (i > 0) { // the first round warms up
                liveMs.push(a.ms);
                replayMs.push(b.ms);
            }
        }
        const result = {
            calls: CALLS,
            steps: CALLS + 2,
            repeat: REPEAT,
            liveMedianMs: Number(median(liveMs).toFixed(2)),
            replayMedianMs: Number(median(replayMs).toFixed(2)),
            ratio: Number((median(liveMs) / median(replayMs)).toFixed(1)),
            target: TARGET,
        };
        if (json) {
            process.stdout.write(`${JSON.stringify(result)}\n`);
        } else {
            process.stdout.write([
                `replay benchmark: ${CALLS} MCP calls to server-everything + 2 built-ins, median of ${REPEAT}`,
                `  live (server started, listed, called, stopped)  ${result.liveMedianMs.toFixed(1)} ms`,
                `  replayed (cassette read, workspace copied)      ${result.replayMedianMs.toFixed(1)} ms`,
                `  ratio ${result.ratio}× (target ≥ ${TARGET}×) ${result.ratio >= TARGET ? 'ok' : 'BELOW TARGET'}`,
            ].join('\n') + '\n');
        }
        process.exitCode = result.ratio >= TARGET ? 0 : 1;
    } finally {
        await rm(root, { recursive: true, force: true });
    }
}

await main();

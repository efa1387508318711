/**
 * One estimate and one critical path everywhere. On one workflow the editor's inlay
 * hints and critical-path lens (the language server over a real connection), `kmflow
 * plan`, `kmflow analyze` and `kmflow graph` (the built CLI) and the graph panel's
 * message agree: before any run on declared and default estimates (`ingest_*` is
 * critical), and once a real run is recorded on the measured ones (`export_a` is), the
 * hints picking the history up by themselves. The graph after the run shows that run's
 * measured path, labelled so.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { loadHistory } from '../../src/engine/state/history/index.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { graphMessage } from '../../src/server/graph-model.js';
import { formatDuration } from '../../src/shared/duration-format.js';
import { prepareRun, type PreparedRun } from '../../src/language/prepare-run.js';
import { runCli } from '../helpers/cli.js';
import { buildWorkspace } from '../helpers/documents.js';
import { LspClient } from './lsp-client.js';

const FLOW = `tool export_tool "Export" {
    category custom
    capabilities export_things
    performance response_time 50ms
    input_schema { type: "object", properties: { ms: { type: "number" } }, required: ["ms"] }
    via builtin "delay"
}

workflow flow {
    mode parallel
    cache none
    step ingest_a uses delay { with { ms: 5 } }
    step ingest_b uses delay {
        after ingest_a
        with { ms: 6 }
    }
    step export_a uses export_tool { with { ms: 400 } }
    step done uses log {
        after ingest_b, export_a
        with { message: "done" }
    }
}
`;

const IDS = ['ingest_a', 'ingest_b', 'export_a', 'done'];
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

interface Estimate { ms: number; source: string }
interface Path { steps: string[]; lengthMs: number; kind: string }

/** What every view says about the workflow's timing. */
interface Views {
    plan: { criticalPath: Path; steps: Array<{ id: string; estimate: Estimate; onCriticalPath: boolean }> };
    analysis: { graph: { criticalPath: Path; estimates: Record<string, Estimate> } };
    graphCli: { criticalPath: string[]; criticalPathMs: number; criticalPathKind: string };
    hints: InlayHint[];
    lens: string;
}

let dir: string;
let uri: string;
let client: LspClient;
let prepared: PreparedRun;

async function json(args: string[]): Promise<unknown> {
    const r = await runCli([...args, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
}

async function views(): Promise<Views> {
    const lenses = (await client.codeLens(uri))!;
    return {
        plan: await json(['plan', 'flow.kmflow']) as Views['plan'],
        analysis: await json(['analyze', 'flow.kmflow']) as Views['analysis'],
        graphCli: await json(['graph', 'flow.kmflow']) as Views['graphCli'],
        hints: (await client.inlayHints(uri, WHOLE))!,
        lens: lenses.at(-1)!.command!.title,
    };
}

/** Asserts that every view shows `path` and the plan's estimates, each from `sources`. */
function expectAgreement(v: Views, path: Path, sources: Record<string, string>): void {
    expect(v.plan.criticalPath).toEqual(path);
    expect(v.analysis.graph.criticalPath).toEqual(path);
    expect(v.graphCli).toMatchObject({ criticalPath: path.steps, criticalPathMs: path.lengthMs, criticalPathKind: 'predicted' });
    const estimates = Object.fromEntries(v.plan.steps.map((s) => [s.id, s.estimate]));
    expect(v.analysis.graph.estimates).toEqual(estimates);
    expect(Object.fromEntries(IDS.map((id) => [id, estimates[id]!.source]))).toEqual(sources);
    expect(v.plan.steps.filter((s) => s.onCriticalPath).map((s) => s.id)).toEqual(IDS.filter((id) => path.steps.includes(id)));
    // The hints: the same estimates, the star on the same steps.
    expect(v.hints.map((h) => h.label)).toEqual(IDS.map((id) => `~${formatDuration(estimates[id]!.ms)}${path.steps.includes(id) ? ' ★' : ''}`));
    expect(v.lens).toMatch(new RegExp(`^~${formatDuration(path.lengthMs)} critical path \\(`));
}

async function graphWith(report?: RunReport) {
    return graphMessage(prepared.workflow, prepared.registry, uri, { history: await loadHistory(dir), report });
}

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-agree-'));
    fs.writeFileSync(path.join(dir, 'flow.kmflow'), FLOW);
    uri = pathToFileURL(path.join(dir, 'flow.kmflow')).toString();
    const ws = await buildWorkspace({ 'flow.kmflow': FLOW });
    expect(ws.documents.get('flow.kmflow')!.diagnostics?.filter((d) => d.severity === 1)).toEqual([]);
    prepared = prepareRun(ws.services, ws.documents.get('flow.kmflow')!);
    client = await LspClient.start(dir);
    await client.diagnosticsAfter(uri, client.open(uri, FLOW));
}, 60_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('one estimate, one critical path', () => {
    it('before any run: every view predicts ingest_a → ingest_b → done from declared and default estimates', async () => {
        const v = await views();
        const path: Path = { steps: ['ingest_a', 'ingest_b', 'done'], lengthMs: 300, kind: 'predicted' };
        expectAgreement(v, path, { ingest_a: 'default', ingest_b: 'default', export_a: 'declared', done: 'default' });
        expect(v.plan.steps.find((s) => s.id === 'export_a')!.estimate).toEqual({ ms: 50, source: 'declared' });
        expect(v.lens).toBe('~300 ms critical path (default)');
        expect(v.hints[2]!.tooltip).toMatch(/^~50 ms declared/);
        const g = await graphWith();
        expect([g.criticalPath, g.criticalPathMs, g.criticalPathKind]).toEqual([path.steps, path.lengthMs, 'predicted']);
        expect(g.nodes.map((n) => [n.id, n.estimateMs, n.estimateSource])).toEqual(v.plan.steps.map((s) => [s.id, s.estimate.ms, s.estimate.source]));
    });

    it('after a run: every view predicts export_a → done from the measured history, and the graph shows the run\'s measured path', async () => {
        const run = await runCli(['run', 'flow.kmflow', '--json'], { cwd: dir });
        expect(run.code, run.stderr).toBe(0);
        const report = JSON.parse(run.stdout) as RunReport;
        expect(report.criticalPath).toEqual(['export_a', 'done']);

        // The language server sees the new history by itself (it looks every 2 s) and asks the client to refresh.
        await expect.poll(async () => (await client.inlayHints(uri, WHOLE))![2]!.label, { timeout: 15_000, interval: 500 }).not.toBe('~50 ms');
        await expect.poll(() => client.refreshes, { timeout: 5000 }).toContain('workspace/inlayHint/refresh');
        const v = await views();
        const plan = v.plan;
        const measured = Object.fromEntries(plan.steps.map((s) => [s.id, s.estimate.ms]));
        // The measured 400 ms delay (libuv's millisecond timer clock can make it 399.98 ms by performance.now()).
        expect(measured.export_a).toBeGreaterThan(399);
        const path: Path = { steps: ['export_a', 'done'], lengthMs: measured.export_a! + measured.done!, kind: 'predicted' };
        expectAgreement(v, path, { ingest_a: 'measured', ingest_b: 'measured', export_a: 'measured', done: 'measured' });
        expect(v.lens).toMatch(/critical path \(measured\)$/);
        expect(v.hints[2]!.tooltip).toMatch(/measured \(median of the recorded runs in \.kmflow\/metrics\)/);
        const predicted = await graphWith();
        expect([predicted.criticalPath, predicted.criticalPathMs, predicted.criticalPathKind]).toEqual([path.steps, path.lengthMs, 'predicted']);
        expect(predicted.nodes.map((n) => [n.id, n.estimateMs, n.estimateSource])).toEqual(plan.steps.map((s) => [s.id, s.estimate.ms, s.estimate.source]));

        const after = await graphWith(report);
        expect([after.criticalPath, after.criticalPathMs, after.criticalPathKind]).toEqual([report.criticalPath, report.criticalPathMs, 'measured']);
    });
});

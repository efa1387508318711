/**
 * `kmflow monitor` and `kmflow optimize` through the built CLI, over a history made by
 * real runs (the same workflow text, run with runWorkflow and recorded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordRun } from '../../src/engine/state/history/index.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import type { MonitorBottleneck, MonitorReport } from '../../src/engine/insight/monitor.js';
import type { Optimization, Recommendation } from '../../src/engine/insight/optimize.js';
import { prepareRun } from '../../src/language/prepare-run.js';
import { runCli } from '../helpers/cli.js';
import { buildWorkspace } from '../helpers/documents.js';

const CHAIN = `workflow chain {
    step prep uses delay { with { ms: 150 } }
    step fetch uses delay { with { ms: 150 } after prep }
    step missing uses file.read { with { path: "nope.txt" } }
    step summary uses log { with { message: "fetched: \${fetch.status}" } }
}
`;

let dir: string;
let empty: string;
const reports: RunReport[] = [];

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-monitor-'));
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-monitor-empty-'));
    fs.writeFileSync(path.join(dir, 'chain.kmflow'), CHAIN);
    fs.writeFileSync(path.join(dir, 'broken.kmflow'), 'workflow w {\n    step a uses lgo\n}\n');
    const ws = await buildWorkspace({ 'chain.kmflow': CHAIN });
    const prepared = prepareRun(ws.services, ws.documents.get('chain.kmflow')!);
    const wf = { ...prepared.workflow, settings: { ...prepared.workflow.settings, errors: 'resilient' as const } };
    for (let i = 0; i < 3; i++) {
        const report = await runWorkflow(wf, { registry: prepared.registry, root: dir });
        reports.push(report);
        await recordRun(dir, wf, report);
    }
});

afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(empty, { recursive: true, force: true });
});

describe('kmflow monitor', () => {
    it('--json gives per-tool figures equal to what the runs measured, a health score and bottlenecks', async () => {
        const r = await runCli(['monitor', '--json', '--root', dir]);
        expect(r.code).toBe(0);
        const m = JSON.parse(r.stdout) as MonitorReport;
        expect(m.runs).toBe(3);
        const delay = m.tools.find((t) => t.tool === 'delay')!;
        expect(delay.calls).toBe(reports.reduce((n, x) => n + x.metrics.tools.delay!.calls, 0));
        const read = m.tools.find((t) => t.tool === 'file.read');
        expect(read).toMatchObject({ calls: 3, errors: 3, successRate: 0 });
        // 9 of 12 calls succeeded (each run: 2 delays and a log succeed, the read fails)
        expect(m.health.callSuccessRate).toBe(0.75);
        // ...but no run succeeded: each is partial, and the success rate counts runs.
        expect(m.outcomes).toEqual({ partial: 3 });
        expect(m.health.successRate).toBe(0);
        expect(m.retries).toBe(0);
        expect(m.healthScore).toBeLessThanOrEqual(100 * (0.25 + 0.15));
        expect(m.bottlenecks.map((b: MonitorBottleneck) => b.kind)).toEqual(expect.arrayContaining(['critical-path', 'errors']));
        const critical = m.bottlenecks.find((b) => b.kind === 'critical-path')!;
        expect(['prep', 'fetch']).toContain(critical.step);
        expect(critical.evidence.criticalRuns).toBe(3);
    });

    it('prints a table for people, and says so when nothing was recorded', async () => {
        const r = await runCli(['monitor', '--root', dir]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^health [0-9.]+\/100 over 3 run\(s\)/);
        expect(r.stdout).toMatch(/file\.read\s+3\s+3/);
        const none = await runCli(['monitor'], { cwd: empty });
        expect(none.code).toBe(0);
        expect(none.stdout).toMatch(/no runs recorded yet/);
        expect((await runCli(['monitor', 'chain.kmflow'], { cwd: dir })).code).toBe(2);
    });
});

describe('kmflow optimize', () => {
    it('--json recommends dropping the needless after, with its predicted effect from history', async () => {
        const r = await runCli(['optimize', 'chain.kmflow', '--json'], { cwd: dir });
        expect(r.code).toBe(0);
        const o = JSON.parse(r.stdout) as Optimization;
        expect(o.measuredSteps).toEqual(['prep', 'fetch', 'missing', 'summary']);
        const drop = o.recommendations.find((x: Recommendation) => x.kind === 'remove-after')!;
        expect(drop.change).toEqual({ kind: 'remove-after', step: 'fetch', after: 'prep' });
        expect(drop.predicted.deltaMs).toBeLessThan(-100);
        expect(o.baseline.makespanMs).toBeGreaterThan(280);
    });

    it('prints recommendations with predicted effects; bad files exit 2', async () => {
        const r = await runCli(['optimize', 'chain.kmflow'], { cwd: dir });
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/step 'fetch' reads nothing from 'prep'/);
        expect(r.stdout).toMatch(/predicted: −\d+ ms/);
        expect(r.stdout).toMatch(/caution:/);
        const broken = await runCli(['optimize', 'broken.kmflow'], { cwd: dir });
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(/broken\.kmflow:2:17 error unknown-tool/);
        fs.copyFileSync(path.join(dir, 'chain.kmflow'), path.join(empty, 'chain.kmflow'));
        const fresh = await runCli(['optimize', 'chain.kmflow'], { cwd: empty });
        expect(fresh.stdout).toMatch(/no measured history for this workflow yet/);
    });
});

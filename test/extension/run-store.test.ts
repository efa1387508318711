import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNS_DIR, clearRuns, readRuns, reportPath, sourcePath, type StoredRun } from '../../src/extension/core/run-store.js';
import { writeRunSource } from '../../src/server/run-source.js';
import { runRows } from '../../src/extension/core/run-tree-model.js';
import { stepRows } from '../../src/extension/core/step-tree-model.js';
import { runFixture, writeReport } from './helpers.js';

/** As a run of the extension leaves it: the engine's report, the extension's source beside it. */
async function writeRun(root: string, run: StoredRun): Promise<string> {
    const { source, ...report } = run;
    if (source) {
        await writeRunSource(root, run.runId, source);
    }
    return writeReport(root, report);
}

let root: string;
beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-runs-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function stored(runId: string, startedAt: string, status: StoredRun['status'] = 'succeeded'): StoredRun {
    return {
        runId, workflow: 'w', status, startedAt, endedAt: startedAt, durationMs: 1500, criticalPathMs: 1000,
        steps: [
            { id: 'a', tool: 'log', status: 'succeeded', attempts: 1, cached: false, startedAt, endedAt: startedAt, durationMs: 12, output: { message: 'x' } },
            { id: 'b', tool: 'delay', status: 'failed', attempts: 3, cached: false, startedAt, endedAt: startedAt, durationMs: 1400, output: null,
                error: { message: 'boom', code: 'timeout', retryable: true, advice: 'Start the engine.' } },
            { id: 'c', tool: 'log', status: 'skipped', attempts: 0, cached: false, startedAt: null, endedAt: null, durationMs: 0, output: null },
        ],
        metrics: { stepsPerSecond: 2, utilization: 0.5, maxConcurrency: 2, healthScore: 80, tools: {} },
        bottlenecks: [],
        source: { file: 'flows/a.kmflow', workflow: 'w', lines: { a: 3, b: 4, c: 5 } },
    };
}

describe('run reports on disk', () => {
    it('reads RUN_ID.report.json under .kmflow/runs back with its source from RUN_ID.source.json', async () => {
        const file = await writeRun(root, stored('w-1', '2026-01-01T10:00:00.000Z'));
        expect(file).toBe(path.join(root, RUNS_DIR, 'w-1.report.json'));
        expect(fs.existsSync(sourcePath(root, 'w-1'))).toBe(true);
        expect(JSON.parse(fs.readFileSync(file, 'utf8')).source).toBeUndefined();
        const runs = await readRuns(root);
        expect(runs).toHaveLength(1);
        expect(runs[0]!.source?.file).toBe('flows/a.kmflow');
        expect(runs[0]!.source?.lines).toEqual({ a: 3, b: 4, c: 5 });
    });

    it('reads a report without source (a CLI run), and an older report with its source inline', async () => {
        const { source, ...bare } = stored('cli-1', '2026-01-01T10:00:00.000Z');
        writeReport(root, bare);
        writeReport(root, { ...stored('old-1', '2026-01-01T11:00:00.000Z') });
        const runs = await readRuns(root);
        expect(runs.map((r) => [r.runId, r.source?.file])).toEqual([['old-1', source!.file], ['cli-1', undefined]]);
    });

    it('lists runs newest first and skips broken or foreign files', async () => {
        await writeRun(root, stored('w-old', '2026-01-01T10:00:00.000Z'));
        await writeRun(root, stored('w-new', '2026-01-02T10:00:00.000Z'));
        await writeRun(root, stored('w-mid', '2026-01-01T12:00:00.000Z'));
        fs.writeFileSync(path.join(root, RUNS_DIR, 'half.report.json'), '{"runId": "x", ');
        fs.writeFileSync(path.join(root, RUNS_DIR, 'other.report.json'), '{"hello": 1}');
        fs.writeFileSync(path.join(root, RUNS_DIR, 'w-1.journal.jsonl'), 'not a report');
        expect((await readRuns(root)).map((r) => r.runId)).toEqual(['w-new', 'w-mid', 'w-old']);
        expect((await readRuns(root, 2)).map((r) => r.runId)).toEqual(['w-new', 'w-mid']);
    });

    it('has no runs when the folder is missing', async () => {
        expect(await readRuns(path.join(root, 'nowhere'))).toEqual([]);
    });

    it('makes run ids file-safe', () => {
        expect(path.basename(reportPath(root, 'a/b:c'))).toBe('a_b_c.report.json');
    });

    it('stores a real run report', async () => {
        const { report } = await runFixture('pipeline.kmflow');
        await writeRun(root, { ...report, source: { file: 'pipeline.kmflow', workflow: 'pipeline' } });
        const [back] = await readRuns(root);
        expect(back!.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    });
});

describe('tree rows from reports', () => {
    it('one row per run, newest first, with status icon and summary', async () => {
        await writeRun(root, stored('w-1', '2026-01-01T10:00:00.000Z', 'failed'));
        await writeRun(root, stored('w-2', '2026-01-02T10:00:00.000Z'));
        const rows = runRows(await readRuns(root), { active: new Set(['w-2']) });
        expect(rows.map((r) => [r.runId, r.icon, r.contextValue])).toEqual([
            ['w-2', 'loading~spin', 'run-active'],
            ['w-1', 'error', 'run-resumable'],
        ]);
        expect(runRows([stored('w-3', '2026-01-03T10:00:00.000Z')])[0]!.contextValue).toBe('run');
        expect(rows[1]!.description).toMatch(/^failed · 1\.5 s · 1\/3 steps/);
        expect(rows[1]!.color).toBe('testing.iconFailed');
        expect(rows[1]!.tooltip).toContain('File: flows/a.kmflow');
    });

    it('step rows carry status, attempts, duration and the error; failed steps open their output too', async () => {
        const rows = stepRows(stored('w-1', '2026-01-01T10:00:00.000Z'));
        expect(rows.map((r) => [r.label, r.icon, r.contextValue])).toEqual([
            ['a', 'pass', 'step-output'], ['b', 'error', 'step-output'], ['c', 'debug-step-over', 'step'],
        ]);
        expect(rows[1]!.description).toBe('failed · 1.4 s · 3 attempts · timeout');
        expect(rows[1]!.tooltip).toContain('Error (timeout): boom\nAdvice: Start the engine.');
        expect(rows[0]!.id).toBe('w-1/a');
    });

    it('marks steps restored by a resume, and the resumed run', () => {
        const run = stored('w-2', '2026-01-01T10:00:00.000Z');
        run.resumedFrom = 'w-1';
        run.steps[0] = { ...run.steps[0]!, attempts: 0, durationMs: 0, resumed: true };
        const rows = stepRows(run);
        expect(rows[0]!.description).toBe('succeeded · resumed');
        expect(rows[0]!.tooltip).toContain('Restored from the journal of w-1');
        expect(runRows([run])[0]!.description).toMatch(/ · resumed$/);
        expect(runRows([run])[0]!.tooltip).toContain('Resumed from: w-1');
    });
});

describe('clear history', () => {
    it('deletes the reports, journals and sources of every run but the live ones, and nothing else', async () => {
        await writeRun(root, stored('w-1', '2026-01-01T10:00:00.000Z'));
        await writeRun(root, stored('w-2', '2026-01-02T10:00:00.000Z'));
        const dir = path.join(root, RUNS_DIR);
        fs.writeFileSync(path.join(dir, 'w-1.jsonl'), '{}\n');
        fs.writeFileSync(path.join(dir, 'w-3.jsonl'), '{}\n');
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
        expect(await clearRuns(root, new Set(['w-3']))).toBe(2);
        expect(fs.readdirSync(dir).sort()).toEqual(['notes.txt', 'w-3.jsonl']);
        expect(await clearRuns(path.join(root, 'nowhere'))).toBe(0);
    });
});

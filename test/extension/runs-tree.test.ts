/**
 * The window-free parts of issue 14 (3, 4): the runs tree's rows (live statuses,
 * grouping by workflow, relative times) and the notice a failed or refused run ends with
 * (the metrics' success rate is the server's: test/server/monitor-markdown.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRequestError } from '../../src/app/index.js';
import type { RunReport } from '../../src/shared/run-report.js';
import { GO_TO_PROBLEM, RERUN, RESUME, SET_SECRET, SHOW_DETAILS, failureNotice, refusalNotice } from '../../src/extension/core/failure-notice.js';
import { localTime, relativeTime } from '../../src/extension/core/format.js';
import { RunHistory } from '../../src/extension/core/run-history.js';
import type { StoredRun } from '../../src/extension/core/run-store.js';
import { groupRows, runRows } from '../../src/extension/core/run-tree-model.js';
import { detailRows, stepRows } from '../../src/extension/core/step-tree-model.js';
import { prepareText, runText } from '../helpers/app-runs.js';
import { runFixture, writeWorkflow } from './helpers.js';

const NOW = Date.parse('2026-05-03T12:00:00.000Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

function run(runId: string, workflow: string, startedAt: string, status: StoredRun['status'] = 'succeeded', file = 'flows.kmflow'): StoredRun {
    return {
        runId, workflow, status, startedAt, endedAt: startedAt, durationMs: 314, criticalPathMs: 300,
        steps: [{ id: 'a', tool: 'log', status: status === 'succeeded' ? 'succeeded' : 'failed', attempts: 1, cached: false,
            startedAt, endedAt: startedAt, durationMs: 5, output: null }],
        metrics: { stepsPerSecond: 1, utilization: 0.5, maxConcurrency: 1, healthScore: 100, tools: {} }, bottlenecks: [],
        source: { file, workflow },
    };
}

describe('relative and local times', () => {
    it('says how long ago, and the local wall-clock time', () => {
        expect(relativeTime(ago(10_000), NOW)).toBe('just now');
        expect(relativeTime(ago(2 * 60_000), NOW)).toBe('2 min ago');
        expect(relativeTime(ago(3 * 3_600_000), NOW)).toBe('3 h ago');
        expect(relativeTime(ago(2 * 86_400_000), NOW)).toBe('2 d ago');
        expect(relativeTime(ago(30 * 86_400_000), NOW)).toMatch(/^\d{4}-\d\d-\d\d$/);
        const d = new Date(NOW);
        expect(localTime(d.toISOString())).toBe(`${d.getFullYear()}-05-0${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:00`);
    });
});

describe('runs tree rows', () => {
    it('groups runs by workflow, the group with the newest run first, runs newest first, labelled by how long ago', () => {
        const runs = [run('p-1', 'pipeline', ago(3_600_000)), run('f-1', 'fails', ago(120_000), 'failed'), run('p-2', 'pipeline', ago(60_000))];
        const groups = groupRows(runs, { now: NOW });
        expect(groups.map((g) => [g.label, g.description, g.icon])).toEqual([
            ['pipeline', 'succeeded 1 min ago · 2 runs', 'pass'],
            ['fails', 'failed 2 min ago · 1 run', 'error'],
        ]);
        const rows = runRows(runs, { now: NOW }, groups[0]!.group);
        expect(rows.map((r) => [r.runId, r.label])).toEqual([['p-2', '1 min ago'], ['p-1', '1 h ago']]);
        expect(rows[0]!.description).toBe('succeeded · 314 ms · 1/1 steps');
        expect(rows[0]!.tooltip).toContain(`Started: ${localTime(ago(60_000))} (local time)`);
        // The same workflow name in two files: two groups, told apart by their file.
        const two = groupRows([...runs, run('o-1', 'pipeline', ago(10_000), 'succeeded', 'other.kmflow')], { now: NOW });
        expect(two.map((g) => g.description.split(' · ')[0])).toEqual(['other.kmflow', 'flows.kmflow', 'failed 2 min ago']);
    });

    it('filters by workflow, status or file', () => {
        const runs = [run('p-1', 'pipeline', ago(60_000)), run('f-1', 'fails', ago(120_000), 'failed')];
        expect(groupRows(runs, { now: NOW, filter: 'FAIL' }).map((g) => g.label)).toEqual(['fails']);
        expect(runRows(runs, { now: NOW, filter: 'running', active: new Set(['p-1']) }).map((r) => r.runId)).toEqual(['p-1']);
        expect(groupRows(runs, { filter: 'nothing like it' })).toEqual([]);
    });

    it('shows a live run\'s steps as queued, running and retrying, never as skipped', async () => {
        const { prepared, events, report } = await runFixture('pipeline.kmflow');
        const history = new RunHistory();
        const runId = report.runId;
        history.begin(runId, prepared.workflow, { file: 'pipeline.kmflow', workflow: 'pipeline' });
        const live = (): ReturnType<typeof stepRows> => stepRows(history.get(runId)!, (s) => history.liveStep(runId, s), true);
        expect(live().map((r) => r.description)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
        const started = events.find((e) => e.type === 'step-started' && e.stepId === 'fetch_a')!;
        history.apply(started);
        const rows = live();
        expect(rows[0]!.description).toBe('running');
        expect(rows[0]!.icon).toBe('loading~spin');
        expect(rows[0]!.contextValue).toBe('step-live');
        expect(rows[1]!.icon).toBe('circle-outline');
        history.apply({ type: 'step-retrying', runId, at: started.at + 5, stepId: 'fetch_a', attempt: 1, delayMs: 100,
            error: { code: 'timeout', message: 'no answer', retryable: true, advice: 'Start the engine.' } });
        expect(live()[0]!.description).toBe('retrying · attempt 2 · timeout: no answer');
        expect(live()[0]!.tooltip).toContain('Advice: Start the engine.');
        expect(runRows(history.all(), { active: history.activeIds() })[0]!.description).toBe('running');
        events.forEach((e) => history.apply(e));
        expect(stepRows(history.get(runId)!).map((r) => r.description.split(' · ')[0])).toEqual(Array(5).fill('succeeded'));
    });

    it('puts a finished step\'s output, error and advice under it', () => {
        const r = run('f-1', 'fails', ago(1000), 'failed');
        r.steps[0] = { ...r.steps[0]!, error: { code: 'km-error', message: 'macro not found', retryable: false, advice: 'Check the macro name.' } };
        expect(stepRows(r)[0]!.expandable).toBe(true);
        expect(detailRows(r, r.steps[0]!).map((d) => [d.label, d.description])).toEqual([
            ['error: km-error', 'macro not found'], ['advice', 'Check the macro name.'],
        ]);
        expect(detailRows(run('p', 'p', ago(0)), { ...r.steps[0]!, error: undefined, status: 'succeeded', output: { n: 1 } })[0]!.description).toBe('{"n":1}');
    });
});

describe('failure notices', () => {
    it('name the failed step and its error, with Show Details, Resume and Rerun', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-fails-'));
        try {
            const target = writeWorkflow(root, 'fails.kmflow', 'workflow fails {\n    step ok uses log { with { message: "hi" } }\n'
                + '    step check uses assert { with { condition: false, message: "the answer is wrong" } after ok }\n}\n');
            const report = await runText(await prepareText(target), { root });
            expect(report.status).toBe('failed');
            const notice = failureNotice(report)!;
            expect(notice.text).toMatch(/^KM Flow: fails failed: step check failed — \S+: the answer is wrong \(1\/2 steps succeeded\)$/);
            expect(notice.actions).toEqual([SHOW_DETAILS, RESUME, RERUN]);
            expect(notice.detailStep).toBe('check');
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it('give the tool\'s advice, the first of several failures, and what a cancelled run stopped', () => {
        const report: RunReport = { ...run('f-1', 'fails', ago(0), 'partial'), steps: [
            { id: 'a', tool: 'x', status: 'failed', attempts: 1, cached: false, startedAt: ago(0), endedAt: ago(-20), durationMs: 20, output: null,
                error: { code: 'late', message: 'second', retryable: false } },
            { id: 'b', tool: 'x', status: 'failed', attempts: 1, cached: false, startedAt: ago(0), endedAt: ago(-10), durationMs: 10, output: null,
                error: { code: 'km-error', message: 'macro not found', retryable: false, advice: 'Check the macro name.' } },
        ] };
        expect(failureNotice(report)!.text).toBe('KM Flow: fails partly failed: steps b, a failed; first b — km-error: macro not found Advice: Check the macro name. (0/2 steps succeeded)');
        const cancelled: RunReport = { ...report, status: 'cancelled', steps: report.steps.map((s) => ({ ...s, status: 'cancelled' as const })) };
        expect(failureNotice(cancelled)!.text).toBe('KM Flow: fails was cancelled (0/2 steps succeeded; stopped: a, b).');
        expect(failureNotice({ ...report, status: 'succeeded' })).toBeUndefined();
    });

    it('list a refused run\'s first problems with Go to Problem', async () => {
        const error = await prepareText({ file: '/tmp/broken.kmflow', text: 'workflow broken {\n    step a uses no_such_tool\n}\n' })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RunRequestError);
        const { problems, message, code } = error as RunRequestError;
        expect(problems[0]).toMatchObject({ line: 2, code: 'unknown-tool' });
        const notice = refusalNotice('broken', problems, message, code);
        expect(notice.text).toMatch(/^KM Flow: cannot run broken \(1 problem\): line 2:\d+ unknown-tool: .*no_such_tool.*\.$/);
        expect(notice.actions).toEqual([GO_TO_PROBLEM]);
        const secret = refusalNotice('s', [{ line: 4, code: 'missing-secret', message: "step 'greet' reads secret.T, which is not set" }], '', 'missing-secret');
        expect(secret.actions).toEqual([GO_TO_PROBLEM, SET_SECRET]);
    });
});

import { describe, expect, it } from 'vitest';
import { RunHistory } from '../../src/extension/core/run-history.js';
import { logLine } from '../../src/extension/core/run-log.js';
import { findStepLine, stepLensTitle, stepLensTooltip, stepLines } from '../../src/extension/core/step-lens.js';
import { runFixture } from './helpers.js';

describe('run history', () => {
    it('follows a real run from placeholder to report', async () => {
        const { prepared, events, report } = await runFixture('pipeline.kmflow');
        const history = new RunHistory();
        let changes = 0;
        history.onChange(() => changes++);
        const runId = report.runId;
        history.begin(runId, prepared.workflow, { file: 'pipeline.kmflow', workflow: 'pipeline' });
        expect(history.isActive(runId)).toBe(true);
        expect(history.get(runId)!.steps.every((s) => s.attempts === 0)).toBe(true);
        const firstFinish = events.findIndex((e) => e.type === 'step-finished');
        events.slice(0, firstFinish + 1).forEach((e) => history.apply(e));
        const finishedId = (events[firstFinish] as { stepId: string }).stepId;
        expect(history.get(runId)!.steps.find((s) => s.id === finishedId)!.status).toBe('succeeded');
        expect(history.latestFinished('pipeline.kmflow', 'pipeline')).toBeUndefined();
        events.slice(firstFinish + 1).forEach((e) => history.apply(e));
        expect(history.isActive(runId)).toBe(false);
        expect(history.latestFinished('pipeline.kmflow', 'pipeline')!.metrics).toEqual(report.metrics);
        expect(history.get(runId)!.source?.file).toBe('pipeline.kmflow');
        expect(changes).toBeGreaterThan(5);
    });

    it('keeps live runs when reports are reloaded, and drops abandoned ones', async () => {
        const { prepared, report } = await runFixture('pipeline.kmflow');
        const history = new RunHistory();
        history.begin('live-1', prepared.workflow, { file: 'p.kmflow', workflow: 'pipeline' }, '2099-01-01T00:00:00.000Z');
        history.load([{ ...report, source: { file: 'p.kmflow', workflow: 'pipeline' } }]);
        expect(history.all().map((r) => r.runId)).toEqual(['live-1', report.runId]);
        history.abandon('live-1');
        expect(history.all().map((r) => r.runId)).toEqual([report.runId]);
    });

    it('shows the steps a resume restores as succeeded and resumed from the start', async () => {
        const { prepared } = await runFixture('pipeline.kmflow');
        const history = new RunHistory();
        const run = history.begin('r-2', prepared.workflow, { file: 'p.kmflow', workflow: 'pipeline' }, undefined,
            { from: 'r-1', restored: ['fetch_a', 'fetch_b'] });
        expect(run.resumedFrom).toBe('r-1');
        expect(run.steps.map((s) => [s.id, s.status, s.resumed ?? false])).toEqual([
            ['fetch_a', 'succeeded', true], ['fetch_b', 'succeeded', true], ['merge', 'skipped', false],
            ['side', 'skipped', false], ['report', 'skipped', false],
        ]);
    });
});

describe('log lines and lenses', () => {
    it('writes one line per meaningful event of a real run', async () => {
        const { events } = await runFixture('pipeline.kmflow');
        const lines = events.map(logLine).filter((l): l is string => l !== undefined);
        expect(lines[0]).toMatch(/run .*: workflow pipeline, 5 steps/);
        expect(lines.some((l) => /✓ merge succeeded in \d+ ms/.test(l))).toBe(true);
        expect(lines.at(-1)).toMatch(/run .* succeeded in .*health/);
    });

    it('titles a step lens with status, duration and attempts', () => {
        expect(stepLensTitle({ id: 'a', tool: 't', status: 'failed', attempts: 3, cached: false, startedAt: 'x', endedAt: 'y', durationMs: 1234, output: null }))
            .toBe('$(error) last run: failed · 1.2 s · 3 attempts');
        expect(stepLensTitle({ id: 'a', tool: 't', status: 'skipped', attempts: 0, cached: false, startedAt: null, endedAt: null, durationMs: 0, output: null }))
            .toBe('$(debug-step-over) last run: skipped');
    });

    it('says the error and the tool\'s advice when the lens is hovered', () => {
        const failed = { id: 'a', tool: 'km_list_macros', status: 'failed' as const, attempts: 1, cached: false, startedAt: 'x', endedAt: 'y', durationMs: 5, output: null,
            error: { code: 'KM_CONNECTION_FAILED', message: 'Cannot connect', retryable: true, advice: 'Start Keyboard Maestro.' } };
        expect(stepLensTooltip(failed)).toBe('KM_CONNECTION_FAILED: Cannot connect\nAdvice: Start Keyboard Maestro.');
        expect(stepLensTooltip({ ...failed, status: 'succeeded', error: undefined })).toBe('Show the step\'s details: parameters, output, timings');
    });

    it('finds a step line, the nearest one when a name repeats', () => {
        const text = 'workflow a {\n  step x uses log {}\n}\nworkflow b {\n  step x uses log {}\n  step xy uses log {}\n}';
        expect(findStepLine(text, 'x')).toBe(1);
        expect(findStepLine(text, 'x', 5)).toBe(4);
        expect(findStepLine(text, 'xy')).toBe(5);
        expect(findStepLine(text, 'gone', 2)).toBe(2);
        expect(findStepLine(text, 'gone')).toBeUndefined();
        expect(stepLines([{ id: 'a', line: 3 }, { id: 'b' }])).toEqual({ a: 3 });
    });
});

/**
 * The metrics history over real runs: workflows of built-in tools run with
 * runWorkflow on the real clock, are recorded, and the loaded figures must equal what
 * the reports measured (exact nearest-rank percentiles, exact counts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ToolRegistry } from '../../../src/engine/tools/registry.js';
import { runWorkflow } from '../../../src/engine/run/scheduler.js';
import type { RunReport } from '../../../src/engine/run/run-types.js';
import { compactHistory, estimateFromHistory, historyFile, loadHistory, readRecords, recordRun, type History } from '../../../src/engine/state/history/index.js';
import { lit, obj, root, step, workflow } from '../helpers.js';

/** Nearest rank, written out independently of the code under test. */
function rank(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.ceil(p * sorted.length) - 1]!;
}

const audit = workflow([
    step('short', 'delay', { ms: lit(5) }),
    step('long', 'delay', { ms: lit(40) }, { after: ['short'] }),
    step('side', 'delay', { ms: lit(15) }),
    step('greet', 'template', { template: lit('hi {{c}}'), values: obj({ c: root('item', 'c') }) }, { each: { name: 'c', items: { kind: 'list', items: [lit('a'), lit('b'), lit('c')] } } }),
    step('stuck', 'delay', { ms: lit(500) }, { timeoutMs: 20 }),
    step('check', 'file.read', { path: lit('missing.txt') }, { retry: { retries: 1, backoffMs: 1 } }),
], { errors: 'resilient' }, { id: 'audit' });

let dir: string;
let reports: RunReport[];
let history: History;

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-history-'));
    reports = [];
    for (let i = 0; i < 4; i++) {
        const report = await runWorkflow(audit, { registry: new ToolRegistry(), root: dir });
        reports.push(report);
        await recordRun(dir, audit, report);
    }
    history = await loadHistory(dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('metrics history', () => {
    it('keeps an append-only JSONL under .kmflow/metrics', async () => {
        expect(historyFile(dir)).toBe(path.join(dir, '.kmflow', 'metrics', 'history.jsonl'));
        const records = await readRecords(dir);
        expect(records.filter((r) => r.type === 'run').map((r) => r.runId)).toEqual(reports.map((r) => r.runId));
        // every step that made a call, in every run
        expect(records.filter((r) => r.type === 'step')).toHaveLength(4 * 6);
    });

    it('counts calls and errors per tool exactly as the reports did', () => {
        for (const tool of ['delay', 'template', 'file.read']) {
            const calls = reports.reduce((n, r) => n + r.metrics.tools[tool]!.calls, 0);
            const errors = reports.reduce((n, r) => n + r.metrics.tools[tool]!.errors, 0);
            expect(history.tools[tool]!.calls).toBe(calls);
            expect(history.tools[tool]!.errors).toBe(errors);
            expect(history.tools[tool]!.successRate).toBeCloseTo((calls - errors) / calls, 3);
            expect(history.tools[tool]!.runs).toBe(4);
        }
        expect(history.tools['file.read']!.calls).toBe(8); // one retry each run
        expect(history.tools['file.read']!.successRate).toBe(0);
        expect(history.tools.delay!.timeouts).toBe(4);
        expect(history.tools.delay!.lastSeen).toBe(reports[3]!.endedAt);
    });

    it('gives exact nearest-rank percentiles of the measured step durations', () => {
        for (const id of ['short', 'long', 'side', 'stuck']) {
            const d = reports.map((r) => r.steps.find((s) => s.id === id)!.durationMs);
            const s = history.steps[`audit/${id}`]!;
            expect(s.runs).toBe(4);
            expect(s.p50Ms).toBe(rank(d, 0.5));
            expect(s.p95Ms).toBe(rank(d, 0.95));
        }
        expect(history.steps['audit/stuck']!.timeouts).toBe(4);
        expect(history.steps['audit/check']!.failures).toBe(4);
        expect(history.steps['audit/greet']!.items).toBe(3);
    });

    it('takes tool percentiles from single calls only (no fan-outs, no retries)', () => {
        const single = reports.flatMap((r) => r.steps.filter((s) => s.tool === 'delay' && s.attempts === 1).map((s) => s.durationMs));
        expect(single).toHaveLength(16);
        expect(history.tools.delay!.latencySource).toBe('calls');
        expect(history.tools.delay!.p50Ms).toBe(rank(single, 0.5));
        expect(history.tools.delay!.p95Ms).toBe(rank(single, 0.95));
        // template ran only as a fan-out: percentiles of the runs' own per-call figures
        expect(history.tools.template!.latencySource).toBe('runs');
        expect(history.tools.template!.p50Ms).toBe(rank(reports.map((r) => r.metrics.tools.template!.p50Ms), 0.5));
    });

    it('records the measured critical path and each step\'s share of it', () => {
        expect(history.runs.every((r) => r.criticalPath.includes('stuck') || r.criticalPath.includes('long'))).toBe(true);
        const workflowMs = reports.reduce((n, r) => n + r.durationMs, 0);
        const onPath = reports.reduce((n, r, i) => n + (history.runs[i]!.criticalPath.includes('long') ? r.steps.find((s) => s.id === 'long')!.durationMs : 0), 0);
        expect(history.steps['audit/long']!.criticalShare).toBeCloseTo(onPath / workflowMs, 3);
        expect(history.workflows.audit!.runs).toBe(4);
        expect(history.workflows.audit!.p50Ms).toBe(rank(reports.map((r) => r.durationMs), 0.5));
    });

    it('estimates from history: a step\'s own median, else its tool\'s, else nothing', () => {
        const estimate = estimateFromHistory(history, 'audit');
        const delay = { id: 'delay' } as Parameters<typeof estimate>[1];
        expect(estimate(audit.steps[1]!, delay)).toBe(history.steps['audit/long']!.p50Ms);
        expect(estimate(step('elsewhere', 'delay'), delay)).toBe(history.tools.delay!.p50Ms);
        expect(estimate(step('x', 'nope'), { id: 'nope' } as typeof delay)).toBeUndefined();
    });

    it('compacts to the last N samples per tool, and loading applies the same retention', async () => {
        const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-history-compact-'));
        try {
            const wf = workflow([step('a', 'delay', { ms: lit(1) }), step('b', 'log', { message: lit('x') })], {}, { id: 'small' });
            const runs: RunReport[] = [];
            for (let i = 0; i < 6; i++) {
                const r = await runWorkflow(wf, { registry: new ToolRegistry(), root: other });
                runs.push(r);
                await recordRun(other, wf, r, { maxSamples: 3, compactAboveBytes: 0 });
            }
            const records = await readRecords(other);
            expect(records.filter((r) => r.type === 'step' && r.tool === 'delay')).toHaveLength(3);
            expect(records.filter((r) => r.type === 'run').map((r) => r.runId)).toEqual(runs.slice(3).map((r) => r.runId));
            const h = await loadHistory(other, { maxSamples: 3 });
            expect(h.tools.delay!.calls).toBe(3);
            expect(h.steps['small/a']!.p95Ms).toBe(rank(runs.slice(3).map((r) => r.steps[0]!.durationMs), 0.95));
            // Without compaction on disk, loading with the same N gives the same figures.
            const whole = await loadHistory(dir, { maxSamples: 2 });
            await compactHistory(dir, { maxSamples: 2 });
            expect(await loadHistory(dir, { maxSamples: 2 })).toEqual(whole);
        } finally {
            fs.rmSync(other, { recursive: true, force: true });
        }
    });

    it('loads an empty history when nothing was recorded, and skips a torn line', async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-history-empty-'));
        try {
            expect(await loadHistory(empty)).toEqual({ tools: {}, steps: {}, workflows: {}, runs: [] });
            fs.mkdirSync(path.join(empty, '.kmflow', 'metrics'), { recursive: true });
            fs.writeFileSync(historyFile(empty), '{"type":"tool","runId":"r","workflow":"w","at":"2024-01-01T00:00:00.000Z","tool":"t","calls":2,"errors":1,"p50Ms":3,"p95Ms":4}\n{"type":"ru');
            const h = await loadHistory(empty);
            expect(h.tools.t!.successRate).toBe(0.5);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

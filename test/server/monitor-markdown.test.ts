/** The metrics' success rate as Show Metrics renders it (`kmflow/metrics`): succeeded runs over finished runs, retries apart, local times. */
import { describe, expect, it } from 'vitest';
import { monitorOf, Workspace } from '../../src/app/index.js';
import { summarizeHistory } from '../../src/engine/state/history/summary.js';
import type { HistoryRecord } from '../../src/engine/state/history/types.js';
import { monitorMarkdown } from '../../src/server/views/monitor-markdown.js';
import { localTime } from '../../src/shared/local-time.js';

describe('metrics success rate', () => {
    it('is succeeded runs over finished runs, with retries apart and times local', async () => {
        const at = '2026-05-03T10:00:00.000Z';
        const runRecord = (runId: string, status: string): HistoryRecord => ({ type: 'run', v: 1, runId, workflow: 'w', at, status, durationMs: 100,
            criticalPathMs: 100, criticalPath: ['a'], maxConcurrency: 1, utilization: 1, healthScore: status === 'succeeded' ? 100 : 70 });
        const records: HistoryRecord[] = [];
        for (const [runId, status, attempts] of [['r1', 'succeeded', 3], ['r2', 'succeeded', 1], ['r3', 'failed', 1], ['r4', 'cancelled', 1]] as const) {
            records.push(runRecord(runId, status), { type: 'step', runId, workflow: 'w', at, step: 'a', tool: 'log', status: status === 'failed' ? 'failed' : 'succeeded',
                attempts, durationMs: 10, call: attempts === 1, cached: false, timeout: false, onCriticalPath: true },
            { type: 'tool', runId, workflow: 'w', at, tool: 'log', calls: attempts, errors: attempts - 1 + (status === 'failed' ? 1 : 0), p50Ms: 10, p95Ms: 10 });
        }
        const m = await monitorOf(Workspace.open(), { history: summarizeHistory(records) });
        expect(m.health.successRate).toBe(0.5);
        expect(m.retries).toBe(2);
        expect(m.outcomes).toEqual({ succeeded: 2, failed: 1, cancelled: 1 });
        const md = monitorMarkdown(m, '.kmflow/metrics');
        expect(md).toContain('2 of 4 runs succeeded (success 50%); 1 failed, 1 cancelled; 2 retried attempts, not counted as failures');
        expect(md).toContain(`| w | 4 | 2 | 50% | 100 ms | 100 ms | ${localTime(at)} |`);
        expect(md).not.toContain(at);
        expect(m.healthScore).toBeLessThan(100);
    });
});

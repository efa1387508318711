/**
 * The journal writes in batches only where a kill could not matter (journal-writer.ts):
 * a step with effects has its start on disk before its call and its end before anyone
 * hears of it, with every line before them; read-only steps' lines wait at most for the
 * event loop's turn; `process.exit` writes what waits.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import { JournalWriter } from '../../src/engine/state/journal/journal-writer.js';
import type { BatchRecord, JournalRecord } from '../../src/engine/state/journal/records.js';
import { setup, step, tool, workflow } from './helpers.js';

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-journal-batch-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The lines on disk now (whole lines only), parsed. */
function linesOnDisk(runId: string): Array<JournalRecord | BatchRecord> {
    const file = path.join(dir, `${runId}.jsonl`);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return text.split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as JournalRecord | BatchRecord);
}

/** The records on disk now, those of batches included. */
function onDisk(runId: string): JournalRecord[] {
    return linesOnDisk(runId).flatMap((r) => (r.type === 'batch' ? r.records : [r]));
}

const has = (records: JournalRecord[], type: JournalRecord['type'], stepId: string): boolean =>
    records.some((r) => r.type === type && 'stepId' in r && r.stepId === stepId);

describe('journal batches', () => {
    it('has every earlier line and a step\'s start on disk when a step with effects is called, and its end before it is heard of', async () => {
        const reads = Array.from({ length: 20 }, (_, i) => step(`r${i}`, 'pure'));
        const seenAtCall: JournalRecord[][] = [];
        const seenAtEnd: JournalRecord[][] = [];
        const s = setup([tool('pure', { readOnly: true }), tool('write')], {
            pure: () => ({ ok: true }),
            write: () => {
                seenAtCall.push(onDisk('r1'));
                return { written: true };
            },
        });
        const wf = workflow([...reads, step('w', 'write', {}, { after: reads.map((r) => r.id) }), step('after', 'pure', {}, { after: ['w'] })]);
        const report = await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r1',
            onEvent: (e) => {
                if (e.type === 'step-finished' && e.stepId === 'w') {
                    seenAtEnd.push(onDisk('r1'));
                }
            },
        });
        expect(report.status).toBe('succeeded');
        const atCall = seenAtCall[0]!;
        expect(atCall[0]!.type).toBe('run');
        expect(reads.every((r) => has(atCall, 'step-finished', r.id))).toBe(true);
        expect(has(atCall, 'step-started', 'w')).toBe(true);
        expect(has(seenAtEnd[0]!, 'step-finished', 'w')).toBe(true);
        // Everything is there at the end, in the order it happened.
        const all = onDisk('r1');
        expect(all.at(-1)!.type).toBe('run-finished');
        expect(all.filter((r) => r.type === 'step-finished')).toHaveLength(22);
        expect(all.findIndex((r) => r.type === 'step-finished' && r.stepId === 'w'))
            .toBeLessThan(all.findIndex((r) => r.type === 'step-finished' && r.stepId === 'after'));
    });

    it('leaves out the start of a read-only step that ended within its batch, not of one still running when the batch is written', async () => {
        const s = setup([tool('pure', { readOnly: true }), tool('slow', { readOnly: true })], {
            pure: () => ({ ok: true }),
            slow: async () => {
                await new Promise((resolve) => setTimeout(resolve, 20));
                return { ok: true };
            },
        });
        let midRun: ReturnType<typeof readJournal> | undefined;
        const wf = workflow([step('a', 'pure'), step('b', 'pure', {}, { after: ['a'] }), step('wait', 'slow', {}, { after: ['b'] }),
            step('probe', 'slow', {}, { after: ['wait'] })]);
        await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r4',
            onEvent: (e) => {
                if (e.type === 'step-started' && e.stepId === 'probe') {
                    midRun = readJournal(path.join(dir, 'r4.jsonl'));
                }
            },
        });
        // While `wait` ran, its batch was written: its start is there, and it reads as in flight.
        expect([...midRun!.inFlight]).toEqual(['wait']);
        expect([...midRun!.steps.keys()]).toEqual(['a', 'b']);
        const all = onDisk('r4');
        expect(has(all, 'step-started', 'a') || has(all, 'step-started', 'b')).toBe(false);
        expect(has(all, 'step-started', 'wait')).toBe(true);
        expect(all.filter((r) => r.type === 'step-finished').map((r) => 'stepId' in r && r.stepId)).toEqual(['a', 'b', 'wait', 'probe']);
        expect(readJournal(path.join(dir, 'r4.jsonl')).inFlight.size).toBe(0);
    });

    it('journals the start of a read-only step still running when a batch is written, once, and not of one ended before', () => {
        const sink = { inputs: (x: unknown) => x, output: (st: { output: unknown }) => st.output, value: (x: unknown) => x };
        const running = new Set<unknown>();
        const w = new JournalWriter(dir, 'r5', sink as never, () => running as never);
        const at = Date.UTC(2025, 0, 1);
        const state = (id: string, startedAt: number) =>
            ({ spec: { id }, tool: { readOnly: true }, status: 'succeeded', attempts: 1, items: -1, cacheHits: 0, output: id, startedAt }) as never;
        const [x, y, z] = [state('x', at), state('y', at + 1), state('z', at + 2)];
        const start = (s: never): void => {
            running.add(s);
            w.stepStarted(s, at);
        };
        const finish = (s: never): void => {
            running.delete(s);
            w.stepFinished(s, at + 3);
        };
        start(x);
        start(y);
        finish(x);
        start(z);
        w.flush();
        w.flush(); // y and z still run: their starts are not journaled twice
        finish(z);
        finish(y);
        w.close();
        expect(onDisk('r5').map((r) => `${r.type} ${'stepId' in r ? r.stepId : ''}`)).toEqual([
            'step-finished x', 'step-started y', 'step-started z', 'step-finished z', 'step-finished y',
        ]);
        // A start is journaled at the step's start.
        expect(onDisk('r5')[1]).toMatchObject({ at: new Date(at + 1).toISOString() });
        // The three of the first write share a line; the two ends after it, another.
        expect(linesOnDisk('r5').map((r) => r.type)).toEqual(['batch', 'batch']);
    });

    it('writes read-only steps\' lines by the end of the event loop\'s turn', async () => {
        const s = setup([tool('pure', { readOnly: true }), tool('slow', { readOnly: true })], {
            pure: () => ({ ok: true }),
            slow: async () => {
                await new Promise((resolve) => setTimeout(resolve, 20));
                return { ok: true };
            },
        });
        let seen: JournalRecord[] = [];
        const wf = workflow([step('a', 'pure'), step('b', 'pure', {}, { after: ['a'] }), step('wait', 'slow', {}, { after: ['b'] }),
            step('probe', 'slow', {}, { after: ['wait'] })]);
        await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r2',
            onEvent: (e) => {
                if (e.type === 'step-started' && e.stepId === 'probe') {
                    seen = onDisk('r2');
                }
            },
        });
        // `wait` took a timer's turn: a's and b's lines were written meanwhile.
        expect(has(seen, 'step-finished', 'a') && has(seen, 'step-finished', 'b') && has(seen, 'step-started', 'wait')).toBe(true);
    });

    it('writes the lines that wait when the process exits', () => {
        const script = path.join(dir, 'exit.ts');
        const writer = path.resolve(import.meta.dirname, '../../src/engine/state/journal/journal-writer.ts');
        fs.writeFileSync(script, `
            import { JournalWriter } from ${JSON.stringify(writer)};
            const sink = { inputs: (x: unknown) => x, output: (s: { output: unknown }) => s.output, value: (x: unknown) => x };
            const running: unknown[] = [];
            const w = new JournalWriter(${JSON.stringify(dir)}, 'r3', sink as never, () => running as never);
            for (let i = 0; i < 5; i++) {
                const step = { spec: { id: 's' + i }, tool: { readOnly: true }, startedAt: Date.UTC(2025, 0, 1) };
                running.push(step);
                w.stepStarted(step as never, step.startedAt);
            }
            process.exit(0);
        `);
        const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        expect(onDisk('r3').filter((l) => l.type === 'step-started')).toHaveLength(5);
    });
});

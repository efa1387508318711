/**
 * Runs the server starts are durable: journaled with their report and where they came
 * from under `.kmflow/runs`, recorded to `.kmflow/metrics`, offered for resume
 * (`kmflow/resumable`) and resumed by `kmflow/run` — the engine restoring what the
 * journal completed, or refusing with its own code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyFile, loadHistory } from '../../src/engine/state/history/index.js';
import { describeCandidate } from '../../src/extension/core/resume-text.js';
import { readRuns, reportPath, runsDir } from '../../src/extension/core/run-store.js';
import { resumableRequest } from '../../src/server/requests/resumable.js';
import { runRequest } from '../../src/server/requests/run.js';
import type { RunResult } from '../../src/shared/lsp-protocol.js';
import { ok, startTestServer, type TestServer } from './helpers.js';

// The failing step reads a file the test creates between the run and the resume.
const RESUMABLE = `workflow resumable {
    step first uses log { with { message: "first" } }
    step read uses file.read { with { path: "flag.txt" } after first }
    step check uses assert { with { condition: read.output.content == "ready", message: "flag not ready" } }
    step done uses log { with { message: "done: \${read.output.content}" } after check }
}
`;

let server: TestServer;
let runs = 0;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

/** Runs `text` as the editor's `flow.kmflow` (resuming `resume`). */
async function run(text: string, resume?: string): Promise<RunResult> {
    const uri = await server.file('flow.kmflow', text, text);
    return runRequest(server.ctx, { uri, runId: `run-${++runs}`, ...(resume !== undefined && { resume }) });
}

describe('durable runs', () => {
    it('journals the run, lets the engine write the report, records history and where the run came from', async () => {
        const { report } = ok(await run(RESUMABLE.replace('"flag.txt"', '"flow.kmflow"').replace('== "ready"', '!= ""')));
        expect(report.status).toBe('succeeded');
        expect(fs.existsSync(path.join(runsDir(server.root), `${report.runId}.jsonl`))).toBe(true);
        expect(JSON.parse(fs.readFileSync(reportPath(server.root, report.runId), 'utf8')).runId).toBe(report.runId);
        expect(fs.existsSync(historyFile(server.root))).toBe(true);
        expect((await loadHistory(server.root)).workflows.resumable?.runs).toBe(1);
        const [back] = await readRuns(server.root);
        expect(back!.runId).toBe(report.runId);
        expect(back!.source).toMatchObject({ file: 'flow.kmflow', workflow: 'resumable', lines: { first: 2, done: 5 } });
    });

    it('a failure to record history is a warning, never a failed run', async () => {
        fs.mkdirSync(path.join(server.root, '.kmflow'), { recursive: true });
        fs.writeFileSync(path.join(server.root, '.kmflow', 'metrics'), 'not a folder');
        const { report } = ok(await run('workflow w {\n    step a uses log { with { message: "hi" } }\n}\n'));
        expect(report.status).toBe('succeeded');
        const warnings = server.notes.filter((n) => n.method === 'kmflow/runWarning').map((n) => (n.params as { message: string }).message);
        expect(warnings.join('\n')).toMatch(/could not record run history/);
    });
});

describe('resume', () => {
    it('lists the failed run as resumable, resumes it once the file exists, restoring the done steps', async () => {
        const failed = ok(await run(RESUMABLE)).report;
        expect(failed.status).toBe('failed');
        const { candidates: [candidate, ...more] } = await resumableRequest(server.ctx, {});
        expect(more).toEqual([]);
        expect(candidate).toMatchObject({ runId: failed.runId, workflow: 'resumable', status: 'failed', done: ['first'], failed: ['read'] });
        expect(candidate!.source?.file).toBe('flow.kmflow');
        expect(describeCandidate(candidate!)).toBe('failed · 1 step(s) done · stopped at read · flow.kmflow');

        fs.writeFileSync(path.join(server.root, 'flag.txt'), 'ready');
        const resumed = ok(await run(RESUMABLE, failed.runId)).report;
        expect(resumed.status).toBe('succeeded');
        expect(resumed.resumedFrom).toBe(failed.runId);
        expect(resumed.steps.map((s) => [s.id, s.status, s.resumed ?? false])).toEqual([
            ['first', 'succeeded', true], ['read', 'succeeded', false], ['check', 'succeeded', false], ['done', 'succeeded', false],
        ]);
        // Nothing is left to do: a run whose resume succeeded is no longer offered.
        expect((await resumableRequest(server.ctx, {})).candidates).toEqual([]);
        expect((await resumableRequest(server.ctx, { runId: failed.runId })).candidates[0]?.status).toBe('failed');
    });

    it('offers a run killed before its end as interrupted, newest first, and finds the last of a workflow', async () => {
        const first = ok(await run(RESUMABLE)).report;
        const second = ok(await run(RESUMABLE)).report;
        const journal = path.join(runsDir(server.root), `${second.runId}.jsonl`);
        const lines = fs.readFileSync(journal, 'utf8').trimEnd().split('\n');
        fs.writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`); // no run-finished line
        const listed = (await resumableRequest(server.ctx, {})).candidates;
        expect(listed.map((c) => [c.runId, c.status])).toEqual([[second.runId, 'interrupted'], [first.runId, 'failed']]);
        expect((await resumableRequest(server.ctx, { workflow: 'other' })).candidates).toEqual([]);
        const uri = await server.file('flow.kmflow', RESUMABLE);
        expect((await resumableRequest(server.ctx, { uri, runId: 'last', workflow: 'resumable' })).candidates[0]?.runId).toBe(second.runId);
        expect((await resumableRequest(server.ctx, { runId: 'nope' })).candidates).toEqual([]);
    });

    it('passes the engine\'s refusals on with their codes: changed workflow, no journal', async () => {
        const failed = ok(await run(RESUMABLE)).report;
        const changed = RESUMABLE.replace('message: "first"', 'message: "first, changed"');
        const mismatch = await run(changed, failed.runId);
        expect(mismatch).toMatchObject({ kind: 'refused', code: 'resume-mismatch' });
        expect(mismatch.kind === 'refused' && mismatch.message).toMatch(/changed since/);
        const missing = await run(RESUMABLE, 'no-such-run');
        expect(missing).toMatchObject({ kind: 'refused', code: 'no-journal' });
        expect(missing.kind === 'refused' && missing.message).toMatch(/no journal for run 'no-such-run'/);
        // A run that never started leaves no source behind.
        expect(fs.readdirSync(runsDir(server.root)).filter((n) => n.endsWith('.source.json'))).toHaveLength(1);
    });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyFile, loadHistory } from '../../src/engine/state/history/index.js';
import { executeRun } from '../../src/extension/core/app-bridge.js';
import { RunRequestError, prepareWorkflowRun } from '../../src/extension/core/app-bridge.js';
import { describeCandidate, findResumable, listResumable } from '../../src/extension/core/resume-candidates.js';
import { readRuns, reportPath, runsDir, writeRunSource } from '../../src/extension/core/run-store.js';
import { writeWorkflow } from './helpers.js';
import { DENIED } from '../../src/engine/security/trust.js';

// The failing step reads a file the test creates between the run and the resume.
const RESUMABLE = `workflow resumable {
    step first uses log { with { message: "first" } }
    step read uses file.read { with { path: "flag.txt" } after first }
    step check uses assert { with { condition: read.output.content == "ready", message: "flag not ready" } }
    step done uses log { with { message: "done: \${read.output.content}" } after check }
}
`;

let root: string;
beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-durable-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(text: string, options: { resume?: string; onWarning?: (w: string) => void } = {}) {
    const prepared = await prepareWorkflowRun(writeWorkflow(root, 'flow.kmflow', text));
    return executeRun(prepared, { root, trust: DENIED, durable: true, ...options });
}

describe('durable runs from the extension', () => {
    it('journals the run, lets the engine write the report, and records history', async () => {
        const report = await run(RESUMABLE.replace('"flag.txt"', '"flow.kmflow"').replace('== "ready"', '!= ""'));
        expect(report.status).toBe('succeeded');
        expect(fs.existsSync(path.join(runsDir(root), `${report.runId}.jsonl`))).toBe(true);
        expect(JSON.parse(fs.readFileSync(reportPath(root, report.runId), 'utf8')).runId).toBe(report.runId);
        expect(fs.existsSync(historyFile(root))).toBe(true);
        expect((await loadHistory(root)).workflows.resumable?.runs).toBe(1);
        await writeRunSource(root, report.runId, { file: 'flow.kmflow', workflow: 'resumable' });
        const [back] = await readRuns(root);
        expect(back!.runId).toBe(report.runId);
        expect(back!.source?.file).toBe('flow.kmflow');
    });

    it('a failure to record history is a warning, never a failed run', async () => {
        fs.mkdirSync(path.join(root, '.kmflow'), { recursive: true });
        fs.writeFileSync(path.join(root, '.kmflow', 'metrics'), 'not a folder');
        const warnings: string[] = [];
        const report = await run('workflow w {\n    step a uses log { with { message: "hi" } }\n}\n', { onWarning: (w) => warnings.push(w) });
        expect(report.status).toBe('succeeded');
        expect(warnings.join('\n')).toMatch(/could not record run history/);
    });
});

describe('resume', () => {
    it('lists the failed run as resumable, resumes it once the file exists, restoring the done steps', async () => {
        const failed = await run(RESUMABLE);
        expect(failed.status).toBe('failed');
        await writeRunSource(root, failed.runId, { file: 'flow.kmflow', workflow: 'resumable' });
        const [candidate, ...more] = await listResumable(root);
        expect(more).toEqual([]);
        expect(candidate).toMatchObject({ runId: failed.runId, workflow: 'resumable', status: 'failed', done: ['first'], failed: ['read'] });
        expect(candidate!.source?.file).toBe('flow.kmflow');
        expect(describeCandidate(candidate!)).toBe('failed · 1 step(s) done · stopped at read · flow.kmflow');

        fs.writeFileSync(path.join(root, 'flag.txt'), 'ready');
        const resumed = await run(RESUMABLE, { resume: failed.runId });
        expect(resumed.status).toBe('succeeded');
        expect(resumed.resumedFrom).toBe(failed.runId);
        expect(resumed.steps.map((s) => [s.id, s.status, s.resumed ?? false])).toEqual([
            ['first', 'succeeded', true], ['read', 'succeeded', false], ['check', 'succeeded', false], ['done', 'succeeded', false],
        ]);
        // Nothing is left to do: a run whose resume succeeded is no longer offered.
        expect(await listResumable(root)).toEqual([]);
        expect((await findResumable(root, failed.runId))?.status).toBe('failed');
    });

    it('offers a run killed before its end as interrupted, newest first, and finds the last of a workflow', async () => {
        const first = await run(RESUMABLE);
        const second = await run(RESUMABLE);
        const journal = path.join(runsDir(root), `${second.runId}.jsonl`);
        const lines = fs.readFileSync(journal, 'utf8').trimEnd().split('\n');
        fs.writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`); // no run-finished line
        const listed = await listResumable(root);
        expect(listed.map((c) => [c.runId, c.status])).toEqual([[second.runId, 'interrupted'], [first.runId, 'failed']]);
        expect(await listResumable(root, 'other')).toEqual([]);
        expect((await findResumable(root, 'last', 'resumable'))?.runId).toBe(second.runId);
        expect(await findResumable(root, 'nope')).toBeUndefined();
    });

    it('passes the engine\'s refusals on with their codes: changed workflow, no journal', async () => {
        const failed = await run(RESUMABLE);
        const changed = RESUMABLE.replace('message: "first"', 'message: "first, changed"');
        const mismatch = await run(changed, { resume: failed.runId }).catch((e: unknown) => e);
        expect(mismatch).toBeInstanceOf(RunRequestError);
        expect((mismatch as RunRequestError).code).toBe('resume-mismatch');
        expect((mismatch as Error).message).toMatch(/changed since/);
        const missing = await run(RESUMABLE, { resume: 'no-such-run' }).catch((e: unknown) => e);
        expect((missing as RunRequestError).code).toBe('no-journal');
        expect((missing as Error).message).toMatch(/no journal for run 'no-such-run'/);
    });
});

/**
 * Report snapshots beside the test file: written the first time, compared afterwards
 * (a difference fails the test with the paths that differ), rewritten by
 * `--update-snapshots` (which also drops those of removed tests); a corrupt snapshot file
 * is a failure at the `snapshot` line until it is fixed or rewritten.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failuresOf, runFile, tempWorkspace } from './helpers.js';

const flow = (count: number): string => `
tool fetch { via ev "fetch" }
server ev { command "/nonexistent/never-started" }
workflow wf {
    step list uses fetch { retry 1 backoff 3s }
    step show uses log { with { message: "\${list.output.count}" } }
}
test "listing" for wf {
    given list fails "BUSY" "busy" then returns { count: ${count} }
    snapshot report
}
test "no snapshot" for wf {
    given list returns { count: 0 }
}
`;

let root: string;
const snapFile = (): string => path.join(root, 'main.kmflow.snap.json');
const stored = (): Record<string, Record<string, unknown>> => JSON.parse(fs.readFileSync(snapFile(), 'utf8')) as Record<string, Record<string, unknown>>;

afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

describe('report snapshots', () => {
    it('are written the first time, with the run id and clock times normalised', async () => {
        root = tempWorkspace({ 'main.kmflow': flow(2) });
        const summary = await runFile(root);
        expect(summary.results.map((r) => [r.name, r.status, r.snapshot])).toEqual([['listing', 'passed', 'written'], ['no snapshot', 'passed', undefined]]);
        expect(summary.snapshotFiles).toEqual(['main.kmflow.snap.json']);
        const report = stored().listing!;
        expect(Object.keys(stored())).toEqual(['listing']);
        expect(report).toMatchObject({ runId: '<run id>', startedAt: '+0ms', status: 'succeeded' });
        const steps = report.steps as Array<Record<string, unknown>>;
        expect(steps.map((s) => [s.id, s.attempts, s.startedAt])).toEqual([['list', 2, '+0ms'], ['show', 1, steps[1]!.startedAt]]);
        expect(steps[1]!.startedAt).toMatch(/^\+\d+ms$/);
        expect(fs.readFileSync(snapFile(), 'utf8').endsWith('}\n')).toBe(true);
    });

    it('fail the test where the report differs, naming what, and are rewritten by --update-snapshots', async () => {
        root = tempWorkspace({ 'main.kmflow': flow(2) });
        await runFile(root);
        fs.writeFileSync(path.join(root, 'main.kmflow'), flow(3));
        const differs = await runFile(root);
        const listing = differs.results[0]!;
        expect(listing.status).toBe('failed');
        expect(listing.snapshot).toBe('differs');
        expect(listing.failures.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['main.kmflow:10:5']);
        expect(failuresOf(listing)).toEqual([
            'snapshot: the report differs from its snapshot in main.kmflow.snap.json (run kmflow test --update-snapshots if the change is meant):\n' +
            '  steps[list].output.count: snapshot 2, now 3\n' +
            '  steps[show].output.message: snapshot "2", now "3"\n' +
            '  steps[show].params.message: snapshot "2", now "3"',
        ]);
        expect(differs.snapshotFiles).toEqual([]);
        const updated = await runFile(root, 'main.kmflow', { updateSnapshots: true });
        expect(updated.results.map((r) => [r.status, r.snapshot])).toEqual([['passed', 'updated'], ['passed', undefined]]);
        expect((stored().listing!.steps as Array<{ output: unknown }>)[0]!.output).toEqual({ count: 3 });
        const again = await runFile(root);
        expect(again.results[0]!.snapshot).toBe('matched');
    });

    it('of tests no longer declared are dropped by --update-snapshots only', async () => {
        root = tempWorkspace({ 'main.kmflow': flow(2) });
        await runFile(root);
        fs.writeFileSync(path.join(root, 'main.kmflow'), flow(2).replace('test "listing"', 'test "renamed"'));
        await runFile(root);
        expect(Object.keys(stored()).sort()).toEqual(['listing', 'renamed']);
        await runFile(root, 'main.kmflow', { updateSnapshots: true });
        expect(Object.keys(stored())).toEqual(['renamed']);
    });

    it('in a corrupt file fail at the snapshot line until the file is rewritten', async () => {
        root = tempWorkspace({ 'main.kmflow': flow(2), 'main.kmflow.snap.json': '{ "listing": { "runId": ' });
        const summary = await runFile(root);
        const listing = summary.results[0]!;
        expect(listing.snapshot).toBe('unusable');
        expect(listing.failures.map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([
            expect.stringMatching(/^main\.kmflow:10: main\.kmflow\.snap\.json is not valid JSON \(.+\): fix or delete it, or run kmflow test --update-snapshots$/),
        ]);
        expect(summary.results[1]!.status).toBe('passed');
        expect(fs.readFileSync(snapFile(), 'utf8')).toBe('{ "listing": { "runId": ');
        const updated = await runFile(root, 'main.kmflow', { updateSnapshots: true });
        expect(updated.results[0]!.snapshot).toBe('written');
        expect(Object.keys(stored())).toEqual(['listing']);
        fs.writeFileSync(snapFile(), '[1, 2]');
        expect(failuresOf((await runFile(root)).results[0])).toEqual([
            'snapshot: main.kmflow.snap.json is not a snapshot file (a JSON object of reports by test title): fix or delete it, or run kmflow test --update-snapshots',
        ]);
    });
});

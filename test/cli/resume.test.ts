/**
 * The kill test: a real `kmflow run` is SIGKILLed mid-run, then `--resume last` must
 * not repeat any completed step's side effect nor lose any. Needs the built CLI
 * (`npm run build`, which `npm test` runs first).
 *
 * At-least-once for in-flight steps: a step whose tool had done its work when the
 * process died, but whose `step-finished` line was not yet journaled, runs again on
 * resume. The test allows exactly that step (from the journal: started, not finished)
 * to appear twice.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/state/journal/journal-reader.js';
import { KMFLOW, runCli } from '../helpers/cli.js';

let dir: string;
const WRITES = ['w1', 'w2', 'w3', 'w4', 'w5'];

function source(delayMs: number): string {
    const lines = ['workflow count {', '  mode sequential'];
    WRITES.forEach((w, i) => {
        const after = i === 0 ? '' : ` after d${i}`;
        lines.push(`  step ${w} uses file.write { with { path: "counter.txt", content: "${w}\\n", append: true }${after} }`);
        if (i < WRITES.length - 1) {
            lines.push(`  step d${i + 1} uses delay { with { ms: ${delayMs} } after ${w} }`);
        }
    });
    lines.push('}');
    return `${lines.join('\n')}\n`;
}

const counts = (): Map<string, number> => {
    const m = new Map<string, number>();
    const text = fs.existsSync(path.join(dir, 'counter.txt')) ? fs.readFileSync(path.join(dir, 'counter.txt'), 'utf8') : '';
    for (const line of text.split('\n').filter(Boolean)) {
        m.set(line, (m.get(line) ?? 0) + 1);
    }
    return m;
};

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-resume-'));
    fs.writeFileSync(path.join(dir, 'count.kmflow'), source(250));
});

describe('kmflow run --resume', () => {
    it('survives SIGKILL: completed side effects are not repeated, none is lost', async () => {
        const child = spawn(process.execPath, [KMFLOW, 'run', 'count.kmflow', '--json'], { cwd: dir, stdio: 'ignore' });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        // Kill once two side effects happened: mid-run, between w2 and w5.
        const deadline = Date.now() + 20_000;
        while ([...counts().values()].reduce((a, b) => a + b, 0) < 2) {
            if (Date.now() > deadline) {
                child.kill('SIGKILL');
                throw new Error('the run never wrote two lines');
            }
            await new Promise((r) => setTimeout(r, 5));
        }
        child.kill('SIGKILL');
        await exited;
        const before = counts();
        expect(before.get('w5')).toBeUndefined(); // it really died mid-run

        const runs = path.join(dir, '.kmflow', 'runs');
        const journals = fs.readdirSync(runs).filter((f) => f.endsWith('.jsonl'));
        expect(journals).toHaveLength(1);
        const journal = readJournal(path.join(runs, journals[0]!));
        expect(journal.finished).toBe(false);
        const inFlight = journal.inFlight;

        const resumed = await runCli(['run', 'count.kmflow', '--resume', 'last', '--json'], { cwd: dir });
        expect(resumed.stderr).not.toMatch(/kmflow run:/);
        expect(resumed.code).toBe(0);
        const report = JSON.parse(resumed.stdout) as { status: string; resumedFrom: string; steps: Array<{ id: string; resumed?: boolean; attempts: number }> };
        expect(report.status).toBe('succeeded');
        expect(report.resumedFrom).toBe(journal.header.runId);
        const after = counts();
        for (const w of WRITES) {
            const n = after.get(w) ?? 0;
            // Exactly once, except a step that was in flight at the kill: at least once.
            expect(n, `${w} appears ${n} times`).toBe(inFlight.has(w) && before.has(w) ? n : 1);
            expect(n).toBeGreaterThanOrEqual(1);
            expect(n).toBeLessThanOrEqual(inFlight.has(w) ? 2 : 1);
        }
        // Steps the journal saw finish are restored, not rerun.
        for (const [id, rec] of journal.steps) {
            if (rec.type === 'step-finished' && rec.status === 'succeeded') {
                expect(report.steps.find((s) => s.id === id)).toMatchObject({ resumed: true, attempts: 0 });
            }
        }
        expect(fs.existsSync(path.join(runs, `${(report as unknown as { runId: string }).runId}.report.json`))).toBe(true);
    }, 60_000);

    it('refuses to resume a changed workflow, naming the step that changed', async () => {
        const file = path.join(dir, 'changed.kmflow');
        fs.writeFileSync(file, 'workflow changed {\n  step a uses log { with { message: "one" } }\n  step b uses log { with { message: "two" } after a }\n}\n');
        const first = await runCli(['run', 'changed.kmflow', '--json'], { cwd: dir });
        expect(first.code).toBe(0);
        fs.writeFileSync(file, 'workflow changed {\n  step a uses log { with { message: "one" } }\n  step b uses log { with { message: "TWO" } after a }\n}\n');
        const again = await runCli(['run', 'changed.kmflow', '--resume', 'last'], { cwd: dir });
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/changed\.kmflow:1:1: cannot resume run 'changed-[^']+': workflow 'changed' changed since \(step 'b' changed\)/);
        const none = await runCli(['run', 'changed.kmflow', '--resume', 'nope'], { cwd: dir });
        expect(none.code).toBe(2);
        expect(none.stderr).toMatch(/no journal for run 'nope'/);
    });

    it('reruns a completed step and what follows it with --rerun-from; the steps before keep their outputs', async () => {
        fs.writeFileSync(path.join(dir, 'again.kmflow'), 'workflow again {\n  mode sequential\n' +
            '  step one uses file.write { with { path: "again.txt", content: "one\\n", append: true } }\n' +
            '  step two uses file.write { with { path: "again.txt", content: "two\\n", append: true } after one }\n' +
            '  step three uses file.write { with { path: "again.txt", content: "three\\n", append: true } after two }\n}\n');
        const first = await runCli(['run', 'again.kmflow', '--json'], { cwd: dir });
        expect(first.code, first.stderr).toBe(0);
        const rerun = await runCli(['run', 'again.kmflow', '--resume', 'last', '--rerun-from', 'two', '--json'], { cwd: dir });
        expect(rerun.code, rerun.stderr).toBe(0);
        const report = JSON.parse(rerun.stdout) as { steps: Array<{ id: string; resumed?: boolean }> };
        expect(report.steps.map((st) => [st.id, st.resumed ?? false])).toEqual([['one', true], ['two', false], ['three', false]]);
        expect(fs.readFileSync(path.join(dir, 'again.txt'), 'utf8')).toBe('one\ntwo\nthree\ntwo\nthree\n');
        const alone = await runCli(['run', 'again.kmflow', '--rerun-from', 'two'], { cwd: dir });
        expect(alone.code).toBe(2);
        expect(alone.stderr).toContain('--rerun-from goes with --resume');
    }, 60_000);

    it('runs several files together: {"reports": [...]}', async () => {
        fs.writeFileSync(path.join(dir, 'x.kmflow'), 'workflow x {\n  step a uses delay { with { ms: 50 } }\n}\n');
        fs.writeFileSync(path.join(dir, 'y.kmflow'), 'workflow y {\n  step a uses delay { with { ms: 50 } }\n}\n');
        const r = await runCli(['run', 'x.kmflow', 'y.kmflow', '--json'], { cwd: dir });
        expect(r.code).toBe(0);
        const doc = JSON.parse(r.stdout) as { reports: Array<{ workflow: string; status: string; startedAt: string; endedAt: string }> };
        expect(doc.reports.map((x) => [x.workflow, x.status])).toEqual([['x', 'succeeded'], ['y', 'succeeded']]);
        const [a, b] = doc.reports;
        // They overlapped in time.
        expect(Date.parse(a!.startedAt) < Date.parse(b!.endedAt) && Date.parse(b!.startedAt) < Date.parse(a!.endedAt)).toBe(true);
    });
});

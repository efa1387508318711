/**
 * `kmflow run --resume` over a damaged journal (issue 12, item 13): refused with the
 * damaged line named (exit 2, nothing rerun); `--resume-lenient` resumes from every
 * intact record and warns; `--resume last` passes over an unusable journal, naming it.
 * Needs the built CLI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
const runs = (): string => path.join(dir, '.kmflow', 'runs');
const written = (): string[] => fs.readFileSync(path.join(dir, 'out.txt'), 'utf8').split('\n').filter(Boolean);

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-resume-damage-'));
    fs.writeFileSync(path.join(dir, 'w.kmflow'), `workflow w {
  mode sequential
  step one uses file.write { with { path: "out.txt", content: "one\\n", append: true } }
  step two uses file.write { with { path: "out.txt", content: "two\\n", append: true } after one }
  step three uses file.read { with { path: "missing.txt" } after two }
}
`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kmflow run --resume, damaged journals', () => {
    it('refuses a journal with a damaged line, naming it; --resume-lenient keeps every intact record', async () => {
        const first = await runCli(['run', 'w.kmflow'], { cwd: dir });
        expect(first.code).toBe(1); // three fails: missing.txt
        const [journal] = fs.readdirSync(runs()).filter((f) => f.endsWith('.jsonl'));
        const file = path.join(runs(), journal!);
        const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
        const at = lines.findIndex((l) => l.includes('"type":"step-finished"') && l.includes('"stepId":"one"')) + 1;
        lines.splice(at, 0, '\u0000\u0000\u0000\u0000');
        fs.writeFileSync(file, `${lines.join('\n')}\n`);
        fs.writeFileSync(path.join(dir, 'missing.txt'), 'here now');

        const refused = await runCli(['run', 'w.kmflow', '--resume', 'last'], { cwd: dir });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`is damaged at line ${at + 1} (NUL bytes)`);
        expect(refused.stderr).toContain('--resume-lenient');
        expect(written()).toEqual(['one', 'two']); // nothing ran again

        const lenient = await runCli(['run', 'w.kmflow', '--resume', 'last', '--resume-lenient', '--json'], { cwd: dir });
        expect(lenient.code).toBe(0);
        expect(lenient.stderr).toMatch(new RegExp(`warning: resuming run '[^']+' from a damaged journal \\(--resume-lenient\\): ignored line ${at + 1} \\(NUL bytes\\)`));
        const report = JSON.parse(lenient.stdout) as { steps: Array<{ id: string; resumed?: boolean }> };
        expect(report.steps.filter((s) => s.resumed).map((s) => s.id)).toEqual(['one', 'two']);
        expect(written()).toEqual(['one', 'two']);
    });

    it('--resume last passes over a folder named *.jsonl with a warning; by id it is a clear refusal', async () => {
        fs.mkdirSync(path.join(runs(), 'zz-folder.jsonl'));
        const last = await runCli(['run', 'w.kmflow', '--resume', 'last'], { cwd: dir });
        expect(last.code).toBe(0);
        expect(last.stderr).toMatch(/warning: --resume last passed over unusable journals: .*zz-folder\.jsonl is not a journal file \(it is a folder\)/);
        const byId = await runCli(['run', 'w.kmflow', '--resume', 'zz-folder'], { cwd: dir });
        expect(byId.code).toBe(2);
        expect(byId.stderr).toMatch(/cannot resume run 'zz-folder': the journal .*zz-folder\.jsonl is not a journal file \(it is a folder\)/);
        expect(byId.stderr).not.toMatch(/EISDIR/);
    });

    it('--resume-lenient alone is a usage error', async () => {
        const r = await runCli(['run', 'w.kmflow', '--resume-lenient'], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--resume-lenient goes with --resume');
    });
});

/**
 * `kmflow test` as a user runs it: the examples' tests pass (they run in `npm test`
 * through here); a failing test prints its line, each failure with file:line, expected
 * and actual, the closing `N passed, N failed`, and exits 1; `--json`, `--junit`,
 * `--filter`; a test of an unknown workflow is a check error at its place (exit 2), and
 * without FILEs every test under the root runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const repo = path.resolve(import.meta.dirname, '../..');
const examples = fs.readdirSync(path.join(repo, 'examples')).filter((f) => f.endsWith('.test.kmflow')).map((f) => path.join('examples', f));
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-test-cmd-')));

const FLOW = `
tool fetch { via ev "fetch" }
server ev { command "/nonexistent/never-started" }
workflow wf {
    step list uses fetch { retry 2 backoff 1s }
}
test "passes" for wf {
    given list returns { count: 2 }
    expect list.output.count == 2
}
test "fails" for wf {
    given list fails 2 times then returns { count: 2 }
    expect list.attempts == 2
}
`;

fs.mkdirSync(path.join(dir, 'flows'));
fs.writeFileSync(path.join(dir, 'flows', 'main.kmflow'), FLOW);
fs.writeFileSync(path.join(dir, 'other.kmflow'), 'workflow w { step a uses log { with { message: "a" } } }\n');

afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('kmflow test', () => {
    it('passes the tests of the Keyboard Maestro examples', async () => {
        expect(examples.length).toBeGreaterThanOrEqual(4);
        const r = await runCli(['test', ...examples], { cwd: repo });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const lines = r.stdout.trim().split('\n');
        expect(lines.slice(0, -1).filter((l) => !l.startsWith('✓ '))).toEqual([]);
        expect(lines[lines.length - 1]).toMatch(/^(\d+) passed, 0 failed$/);
        expect(Number(/^(\d+)/.exec(lines[lines.length - 1]!)![1])).toBeGreaterThanOrEqual(10);
    });

    it('prints a failing test with its place, expected and actual, and exits 1', async () => {
        const r = await runCli(['test', 'flows/main.kmflow'], { cwd: dir });
        expect(r.code).toBe(1);
        const lines = r.stdout.split('\n');
        expect(lines[0]).toBe('✓ passes  (flows/main.kmflow:7, 0 ms simulated)');
        expect(lines[1]).toMatch(/^✗ fails {2}\(flows\/main\.kmflow:11, [\d.]+ s simulated\)$/);
        expect(lines.slice(2)).toEqual([
            '    flows/main.kmflow:13:5 expected list.attempts == 2, but list.attempts is 3',
            '        expected: 2',
            '        actual:   3',
            '1 passed, 1 failed',
            '',
        ]);
    });

    it('finds every test under the root without FILEs, and --filter picks by name', async () => {
        const all = await runCli(['test'], { cwd: dir });
        expect(all.stdout.trim().split('\n').pop()).toBe('1 passed, 1 failed');
        const some = await runCli(['test', '--filter', 'pass'], { cwd: dir });
        expect(some.code).toBe(0);
        expect(some.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed');
        const none = await runCli(['test', '--filter', 'nothing'], { cwd: dir });
        expect(none.code).toBe(0);
        expect(none.stderr).toContain("no test whose name contains 'nothing'");
    });

    it('gives one JSON document with --json and writes JUnit XML with --junit', async () => {
        const r = await runCli(['test', 'flows/main.kmflow', '--json', '--junit', 'out/results.xml'], { cwd: dir });
        expect(r.code).toBe(1);
        const summary = JSON.parse(r.stdout) as { passed: number; failed: number; results: Array<{ name: string; status: string; failures: Array<{ line: number; expected: unknown; actual: unknown }> }> };
        expect([summary.passed, summary.failed]).toEqual([1, 1]);
        expect(summary.results[1]).toMatchObject({ name: 'fails', status: 'failed', failures: [{ line: 13, expected: 2, actual: 3 }] });
        const xml = fs.readFileSync(path.join(dir, 'out/results.xml'), 'utf8');
        expect(xml).toContain('<testsuite name="flows/main.kmflow" tests="2" failures="1"');
    });

    it('refuses a test of an unknown workflow, at its place, with exit 2', async () => {
        fs.writeFileSync(path.join(dir, 'bad.kmflow'), 'import "./flows/main.kmflow"\ntest "t" for nope {\n    given list returns {}\n}\n');
        try {
            const r = await runCli(['test', 'bad.kmflow'], { cwd: dir });
            expect(r.code).toBe(2);
            expect(r.stdout).toBe('');
            expect(r.stderr).toBe([
                "bad.kmflow:2:14 error unknown-workflow no workflow 'nope' is declared here or in an imported file",
                'kmflow test: 1 error(s) in the test files or the workflows they test; no test ran',
                '',
            ].join('\n'));
        } finally {
            fs.rmSync(path.join(dir, 'bad.kmflow'));
        }
    });

    it('says what is wrong with its arguments, with exit 2', async () => {
        expect((await runCli(['test', 'missing.kmflow'], { cwd: dir })).stderr).toBe('kmflow test: missing.kmflow: no such file\n');
        const r = await runCli(['test', '--junit'], { cwd: dir });
        expect(r.code).toBe(2);
    });
});

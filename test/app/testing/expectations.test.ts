/**
 * Expectations in the expression language: what a failed one says (expected and actual,
 * file:line:column), one that cannot be evaluated, the values a test gives, and the run
 * that cannot start — each a failure at its place, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runText } from './helpers.js';

const FLOW = `
tool fetch { via ev "fetch" }
server ev { command "/nonexistent/never-started" }
workflow wf {
    input group: string
    input limit: number = 10
    errors resilient
    step list uses fetch { retry 2 backoff 1s }
    step use uses log { with { message: "\${list.output.count} in \${input.group} (\${env.REGION}, \${secret.TOKEN})" } }
}
`;

describe('a failed expectation', () => {
    it('says what was expected and what the run gave, at its file:line:column', async () => {
        const results = await runText(`${FLOW}
test "counts" for wf {
    input group = "Work"
    env REGION = "eu"
    secret TOKEN = "hunter2"
    given list returns { count: 2, items: ["a", "b"] }
    expect list.output.count == 3
    expect list.attempts != 1
    expect list.output.items[0] > "b"
    expect list.output.missing
    expect not list.ok
    expect use.output == "***"
    expect input.limit == 10
}
`);
        const result = results.get('counts')!;
        expect(result.status).toBe('failed');
        expect(result.failures.map((f) => ({ at: `${f.file}:${f.line}:${f.column}`, kind: f.kind, message: f.message, expected: f.expected, actual: f.actual }))).toEqual([
            { at: 'main.kmflow:17:5', kind: 'expect', message: 'expected list.output.count == 3, but list.output.count is 2', expected: 3, actual: 2 },
            { at: 'main.kmflow:18:5', kind: 'expect', message: 'expected list.attempts != 1, but list.attempts is 1', expected: '!= 1', actual: 1 },
            { at: 'main.kmflow:19:5', kind: 'expect', message: 'expected list.output.items[0] > "b", but list.output.items[0] is "a"', expected: '> "b"', actual: 'a' },
            { at: 'main.kmflow:20:5', kind: 'expect', message: 'expected list.output.missing, but it is missing', expected: true, actual: null },
            { at: 'main.kmflow:21:5', kind: 'expect', message: 'expected not list.ok, but it is false', expected: true, actual: false },
        ]);
        // A step computed from a secret shows its output masked, as in any run; the expectations that held are counted.
        expect(result.passedExpectations).toBe(2);
    });

    it('that cannot be evaluated says why, at its place', async () => {
        const results = await runText(`${FLOW}
test "reads a failed step's output" for wf {
    input group = "Work"
    secret TOKEN = "t"
    given list fails "DOWN" "server down"
    expect list.output.count == 1
    expect "a" * 2 == 1
    expect list.error.code == "DOWN"
}
`);
        expect(failuresOf(results.get("reads a failed step's output"))).toEqual([
            "expression: cannot evaluate `expect list.output.count == 1`: step 'list' failed, so it has no output; read list.error (code, message, attempts) or test list.ok first",
            'expression: cannot evaluate `expect "a" * 2 == 1`: \'*\' needs two numbers, got string and number in `"a" * 2`',
        ]);
        expect(results.get("reads a failed step's output")!.failures.map((f) => f.line)).toEqual([16, 17]);
    });
});

describe('a run that cannot start', () => {
    it('is a setup failure of the test, in the test\'s terms', async () => {
        const results = await runText(`${FLOW}
test "no group" for wf {
    given list returns { count: 1 }
    expect run.status == "succeeded"
}
test "no secret" for wf {
    input group = "Work"
    given list returns { count: 1 }
    expect run.status == "succeeded"
}
`);
        expect(failuresOf(results.get('no group'))).toEqual([
            "setup: workflow 'wf' needs input 'group' (string): add `input group = …` to test \"no group\"",
        ]);
        expect(failuresOf(results.get('no secret'))).toEqual([
            "setup: workflow 'wf' reads secret.TOKEN: add `secret TOKEN = \"…\"` to test \"no secret\"",
        ]);
        expect(results.get('no secret')!.failures.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['main.kmflow:16:1']);
    });
});

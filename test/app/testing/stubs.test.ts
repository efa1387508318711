/**
 * Each kind of stub and fault of a test block, answering through the path a live call
 * takes: `returns` (through the server's `failure` rule and the tool's output schema),
 * `fails`, `times out` (the step's timeout, the server's, MCP's 10 minutes), `disconnects`,
 * `N times then …`, tool stubs beside step stubs, compensations, and calls nothing answers.
 */
import { describe, expect, it } from 'vitest';
import { failuresOf, runText } from './helpers.js';

const SERVER = `
server ev {
    command "/nonexistent/never-started"
    timeout 45s
    failure {
        when output.success == false
        code output.error.code
        message output.error.message
        advice output.error.hint
        retryable "BUSY"
    }
}
tool fetch { via ev "fetch" output_schema { type: "object", properties: { count: { type: "number" } } } }
tool plain { description "declared without via: a run could not call it, a test can stub it" }
`;

describe('returns', () => {
    it('answers an MCP tool as its server would: structured output, the failure rule, the output schema', async () => {
        const results = await runText(`${SERVER}
workflow wf {
    errors resilient
    step ok uses fetch
    step refused uses fetch
    step local uses plain
}
test "answers" for wf {
    given ok returns { count: 3 }
    given refused returns { success: false, error: { code: "NOPE", message: "not today", hint: "ask later" } }
    given local returns [1, 2]
    expect ok.output.count == 3
    expect ok.attempts == 1
    expect refused.error.code == "NOPE"
    expect refused.error.message == "fetch: not today"
    expect refused.error.advice == "ask later"
    expect local.output[1] == 2
}
`);
        expect(failuresOf(results.get('answers'))).toEqual([]);
        expect(results.get('answers')!.passedExpectations).toBe(6);
    });

    it('says in the run why a value breaks the output schema, as the MCP client would', async () => {
        const results = await runText(`${SERVER}
workflow wf {
    input n: string = "three"
    step broken uses fetch
}
test "a string for a number" for wf {
    input n = "3"
    given broken returns { count: input.n }
    expect broken.ok
}
`);
        // The checker cannot see a value read from an input: it is checked when the stub answers.
        expect(failuresOf(results.get('a string for a number'))).toEqual([
            "expect: expected broken.ok, but it is false",
        ]);
        const more = await runText(`${SERVER}
workflow wf {
    input n: string = "three"
    step broken uses fetch
}
test "the default" for wf {
    given broken returns { count: input.n }
    expect broken.error.message == ""
}
`);
        expect(failuresOf(more.get('the default'))[0]).toContain("Structured content does not match the tool's output schema: 'count' must be number");
    });
});

describe('fails', () => {
    it('fails with its code and message; only `retryable` failures are retried under errors adaptive', async () => {
        const results = await runText(`${SERVER}
workflow wf {
    errors adaptive
    step plainly uses fetch { retry 3 backoff 1s }
    step flaky uses fetch { retry 3 backoff 1s }
    step bare uses fetch
}
test "t" for wf {
    given plainly fails "QUOTA" "over quota"
    given flaky fails "BUSY" "try again" retryable 2 times then returns { count: 1 }
    given bare fails
    expect plainly.error.code == "QUOTA"
    expect plainly.error.message == "over quota"
    expect plainly.attempts == 1
    expect flaky.attempts == 3
    expect flaky.output.count == 1
    expect bare.error.code == "tool-error"
    expect run.status == "partial"
}
`);
        expect(failuresOf(results.get('t'))).toEqual([]);
    });
});

describe('times out', () => {
    it('is ended by the step timeout, else the server timeout, else MCP\'s 10 minutes, all on the fake clock', async () => {
        const started = performance.now();
        const results = await runText(`${SERVER}
workflow wf {
    errors resilient
    step own uses fetch { timeout 10m }
    step server uses fetch
    step local uses plain
    step later uses log { after own always  with { message: "after ${'$'}{own.error.code}" } }
}
test "t" for wf {
    given own times out
    given server times out
    given local times out
    expect own.error.code == "timeout"
    expect server.error.code == "timeout"
    expect local.error.code == "timeout"
    expect later.output.message == "after timeout"
    expect run.durationMs == 600000
}
`);
        expect(failuresOf(results.get('t'))).toEqual([]);
        const server = results.get('t')!;
        expect(server.simulatedMs).toBe(600_000);
        expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('names the server\'s timeout when that ended the call', async () => {
        const results = await runText(`${SERVER}
workflow wf { step s uses fetch }
test "t" for wf {
    given s times out
    expect s.error.message == ""
    expect run.durationMs == 45000
}
`);
        const [message] = failuresOf(results.get('t'));
        expect(message).toContain("no answer from MCP server 'ev' within 45000 ms (the server's `timeout`)");
        expect(failuresOf(results.get('t'))).toHaveLength(1);
    });

    it('then answers the retry', async () => {
        const results = await runText(`${SERVER}
workflow wf { step s uses fetch { timeout 30s retry 1 backoff 2s } }
test "t" for wf {
    given s times out then returns { count: 2 }
    expect s.attempts == 2
    expect s.output.count == 2
    expect run.durationMs >= 31000 and run.durationMs <= 32000
}
`);
        expect(failuresOf(results.get('t'))).toEqual([]);
    });
});

describe('disconnects', () => {
    it('fails with disconnected, which errors adaptive retries', async () => {
        const results = await runText(`${SERVER}
workflow wf {
    errors adaptive
    step s uses fetch { retry 2 backoff 100ms }
    step gone uses fetch
}
test "t" for wf {
    given s disconnects 2 times then returns { count: 7 }
    given gone disconnects
    expect s.attempts == 3
    expect s.output.count == 7
    expect gone.error.code == "disconnected"
    expect gone.error.retryable
}
`);
        expect(failuresOf(results.get('t'))).toEqual([]);
    });
});

describe('which stub answers', () => {
    it('a step stub beats a tool stub; a tool stub answers every other call, a compensation\'s too', async () => {
        const results = await runText(`${SERVER}
tool undo { via ev "undo" }
workflow wf {
    errors recovery
    step a uses fetch { compensate uses undo }
    step b uses fetch { after a }
    step c uses fetch { after b }
}
test "t" for wf {
    given a returns { count: 1 }
    given c fails "BOOM" "no"
    given tool fetch returns { count: 2 }
    given tool undo returns { undone: true }
    expect a.status == "compensated"
    expect b.status == "succeeded"
    expect c.error.code == "BOOM"
    expect run.status == "rolled_back"
}
`);
        expect(failuresOf(results.get('t'))).toEqual([]);
    });

    it('runs the built-ins that only compute for real and fails any other call nothing answers', async () => {
        const results = await runText(`
workflow wf {
    errors resilient
    step wait uses delay { with { ms: 3600000 } }
    step say uses template { with { template: "hi {{who}}", values: { who: "you" } } after wait }
    step write uses file.write { with { path: "x.txt", content: "x" } }
}
test "t" for wf {
    expect say.output == "hi you"
    expect write.error.code == "no-stub"
    expect run.durationMs == 3600000
}
`);
        const result = results.get('t')!;
        expect(failuresOf(result)).toEqual([
            "no-stub: step 'write' calls 'file.write', which nothing answers: add `given write returns {…}`, `given tool file.write …` or a `replay` cassette that holds the call",
        ]);
        expect(result.passedExpectations).toBe(3);
        expect(result.status).toBe('failed');
    });
});

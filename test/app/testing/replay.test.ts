/**
 * `replay "NAME"`: the calls no stub answers come from a recorded cassette, no server
 * starting; stubs still win; arguments other than recorded fail the step with
 * replay-divergence; a cassette that is missing or unusable is a setup failure at the
 * `replay` line, and the checker warns about a missing one before anything runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASSETTE_VERSION, formatCassette, type Cassette } from '../../../src/engine/state/recordings/index.js';
import { loadTests, Workspace } from '../../../src/app/index.js';
import { failuresOf, runFile, tempWorkspace } from './helpers.js';

const cassette: Cassette = {
    version: CASSETTE_VERSION,
    workflows: ['wf'],
    servers: { ev: { tools: [{ name: 'fetch', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }] } },
    interactions: [
        { server: 'ev', tool: 'fetch', step: 'list', arguments: { q: 'macros' }, durationMs: 4, result: { content: [{ type: 'text', text: '{"count": 4}' }] } },
        { server: 'ev', tool: 'fetch', step: 'more', arguments: { q: 'groups' }, durationMs: 2, result: { content: [{ type: 'text', text: '{"count": 2}' }] } },
    ],
};

const FLOW = `
server ev { command "/nonexistent/never-started" }
workflow wf {
    errors resilient
    step list uses ev.fetch { with { q: "macros" } }
    step more uses ev.fetch { with { q: input.what } }
    input what: string = "groups"
}
`;

const root = tempWorkspace({
    'main.kmflow': `${FLOW}
test "from the cassette" for wf {
    replay "recorded"
    expect list.output.count == 4
    expect more.output.count == 2
}
test "a stub wins over the cassette" for wf {
    replay "recorded"
    given more returns { count: 20 }
    expect list.output.count + more.output.count == 24
}
test "other arguments than recorded" for wf {
    replay "recorded"
    input what = "macro groups"
    expect more.error.code == "replay-divergence"
    expect list.ok
}
`,
    '.kmflow/recordings/recorded.json': formatCassette(cassette),
    'sub/by-path.kmflow': `
import "../main.kmflow"
test "a cassette by path, beside the test file" for wf {
    replay "fixtures/recorded.json"
    expect list.output.count == 4
}
test "no such cassette" for wf {
    given tool ev.fetch returns { count: 0 }
    replay "fixtures/none.json"
}
`,
    'sub/fixtures/recorded.json': formatCassette(cassette),
});

afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

describe('replay', () => {
    it('answers the calls no stub answers from the cassette', async () => {
        const summary = await runFile(root);
        expect(summary.results.map((r) => [r.name, r.status, failuresOf(r)])).toEqual([
            ['from the cassette', 'passed', []],
            ['a stub wins over the cassette', 'passed', []],
            ['other arguments than recorded', 'passed', []],
        ]);
    });

    it('finds a cassette by path from the test file, and fails a test whose cassette is missing at its replay line', async () => {
        const summary = await runFile(root, 'sub/by-path.kmflow');
        expect(summary.results[0]!.status).toBe('passed');
        const missing = summary.results[1]!;
        expect(missing.failures.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['sub/by-path.kmflow:9:12']);
        expect(failuresOf(missing)).toEqual([
            `setup: cassette ${path.join(root, 'sub/fixtures/none.json')}: no such file (record one with \`kmflow run FILE --record NAME\`)`,
        ]);
    });

    it('is checked before the run: a missing cassette is a warning', async () => {
        const workspace = Workspace.open({ root });
        const loaded = await loadTests(workspace, [path.join(root, 'sub/by-path.kmflow')]);
        expect(loaded.diagnostics.filter((d) => d.code === 'missing-cassette').map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`)).toEqual([
            `9:12 warning no cassette ${path.join(root, 'sub/fixtures/none.json')}: record it with 'kmflow run WORKFLOW_FILE --record NAME'`,
        ]);
    });
});

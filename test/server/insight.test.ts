/**
 * What the server renders for the editor: `kmflow/plan`, `kmflow/analyze` and
 * `kmflow/metrics` as markdown over the workspace's measured history, and the graph
 * message (`graphMessage`, which `kmflow/prepare` and `kmflow/run` answer) with the
 * predicted or a run's measured critical path. Also the `kmflow.servers` setting a run
 * request carries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/engine/state/history/index.js';
import { configuredServers, mergeServers } from '../../src/server/configured-servers.js';
import { graphMessage } from '../../src/server/graph-model.js';
import { analyzeRequest, metricsRequest, planRequest } from '../../src/server/requests/insight.js';
import { runRequest } from '../../src/server/requests/run.js';
import { analysisMarkdown } from '../../src/server/views/analysis-markdown.js';
import { prepareText } from '../helpers/app-runs.js';
import { fixtureText, ok, startTestServer, type TestServer } from './helpers.js';

const PIPELINE = fixtureText('pipeline.kmflow');

let server: TestServer;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

describe('plan and analyze', () => {
    it('plans levels, per-step predicted start and duration and the critical path with the engine', async () => {
        const uri = await server.file('pipeline.kmflow', PIPELINE);
        const { markdown, workflow, file } = ok(await planRequest(server.ctx, { uri }));
        expect([workflow, file]).toEqual(['pipeline', 'pipeline.kmflow']);
        expect(markdown).toContain('| 0 | `fetch_a`, `fetch_b`, `side` |');
        expect(markdown).toContain('| 1 | `merge` |');
        expect(markdown).toMatch(/## Critical path \(predicted\)\n\n`fetch_\w` → `merge` → `report`/);
        expect(markdown).toContain('No measured history for this workflow yet');
        expect(markdown).toMatch(/\| `fetch_a` \| delay \| \+0 ms \| \d+ ms \| default \| ★ \|/);
        // Each step row links back to its line.
        expect(markdown).toContain(`| ★ | [4](<${uri}#L4>) |`);
    });

    it('times steps from measured history and predicts cache hits once a run is recorded', async () => {
        const text = PIPELINE.replace('mode parallel', 'mode parallel\n    cache intelligent')
            .replace('step side uses log { with { message: "independent" } }', 'step side uses log { with { message: "independent" } cache on }');
        const uri = await server.file('pipeline.kmflow', text);
        expect(ok(await runRequest(server.ctx, { uri, runId: 'measured' })).report.status).toBe('succeeded');
        const { markdown } = ok(await planRequest(server.ctx, { uri }));
        expect(markdown).toContain('Durations of 5 of 5 steps are measured');
        expect(markdown).toMatch(/\| `side` \| log \| .* \| history \| {2}\| hit: /);
    });

    it('analyzes the graph shape, with the checker\'s warnings', async () => {
        const uri = await server.file('pipeline.kmflow', PIPELINE);
        const { markdown } = ok(await analyzeRequest(server.ctx, { uri }));
        expect(markdown).toContain('5 steps, 3 dependencies, depth 3, widest level 3');
        // Each step links back to its line.
        expect(markdown).toContain(`- [\`fetch_a\`](<${uri}#L4>) (~100 ms default, on the predicted critical path)`);
        const { workflow, registry } = await prepareText({ file: path.join(server.root, 'p.kmflow'), text: PIPELINE });
        expect(analysisMarkdown(workflow, registry, ['line 3: something'])).toContain('- line 3: something');
    });

    it('refuses a workflow that does not check, as a run would', async () => {
        const uri = await server.file('broken.kmflow', fixtureText('unknown-tool.kmflow'));
        expect(await planRequest(server.ctx, { uri })).toMatchObject({ kind: 'refused', code: 'check-errors' });
    });
});

describe('metrics', () => {
    it('shows the health score, per-tool p50/p95 and bottlenecks of recorded runs', async () => {
        expect((await metricsRequest(server.ctx, {})).markdown).toMatch(/No runs recorded yet in `.kmflow\/metrics`/);
        const uri = await server.file('pipeline.kmflow', PIPELINE);
        for (let i = 0; i < 2; i++) {
            ok(await runRequest(server.ctx, { uri, runId: `m${i}` }));
        }
        const { root, markdown } = await metricsRequest(server.ctx, { uri });
        expect(root).toBe(server.root);
        expect(markdown).toMatch(/Health score \*\*\d+\/100\*\*: 2 of 2 runs succeeded \(success 100%\)/);
        expect(markdown).toMatch(/\| delay \| 4 \| 0 \| 0 \| \d+ ms \| \d+ ms \| 100% \|/);
        expect(markdown).toMatch(/\| pipeline \| 2 \| 2 \|/);
        expect(markdown).toContain('## Bottlenecks');
    });
});

describe('the graph message', () => {
    it('has nodes with levels and lines, edges and the predicted critical path', async () => {
        const { workflow, registry } = await prepareText({ file: path.join(server.root, 'p.kmflow'), text: PIPELINE });
        const g = graphMessage(workflow, registry, 'file:///x.kmflow');
        expect(g.nodes.map((n) => [n.id, n.level, n.line])).toEqual([
            ['fetch_a', 0, 4], ['fetch_b', 0, 5], ['merge', 1, 6], ['side', 0, 9], ['report', 2, 10],
        ]);
        expect(g.edges).toEqual(expect.arrayContaining([{ from: 'fetch_a', to: 'merge' }, { from: 'merge', to: 'report' }]));
        expect(g.criticalPath).toEqual(['fetch_a', 'merge', 'report']);
        expect(g.criticalPathKind).toBe('predicted');
        expect(g.nodes.map((n) => n.estimateSource)).toEqual(['default', 'default', 'default', 'default', 'default']);
    });

    it('names the server of every tool a step may call, a routed step\'s candidates too', async () => {
        const text = fs.readFileSync(new URL('../../examples/orchestration-selection.kmflow', import.meta.url), 'utf8');
        const { workflow, registry } = await prepareText({ file: path.join(server.root, 's.kmflow'), text });
        expect(graphMessage(workflow, registry, 'file:///s.kmflow').tools).toEqual({
            quick_render: { server: 'builtin', name: 'template' },
            careful_render: { server: 'builtin', name: 'template' },
            log: { server: 'builtin', name: 'log' },
        });
    });

    it('has the measured critical path of a run it is given, and estimates from the history', async () => {
        const uri = await server.file('pipeline.kmflow', PIPELINE);
        const { report, graph } = ok(await runRequest(server.ctx, { uri, runId: 'g' }));
        expect([graph.criticalPath, graph.criticalPathMs, graph.criticalPathKind]).toEqual([report.criticalPath, report.criticalPathMs, 'measured']);
        expect(graph.criticalPath).toContain('fetch_a'); // the 60 ms delay
        const history = await loadHistory(server.root);
        const { workflow, registry } = await prepareText({ file: path.join(server.root, 'pipeline.kmflow'), text: PIPELINE });
        expect(graphMessage(workflow, registry, uri, { history, report }).nodes.every((n) => n.estimateSource === 'measured')).toBe(true);
        const before = graphMessage(workflow, registry, uri, { history });
        expect(before.criticalPathKind).toBe('predicted');
        // The measured 60 ms delay (libuv's millisecond timer clock can make it 59.98 ms by performance.now()).
        expect(before.nodes.find((n) => n.id === 'fetch_a')!.estimateMs).toBeGreaterThan(59);
        expect(fs.existsSync(path.join(server.root, '.kmflow', 'runs', 'g.report.json'))).toBe(true);
    });
});

describe('kmflow.servers setting', () => {
    it('reads stdio and http servers and reports bad ones', () => {
        const { servers, problems } = configuredServers({
            km: { command: 'python', args: ['-m', 'km'], env: { A: '1' } },
            web: { url: 'http://127.0.0.1:1/mcp' },
            both: { command: 'x', url: 'y' },
            badArgs: { command: 'x', args: 'nope' },
        });
        expect(servers).toEqual([{ name: 'km', command: 'python', args: ['-m', 'km'], env: { A: '1' } }, { name: 'web', url: 'http://127.0.0.1:1/mcp' }]);
        expect(problems).toHaveLength(2);
        expect(configuredServers([]).problems).toHaveLength(1);
        expect(configuredServers(undefined)).toEqual({ servers: [], problems: [] });
    });

    it('lets a file declaration win', () => {
        expect(mergeServers([{ name: 'km', command: 'a' }], [{ name: 'km', command: 'b' }, { name: 'x', url: 'u' }]))
            .toEqual([{ name: 'km', command: 'a' }, { name: 'x', url: 'u' }]);
    });
});

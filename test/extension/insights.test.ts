import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredServers, mergeServers } from '../../src/extension/core/configured-servers.js';
import { outline, stepAt, workflowAt, workflowNames } from '../../src/extension/core/document-outline.js';
import { graphMessage } from '../../src/extension/core/graph-model.js';
import { loadHistory } from '../../src/engine/state/history/index.js';
import { analysisMarkdown } from '../../src/extension/core/insights.js';
import { monitorMarkdown, monitorOf } from '../../src/extension/core/monitor-markdown.js';
import { planWithHistory } from '../../src/extension/core/plan-markdown.js';
import { executeRun } from '../../src/extension/core/app-bridge.js';
import { prepareWorkflowRun } from '../../src/extension/core/app-bridge.js';
import { graphWebviewHtml } from '../../src/extension/core/webview-html.js';
import { fixture, writeWorkflow } from './helpers.js';
import { DENIED } from '../../src/engine/security/trust.js';

describe('plan and analyze', () => {
    it('plans levels, per-step predicted start and duration and the critical path with the engine', async () => {
        const { workflow, registry } = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-plan-'));
        try {
            const { markdown, measured, plan } = await planWithHistory({ workflow, registry, root, history: await loadHistory(root) });
            expect(measured.size).toBe(0);
            expect(markdown).toContain('| 0 | `fetch_a`, `fetch_b`, `side` |');
            expect(markdown).toContain('| 1 | `merge` |');
            expect(markdown).toMatch(/## Critical path \(predicted\)\n\n`fetch_a` → `merge` → `report` \(300 ms\)/);
            expect(markdown).toContain('No measured history for this workflow yet');
            // `delay` declares no response time: the default estimate, and the table says so.
            expect(markdown).toMatch(/\| `fetch_a` \| delay \| \+0 ms \| \d+ ms \| default \| ★ \|/);
            expect(plan.steps.find((s) => s.id === 'merge')!.predictedStartMs).toBeGreaterThan(0);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it('times steps from measured history and predicts cache hits once a run is recorded', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-plan-'));
        try {
            const text = fixture('pipeline.kmflow').text.replace('mode parallel', 'mode parallel\n    cache intelligent')
                .replace('step side uses log { with { message: "independent" } }', 'step side uses log { with { message: "independent" } cache on }');
            const target = writeWorkflow(root, 'pipeline.kmflow', text);
            const prepared = await prepareWorkflowRun(target);
            expect((await executeRun(prepared, { root, trust: DENIED, durable: true })).status).toBe('succeeded');
            const { markdown, measured, plan } = await planWithHistory({ ...prepared, root, history: await loadHistory(root) });
            expect([...measured].sort()).toEqual(['fetch_a', 'fetch_b', 'merge', 'report', 'side']);
            expect(markdown).toContain('Durations of 5 of 5 steps are measured');
            expect(markdown).toMatch(/\| `side` \| log \| .* \| history \| {2}\| hit: /);
            expect(plan.steps.find((s) => s.id === 'side')!.cache?.hit).toBe(true);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it('analyzes the graph shape', async () => {
        const { workflow, registry } = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const md = analysisMarkdown(workflow, registry, ['line 3: something']);
        expect(md).toContain('5 steps, 3 dependencies, depth 3, widest level 3');
        expect(md).toContain('- `fetch_a` (~100 ms default, on the predicted critical path)');
        expect(md).toContain('- line 3: something');
    });
});

describe('metrics', () => {
    it('shows the health score, per-tool p50/p95 and bottlenecks of recorded runs', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-metrics-'));
        try {
            expect(monitorMarkdown(monitorOf(await loadHistory(root)), '.kmflow/metrics')).toMatch(/No runs recorded yet in `.kmflow\/metrics`/);
            const prepared = await prepareWorkflowRun(fixture('pipeline.kmflow'));
            for (let i = 0; i < 2; i++) {
                await executeRun(prepared, { root, trust: DENIED, durable: true });
            }
            const report = monitorOf(await loadHistory(root));
            const md = monitorMarkdown(report, '.kmflow/metrics');
            expect(report.runs).toBe(2);
            expect(md).toContain(`Health score **${report.healthScore}/100**: 2 of 2 runs succeeded (success 100%)`);
            expect(md).toMatch(/\| delay \| 4 \| 0 \| 0 \| \d+ ms \| \d+ ms \| 100% \|/);
            expect(md).toMatch(/\| pipeline \| 2 \| 2 \|/);
            expect(md).toContain('## Bottlenecks');
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe('the graph message', () => {
    it('has nodes with levels and lines, edges and the predicted critical path', async () => {
        const { workflow, registry } = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const g = graphMessage(workflow, registry, 'file:///x.kmflow');
        expect(g.nodes.map((n) => [n.id, n.level, n.line])).toEqual([
            ['fetch_a', 0, 4], ['fetch_b', 0, 5], ['merge', 1, 6], ['side', 0, 9], ['report', 2, 10],
        ]);
        expect(g.edges).toEqual(expect.arrayContaining([{ from: 'fetch_a', to: 'merge' }, { from: 'merge', to: 'report' }]));
        expect(g.criticalPath).toEqual(['fetch_a', 'merge', 'report']);
        expect(g.criticalPathKind).toBe('predicted');
        expect(g.nodes.map((n) => n.estimateSource)).toEqual(['default', 'default', 'default', 'default', 'default']);
    });

    it('has the measured critical path of a run it is given, and estimates from the history', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-graph-'));
        try {
            const prepared = await prepareWorkflowRun(writeWorkflow(root, 'pipeline.kmflow', fixture('pipeline.kmflow').text));
            const report = await executeRun(prepared, { root, trust: DENIED, durable: true });
            const history = await loadHistory(root);
            const g = graphMessage(prepared.workflow, prepared.registry, 'file:///x.kmflow', { history, report });
            expect([g.criticalPath, g.criticalPathMs, g.criticalPathKind]).toEqual([report.criticalPath, report.criticalPathMs, 'measured']);
            expect(g.criticalPath).toContain('fetch_a'); // the 60 ms delay
            expect(g.nodes.every((n) => n.estimateSource === 'measured')).toBe(true);
            const before = graphMessage(prepared.workflow, prepared.registry, 'file:///x.kmflow', { history });
            expect(before.criticalPathKind).toBe('predicted');
            expect(before.nodes.find((n) => n.id === 'fetch_a')!.estimateMs).toBeGreaterThanOrEqual(60);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe('document outline', () => {
    const text = 'workflow a {\n  step x uses log {}\n  /* step hidden uses log {}\n  */\n}\nworkflow b {\n  step y uses log {}\n}\n';
    it('finds workflows and steps, not inside block comments', () => {
        expect(outline(text).map((e) => `${e.kind}:${e.workflow}.${e.name}@${e.line}`)).toEqual([
            'workflow:a.a@0', 'step:a.x@1', 'workflow:b.b@5', 'step:b.y@6',
        ]);
        expect(workflowNames(text)).toEqual(['a', 'b']);
        expect(workflowAt(text, 6)).toBe('b');
        expect(stepAt(text, 1)).toEqual({ workflow: 'a', step: 'x' });
        expect(stepAt(text, 0)).toBeUndefined();
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

describe('webview page', () => {
    it('has a strict CSP with a script nonce', () => {
        const page = graphWebviewHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/out/webview.js', styleUri: 'vscode-resource:/media/webview.css', nonce: 'abc123' });
        expect(page).toContain(`default-src 'none'`);
        expect(page).toContain(`script-src 'nonce-abc123'`);
        expect(page).toContain('<script nonce="abc123" src="vscode-resource:/out/webview.js">');
        expect(page).not.toMatch(/unsafe-(inline|eval)/);
    });
});

import { describe, expect, it } from 'vitest';
import { configuredServers, mergeServers } from '../../src/extension/core/configured-servers.js';
import { outline, stepAt, workflowAt, workflowNames } from '../../src/extension/core/document-outline.js';
import { graphMessage } from '../../src/extension/core/graph-model.js';
import { analysisMarkdown, optimizeMessage, planMarkdown, suggestMessage } from '../../src/extension/core/insights.js';
import { prepareWorkflowRun } from '../../src/extension/core/run-preparation.js';
import { graphWebviewHtml } from '../../src/extension/core/webview-html.js';
import { fixture } from './helpers.js';

describe('plan, analyze, optimize, suggest', () => {
    it('plans levels and the critical path from the engine graph', async () => {
        const { workflow, registry } = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const md = planMarkdown(workflow, registry);
        expect(md).toContain('| 0 | `fetch_a`, `fetch_b`, `side` |');
        expect(md).toContain('| 1 | `merge` |');
        expect(md).toMatch(/## Critical path\n\n`fetch_\w` → `merge` → `report`/);
    });

    it('analyzes the graph shape', async () => {
        const { workflow, registry } = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const md = analysisMarkdown(workflow, registry, ['line 3: something']);
        expect(md).toContain('5 steps, 3 dependencies, depth 3, widest level 3');
        expect(md).toContain('- line 3: something');
    });

    it('says what Optimize and Suggest need', () => {
        expect(optimizeMessage('w', 0)).toMatch(/needs measured history/);
        expect(suggestMessage(['a', 'b'])).toMatch(/capabilities: a, b/);
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
        expect(g.criticalPath.at(-1)).toBe('report');
        expect(g.criticalPath).toHaveLength(3);
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

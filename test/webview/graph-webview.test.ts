/**
 * The graph webview's bundle in headless Chromium, under its real CSP, fed the messages
 * of a real run: nodes and edges drawn, statuses coloured live, the critical path
 * marked, Gantt bars and metrics present, a click asks to reveal the step.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, RunReport } from '../../src/engine/run-types.js';
import { graphMessage, measuredDurations } from '../../src/extension/core/graph-model.js';
import { graphWebviewHtml } from '../../src/extension/core/webview-html.js';
import type { GraphMessage, HostMessage } from '../../src/shared/messages.js';
import { runFixture } from '../extension/helpers.js';
import { chromiumLaunchOptions } from '../helpers/chromium.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ORIGIN = 'http://webview.test';
const SHOTS = path.join(ROOT, 'test-results');
// VS Code's dark theme variables, as the real webview host injects them.
const THEME = `:root { --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #a0a0a0;
  --vscode-editorWidget-background: #252526; --vscode-panel-border: #3c3c3c; --vscode-font-family: sans-serif; }`;

let browser: Browser;
let page: Page;
let graph: GraphMessage;
let events: RunEvent[];
let report: RunReport;
let measuredGraph: GraphMessage;
const cspErrors: string[] = [];

async function post(messages: HostMessage[]): Promise<void> {
    await page.evaluate((ms) => ms.forEach((m) => window.postMessage(m, '*')), messages);
}

beforeAll(async () => {
    // The same browser bundle as esbuild.mjs (and `npm run build:webview`) makes.
    await esbuild.build({
        entryPoints: [path.join(ROOT, 'src/webview/main.ts')], outfile: path.join(ROOT, 'out/webview.js'),
        bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, sourcemap: true, logLevel: 'warning',
    });
    const run = await runFixture('pipeline.kmflow');
    ({ events, report } = run);
    graph = graphMessage(run.prepared.workflow, run.prepared.registry, 'file:///fixture/pipeline.kmflow');
    // The same workflow, weighed by the run's measured durations.
    measuredGraph = graphMessage(run.prepared.workflow, run.prepared.registry, graph.uri, measuredDurations(report));
    browser = await chromium.launch(await chromiumLaunchOptions());
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) {
            cspErrors.push(m.text());
        }
    });
    page.on('pageerror', (e) => cspErrors.push(`pageerror: ${e.message}`));
    const files: Record<string, [string, string]> = {
        '/index.html': [graphWebviewHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/out/webview.js`, styleUri: `${ORIGIN}/media/webview.css` }), 'text/html'],
        '/out/webview.js': [fs.readFileSync(path.join(ROOT, 'out/webview.js'), 'utf8'), 'text/javascript'],
        '/media/webview.css': [fs.readFileSync(path.join(ROOT, 'media/webview.css'), 'utf8'), 'text/css'],
        '/theme.css': [THEME, 'text/css'],
    };
    await page.route(`${ORIGIN}/**`, (route) => {
        const file = files[new URL(route.request().url()).pathname];
        return file ? route.fulfill({ body: file[0], contentType: file[1] }) : route.fulfill({ status: 404 });
    });
    await page.addInitScript(() => {
        const w = window as unknown as { posted: unknown[]; acquireVsCodeApi: () => unknown };
        w.posted = [];
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m), getState: () => undefined, setState: () => undefined });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.addStyleTag({ url: `${ORIGIN}/theme.css` });
}, 60_000);

afterAll(async () => {
    await browser?.close();
});

describe('graph webview', () => {
    it('says it is ready', async () => {
        await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'));
    });

    it('draws every node and edge of the DAG with ELK', async () => {
        await post([graph]);
        await page.waitForSelector('#graph[data-layout="done"] svg.dag');
        expect(await page.locator('#graph .node').count()).toBe(graph.nodes.length);
        expect(await page.locator('#graph path.edge').count()).toBe(graph.edges.length);
        const ids = await page.locator('#graph .node').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
        expect(ids.sort()).toEqual(graph.nodes.map((n) => n.id).sort());
        // Layered left to right: a dependency sits left of its dependant.
        const x = async (id: string): Promise<number> => (await page.locator(`#graph .node[data-step="${id}"]`).boundingBox())!.x;
        expect(await x('fetch_a')).toBeLessThan(await x('merge'));
        expect(await x('merge')).toBeLessThan(await x('report'));
        expect(await page.locator('#graph .node[data-status="pending"]').count()).toBe(graph.nodes.length);
    });

    it('colours nodes live as the real run goes', async () => {
        const firstFinish = events.findIndex((e) => e.type === 'step-finished');
        await post(events.slice(0, firstFinish).map((event) => ({ type: 'run-event', event })));
        await page.waitForSelector('#graph .node[data-status="running"]');
        await page.waitForFunction(() => document.body.dataset.runStatus === 'running');
        const running = await page.locator('#graph .node[data-status="running"] .node-box').first()
            .evaluate((el) => getComputedStyle(el).stroke);
        const pending = await page.locator('#graph .node[data-status="pending"] .node-box').first()
            .evaluate((el) => getComputedStyle(el).stroke);
        expect(running).not.toBe(pending);
        await post(events.slice(firstFinish).map((event) => ({ type: 'run-event', event })));
        await page.waitForFunction(() => document.body.dataset.runStatus === 'succeeded');
        expect(await page.locator('#graph .node[data-status="succeeded"]').count()).toBe(graph.nodes.length);
    });

    it('marks the critical path on nodes and edges', async () => {
        expect(graph.criticalPath.length).toBeGreaterThan(1);
        expect(await page.locator('#graph .node.critical').count()).toBe(graph.criticalPath.length);
        expect(await page.locator('#graph path.edge.critical').count()).toBe(graph.criticalPath.length - 1);
    });

    it('draws a Gantt bar per step from the measured times', async () => {
        expect(await page.locator('#timeline .gantt-row').count()).toBe(report.steps.length);
        const widths = await page.locator('#timeline .gantt-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('width'))));
        expect(widths.every((w) => w >= 2)).toBe(true);
        const fetchA = Number(await page.locator('#timeline .gantt-row[data-step="fetch_a"] .gantt-bar').getAttribute('width'));
        const side = Number(await page.locator('#timeline .gantt-row[data-step="side"] .gantt-bar').getAttribute('width'));
        expect(fetchA).toBeGreaterThan(side); // a 60 ms delay outlasts a log call
    });

    it('shows the metrics: health score, per-tool p50/p95, bottlenecks', async () => {
        await expect.poll(() => page.locator('#metrics .health .metric-value').textContent()).toBe(String(report.metrics.healthScore));
        const tools = await page.locator('#metrics table.tools tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.tool));
        expect(tools.sort()).toEqual(Object.keys(report.metrics.tools).sort());
        expect(await page.locator('#metrics h3', { hasText: 'Bottlenecks' }).count()).toBe(1);
    });

    it('takes the measured critical path after the run without re-colouring', async () => {
        await post([{ type: 'report', report }, measuredGraph]);
        await page.waitForTimeout(150);
        expect(await page.locator('#graph .node[data-status="succeeded"]').count()).toBe(graph.nodes.length);
        expect(await page.locator('#graph .node.critical').count()).toBe(measuredGraph.criticalPath.length);
        expect(measuredGraph.criticalPath).toContain('fetch_a'); // the 60 ms delay
    });

    it('asks the host to reveal a clicked step', async () => {
        await page.locator('#graph .node[data-step="merge"]').click();
        const posted = await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted);
        expect(posted).toContainEqual({ type: 'reveal-step', stepId: 'merge' });
    });

    it('breaks no CSP rule, and leaves a screenshot', async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, 'webview-graph.png'), fullPage: true });
        expect(cspErrors).toEqual([]);
    });
});

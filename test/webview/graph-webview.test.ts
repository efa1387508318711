/**
 * The graph webview's bundle in headless Chromium, under its real CSP, fed the messages
 * of a real run: nodes and edges drawn in layers by dependency, statuses coloured live,
 * the critical path marked, Gantt bars and metrics present; a double-click asks to
 * reveal the step.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, RunReport } from '../../src/engine/run/run-types.js';
import { graphMessage } from '../../src/server/graph-model.js';
import type { GraphMessage } from '../../src/shared/messages.js';
import { runFixture } from '../extension/helpers.js';
import { launch, openWebview, post, posted, shot, waitForGraph } from './page.js';

let browser: Browser;
let page: Page;
let errors: string[];
let graph: GraphMessage;
let events: RunEvent[];
let report: RunReport;
let measuredGraph: GraphMessage;

beforeAll(async () => {
    const run = await runFixture('pipeline.kmflow');
    ({ events, report } = run);
    graph = graphMessage(run.prepared.workflow, run.prepared.registry, 'file:///fixture/pipeline.kmflow');
    // The same workflow after the run: its measured critical path.
    measuredGraph = graphMessage(run.prepared.workflow, run.prepared.registry, graph.uri, { report });
    browser = await launch();
    ({ page, errors } = await openWebview(browser, { width: 1000, height: 900 }));
}, 60_000);

afterAll(async () => {
    await browser?.close();
});

describe('graph webview', () => {
    it('draws every node and edge of the DAG, in layers by dependency depth', async () => {
        await post(page, [graph]);
        await waitForGraph(page, 'pipeline');
        expect(await page.locator('#graph .node').count()).toBe(graph.nodes.length);
        expect(await page.locator('#graph path.edge').count()).toBe(graph.edges.length);
        const ids = await page.locator('#graph .node').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
        expect(ids.sort()).toEqual(graph.nodes.map((n) => n.id).sort());
        // Layered along the flow: a dependency sits before its dependant, a layer per level.
        const down = (await page.locator('#graph').getAttribute('data-direction')) === 'DOWN';
        const at = async (id: string): Promise<number> => {
            const box = (await page.locator(`#graph .node[data-step="${id}"]`).boundingBox())!;
            return down ? box.y : box.x;
        };
        expect(await at('fetch_a')).toBeLessThan(await at('merge'));
        expect(await at('merge')).toBeLessThan(await at('report'));
        expect(await at('fetch_a')).toBeCloseTo(await at('side'), 0); // both level 0
        expect(await page.locator('#graph .node[data-status="pending"]').count()).toBe(graph.nodes.length);
    });

    it('colours nodes live as the real run goes', async () => {
        const firstFinish = events.findIndex((e) => e.type === 'step-finished');
        await post(page, events.slice(0, firstFinish).map((event) => ({ type: 'run-event', event })));
        await page.waitForSelector('#graph .node[data-status="running"]');
        await page.waitForFunction(() => document.body.dataset.runStatus === 'running');
        const running = await page.locator('#graph .node[data-status="running"] .node-box').first()
            .evaluate((el) => getComputedStyle(el).stroke);
        const pending = await page.locator('#graph .node[data-status="pending"] .node-box').first()
            .evaluate((el) => getComputedStyle(el).stroke);
        expect(running).not.toBe(pending);
        // While it runs, the path marked is the predicted one.
        expect(await page.locator('#header .legend').getAttribute('data-critical-path-kind')).toBe('predicted');
        expect(await page.locator('#header .legend-critical').textContent()).toBe('predicted critical path');
        expect(await page.locator('#graph .node.critical').count()).toBe(graph.criticalPath.length);
        expect(await page.locator('#graph path.edge.critical').count()).toBe(graph.criticalPath.length - 1);
        await post(page, events.slice(firstFinish).map((event) => ({ type: 'run-event', event })));
        await page.waitForFunction(() => document.body.dataset.runStatus === 'succeeded');
        expect(await page.locator('#graph .node[data-status="succeeded"]').count()).toBe(graph.nodes.length);
        // A finished node says how long it took.
        expect(await page.locator('#graph .node[data-step="fetch_a"] .node-status').textContent()).toMatch(/^✓ \d+ ms$/);
    });

    it('marks, once the run finished, the path it measured on nodes, edges and the header', async () => {
        expect(graph.criticalPath.length).toBeGreaterThan(1);
        const measured = report.criticalPath!;
        expect(await page.locator('#header .legend').getAttribute('data-critical-path-kind')).toBe('measured');
        expect(await page.locator('#header .legend-critical').textContent()).toBe('measured critical path');
        expect(await page.locator('#graph .node.critical').count()).toBe(measured.length);
        expect(await page.locator('#graph path.edge.critical').count()).toBe(measured.length - 1);
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
        await post(page, [{ type: 'report', report }, measuredGraph]);
        await page.waitForTimeout(150);
        expect(await page.locator('#graph .node[data-status="succeeded"]').count()).toBe(graph.nodes.length);
        expect(await page.locator('#graph .node.critical').count()).toBe(measuredGraph.criticalPath.length);
        expect(measuredGraph.criticalPath).toContain('fetch_a'); // the 60 ms delay
        expect(measuredGraph.criticalPath).toEqual(report.criticalPath);
        await expect.poll(() => page.locator('#header .legend-critical').textContent()).toBe('measured critical path');
        expect(await page.locator('#timeline .gantt-legend').getAttribute('data-critical-path-kind')).toBe('measured');
    });

    it('asks the host to reveal a double-clicked step', async () => {
        await page.locator('#graph .node[data-step="merge"]').dblclick();
        await expect.poll(() => posted(page)).toContainEqual({ type: 'reveal-step', stepId: 'merge' });
    });

    it('breaks no CSP rule, and leaves a screenshot', async () => {
        await page.keyboard.press('Escape');
        await shot(page, 'webview-graph', true);
        expect(errors).toEqual([]);
    });
});

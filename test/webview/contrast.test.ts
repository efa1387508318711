/**
 * Every status reads in every theme: the graph's node labels, tools and status lines,
 * the failed node's error, the details badge and the metrics' run status are drawn in
 * the theme's own colours (VS Code's variables) with a WCAG contrast of at least 4.5:1
 * against the panel's background, and node outlines at least 3:1 (non-text), in Dark
 * Modern, Light Modern and both High Contrast themes — computed from the painted colours.
 * After the run, every part marks the one path the run measured.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostMessage } from '../../src/shared/messages.js';
import { contrast, launch, openWebview, post, shot, waitForGraph, type ThemeName } from './page.js';
import { failingRun, type RealRun } from './workflows.js';

let browser: Browser;
let run: RealRun;

beforeAll(async () => {
    browser = await launch();
    run = await failingRun();
}, 60_000);

afterAll(async () => {
    await browser?.close();
});

describe.each(['dark', 'light', 'hc-dark', 'hc-light'] as ThemeName[])('contrast in %s', (theme) => {
    it('draws every node status, the error and the run status readably', async () => {
        const { page, errors } = await openWebview(browser, { width: 1500, height: 950 }, theme);
        const messages: HostMessage[] = [run.graph, ...run.events.map((event) => ({ type: 'run-event' as const, event }))];
        await post(page, messages);
        await waitForGraph(page, 'failing');
        await page.waitForFunction(() => document.body.dataset.runStatus === 'partial');
        await page.locator('#graph .node[data-step="invalid"]').click();
        await page.waitForSelector('#details .badge');
        const seen = await page.evaluate(() => {
            const fill = (el: Element | null): string => (el ? getComputedStyle(el).fill : '');
            const nodes = Array.from(document.querySelectorAll('#graph .node')).map((n) => ({
                step: n.getAttribute('data-step'), status: n.getAttribute('data-status'),
                label: fill(n.querySelector('.node-label')), tool: fill(n.querySelector('.node-tool')),
                line: fill(n.querySelector('.node-status')), box: getComputedStyle(n.querySelector('.node-box')!).stroke,
            }));
            const badge = document.querySelector('#details .badge')!;
            const runStatus = document.querySelector('#metrics .run-status .metric-value');
            return {
                background: getComputedStyle(document.body).backgroundColor, nodes,
                badge: getComputedStyle(badge).color, runStatus: runStatus ? getComputedStyle(runStatus).color : undefined,
                errorText: getComputedStyle(document.querySelector('#details .step-error .error-message')!).color,
            };
        });
        expect(new Set(seen.nodes.map((n) => n.status))).toEqual(new Set(['succeeded', 'failed', 'skipped']));
        for (const n of seen.nodes) {
            for (const [part, colour] of [['label', n.label], ['tool', n.tool], ['status line', n.line]] as const) {
                expect(await contrast(page, colour, seen.background), `${n.step} (${n.status}) ${part} ${colour}`).toBeGreaterThanOrEqual(4.5);
            }
            expect(await contrast(page, n.box, seen.background), `${n.step} (${n.status}) outline ${n.box}`).toBeGreaterThanOrEqual(3);
        }
        expect(await contrast(page, seen.badge, seen.background), `badge ${seen.badge}`).toBeGreaterThanOrEqual(4.5);
        expect(await contrast(page, seen.errorText, seen.background), `error ${seen.errorText}`).toBeGreaterThanOrEqual(4.5);
        if (seen.runStatus) {
            expect(await contrast(page, seen.runStatus, seen.background), `run status ${seen.runStatus}`).toBeGreaterThanOrEqual(4.5);
        }
        // A finished run: the header, the graph and the timeline all mark the path the run measured.
        expect(await page.locator('#header .legend-critical').textContent()).toBe('measured critical path');
        expect(await page.locator('#timeline .gantt-legend .legend-critical').textContent()).toBe('measured critical path');
        const marked = await page.locator('#graph .node.critical').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-step')));
        expect(new Set(marked)).toEqual(new Set(run.report.criticalPath));
        await shot(page, `webview-contrast-${theme}`);
        expect(errors).toEqual([]);
        await page.close();
    });
});

/**
 * The Gantt timeline: labels at the editor's font size in a 600 px panel (never scaled
 * down), an axis of distinct ticks that grows while a run is live, theme colours from
 * VS Code's variables, and "cancelled" readable in Dark and Light Modern (a real run,
 * cancelled while a step waits).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrast, launch, openWebview, post, shot, waitForGraph, type ThemeName } from './page.js';
import { cancelledRun, type RealRun } from './workflows.js';

let browser: Browser;
let run: RealRun;

beforeAll(async () => {
    browser = await launch();
    run = await cancelledRun();
}, 60_000);

afterAll(async () => {
    await browser?.close();
});

async function axisLabels(page: Page): Promise<string[]> {
    return page.locator('#timeline .gantt-axis').allTextContents();
}

describe.each(['dark', 'light', 'hc-dark', 'hc-light'] as ThemeName[])('the timeline (%s)', (theme) => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
        ({ page, errors } = await openWebview(browser, { width: 600, height: 400 }, theme));
    });

    it('has a live axis of distinct ticks that grows with the clock', async () => {
        const started = run.events.filter((e) => e.type === 'run-started' || e.type === 'step-started');
        await post(page, [run.graph, ...started.map((event) => ({ type: 'run-event' as const, event }))]);
        await waitForGraph(page, 'slow');
        await page.waitForSelector('#timeline .gantt-row[data-step="wait"]');
        const first = await axisLabels(page);
        expect(new Set(first).size).toBe(first.length);
        expect(first[0]).toBe('0 ms');
        await page.waitForTimeout(1200);
        const later = await axisLabels(page);
        expect(new Set(later).size).toBe(later.length);
        const last = (labels: string[]): number => {
            const [, value, unit] = /^([\d.]+) (ms|s)$/.exec(labels[labels.length - 1]!)!;
            return Number(value) * (unit === 's' ? 1000 : 1);
        };
        expect(last(later)).toBeGreaterThan(last(first));
        expect(last(later)).toBeGreaterThanOrEqual(1000);
        const bar = Number(await page.locator('#timeline .gantt-row[data-step="wait"] .gantt-bar').getAttribute('width'));
        expect(bar).toBeGreaterThan(100); // the running bar grows to "now"
        await shot(page, `webview-gantt-live-${theme}`, true);
    });

    it('labels steps at the editor\'s font size, never scaled down', async () => {
        // Read at once: the live timeline is redrawn as the clock goes.
        const seen = await page.evaluate(() => {
            const label = document.querySelector('#timeline .gantt-row[data-step="wait"] .gantt-label')!;
            const root = document.querySelector('#timeline svg.gantt')!;
            return {
                font: getComputedStyle(label).fontSize, height: label.getBoundingClientRect().height,
                width: Number(root.getAttribute('width')), drawn: root.getBoundingClientRect().width,
            };
        });
        expect(seen.font).toBe('14px'); // --vscode-editor-font-size
        expect(seen.height).toBeGreaterThanOrEqual(13);
        expect(seen.width).toBeCloseTo(seen.drawn, 0); // drawn at its size, not scaled to fit
    });

    it('shows a cancelled step readably, in theme colours', async () => {
        await post(page, [{ type: 'report', report: run.report }]);
        await page.waitForFunction(() => document.body.dataset.runStatus === 'cancelled');
        // Read at once (a redraw between two reads would leave a detached element).
        const seen = await page.evaluate(() => {
            const row = document.querySelector('#timeline .gantt-row[data-step="wait"]')!;
            const status = document.querySelector('#metrics .run-status .metric-value')!;
            return {
                cls: row.getAttribute('class'), word: row.querySelector('.gantt-status')!.textContent,
                text: getComputedStyle(row.querySelector('.gantt-status')!).fill, bar: getComputedStyle(row.querySelector('.gantt-bar')!).stroke,
                background: getComputedStyle(document.body).backgroundColor, run: status.textContent, runColour: getComputedStyle(status).color,
            };
        });
        expect(seen.cls).toContain('status-cancelled');
        expect(seen.word).toBe('cancelled');
        const { text, bar, background } = seen;
        expect(await contrast(page, text, background)).toBeGreaterThanOrEqual(4.5);
        expect(await contrast(page, bar, background)).toBeGreaterThanOrEqual(theme === 'dark' ? 4.5 : 2.9);
        expect(seen.run).toBe('cancelled');
        expect(await contrast(page, seen.runColour, background)).toBeGreaterThanOrEqual(4.5);
        // The colours are the theme's: the warning colour, not a fixed one.
        const warning = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editorWarning-foreground').trim());
        expect(await contrast(page, bar, warning)).toBeCloseTo(1, 2);
        await page.locator('#timeline').scrollIntoViewIfNeeded();
        await shot(page, `webview-cancelled-${theme}`, true);
        expect(errors).toEqual([]);
    });
});

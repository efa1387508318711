/**
 * The graph fits its panel: at 600×400 and 1500×950, in Dark and Light Modern, for 3
 * and 200 steps, after "fit" every node's box is inside the graph's view and the window;
 * zoom (buttons, Ctrl+wheel) changes the scale, dragging and keys pan, arrow keys move
 * between nodes (zooming until the focused one reads), the overview map shows while part
 * of the graph is out of view, the panel follows a new workflow's graph, and its pin
 * toggles between following the active editor and keeping its workflow.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphMessage } from '../../src/shared/messages.js';
import { launch, openWebview, post, posted, scale, shot, waitForGraph, type ThemeName } from './page.js';
import { pipelineGraph } from './workflows.js';

let browser: Browser;
const graphs: Record<number, GraphMessage> = {};

beforeAll(async () => {
    browser = await launch();
    graphs[3] = await pipelineGraph('three', 3);
    graphs[200] = await pipelineGraph('two_hundred', 200);
}, 60_000);

afterAll(async () => {
    await browser?.close();
});

/** Nodes whose box is not inside the graph's view, or not inside the window. */
async function outside(page: Page): Promise<string[]> {
    return page.evaluate(() => {
        const view = document.getElementById('graph')!.getBoundingClientRect();
        const out: string[] = [];
        for (const node of Array.from(document.querySelectorAll('#graph .node'))) {
            const r = node.querySelector('.node-box')!.getBoundingClientRect();
            const inView = r.left >= view.left - 0.5 && r.top >= view.top - 0.5 && r.right <= view.right + 0.5 && r.bottom <= view.bottom + 0.5;
            const inWindow = r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
            if (!inView || !inWindow) {
                out.push(node.getAttribute('data-step')!);
            }
        }
        return out;
    });
}

async function transform(page: Page): Promise<string> {
    return (await page.locator('#graph g.scene').getAttribute('transform'))!;
}

const SIZES = [
    { size: 'small', width: 600, height: 400 },
    { size: 'large', width: 1500, height: 950 },
] as const;
const CASES = SIZES.flatMap((s) => (['dark', 'light'] as ThemeName[]).map((theme) => ({ ...s, theme })));

describe.each(CASES)('the graph at $width×$height ($theme)', ({ size, width, height, theme }) => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
        ({ page, errors } = await openWebview(browser, { width, height }, theme));
    });

    it('fits 3 steps on open; the zoom buttons change the scale', async () => {
        await post(page, [graphs[3]!]);
        await waitForGraph(page, 'three');
        expect(await page.locator('#graph .node').count()).toBe(3);
        expect(await outside(page)).toEqual([]);
        expect(await scale(page)).toBeLessThanOrEqual(1); // a small graph is not blown up
        expect(await scale(page)).toBeGreaterThan(0.85);
        const fitted = await scale(page);
        await page.locator('#zoom-in').click();
        expect(await scale(page)).toBeCloseTo(fitted * 1.25, 3);
        await page.locator('#zoom-out').click();
        await page.locator('#zoom-out').click();
        expect(await scale(page)).toBeCloseTo(fitted / 1.25, 3);
        await page.locator('#fit').click();
        expect(await outside(page)).toEqual([]);
        await shot(page, `webview-3-${theme}-${size}`);
    });

    it('follows a new workflow message: 200 steps replace the 3, fitted', async () => {
        await post(page, [graphs[200]!]);
        await waitForGraph(page, 'two_hundred');
        expect(await page.locator('#graph .node').count()).toBe(200);
        expect(await page.locator('#header h1').textContent()).toBe('two_hundred');
        expect(await page.locator('#graph .node[data-step^="fetch_000"]').count()).toBe(1);
        expect(await outside(page)).toEqual([]);
        expect(await page.locator('.minimap').isHidden()).toBe(true); // all of it is in view
        // Layers by dependency depth: one row (or column) per level, in the flow's order.
        const down = (await page.locator('#graph').getAttribute('data-direction')) === 'DOWN';
        const at = Object.fromEntries(await page.locator('#graph .node').evaluateAll((els, d) => els.map((e) => {
            const [, x, y] = /translate\(([\d.-]+),([\d.-]+)\)/.exec(e.getAttribute('transform')!)!;
            return [e.getAttribute('data-step')!, Number(d ? y : x)];
        }), down)) as Record<string, number>;
        const rowOf = new Map<number, number>();
        for (const n of graphs[200]!.nodes) {
            expect(at[n.id]).toBeCloseTo(rowOf.get(n.level) ?? (rowOf.set(n.level, at[n.id]!), at[n.id]!), 0);
        }
        expect(graphs[200]!.edges.every((e) => at[e.to]! > at[e.from]!)).toBe(true);
        await shot(page, `webview-200-${theme}-${size}`);
    });

    it('zooms with Ctrl+wheel at the pointer, and shows the overview map', async () => {
        const fitted = await scale(page);
        const box = (await page.locator('#graph').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.keyboard.down('Control');
        await page.mouse.wheel(0, -300);
        await page.keyboard.up('Control');
        await expect.poll(() => scale(page)).toBeGreaterThan(fitted * 1.5);
        expect(await outside(page)).not.toEqual([]);
        if (width > 600) {
            expect(await page.locator('.minimap').isVisible()).toBe(true);
        }
        await page.locator('#fit').click();
        expect(await scale(page)).toBeCloseTo(fitted, 4);
        expect(await outside(page)).toEqual([]);
    });

    it('pans by dragging and by keys', async () => {
        await page.locator('#zoom-in').click();
        const before = await transform(page);
        const box = (await page.locator('#graph').boundingBox())!;
        await page.mouse.move(box.x + 30, box.y + 30);
        await page.mouse.down();
        await page.mouse.move(box.x + 90, box.y + 70, { steps: 4 });
        await page.mouse.up();
        const dragged = await transform(page);
        expect(dragged).not.toBe(before);
        await page.locator('#graph').focus();
        await page.keyboard.press('ArrowLeft');
        expect(await transform(page)).not.toBe(dragged);
        await page.keyboard.press('0');
        expect(await outside(page)).toEqual([]);
    });

    it('moves between nodes with the arrow keys, zoomed until the focused step reads', async () => {
        await page.locator('#graph').focus();
        await page.keyboard.press('Home');
        const first = await page.evaluate(() => document.activeElement?.getAttribute('data-step'));
        expect(first).toBe('fetch_000');
        await page.keyboard.press(`Arrow${(await page.locator('#graph').getAttribute('data-direction')) === 'DOWN' ? 'Down' : 'Right'}`);
        const next = await page.evaluate(() => document.activeElement?.getAttribute('data-step'));
        expect(next).toMatch(/^parse_/);
        expect(await scale(page)).toBeGreaterThanOrEqual(0.9);
        const focused = (await page.locator(`#graph .node[data-step="${next}"] .node-box`).boundingBox())!;
        const view = (await page.locator('#graph').boundingBox())!;
        expect(focused.x).toBeGreaterThanOrEqual(view.x);
        expect(focused.x + focused.width).toBeLessThanOrEqual(view.x + view.width);
        // Readable: the name at 90 % or more of the font size.
        const fontPx = await page.locator(`#graph .node[data-step="${next}"] .node-label`).evaluate((el) => el.getBoundingClientRect().height);
        expect(fontPx).toBeGreaterThan(11);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('#details').getAttribute('data-step')).toBe(next);
        await page.keyboard.press('Escape');
        expect(await page.locator('#details').isHidden()).toBe(true);
    });

    it('pins to its workflow and follows again from the toolbar; says why it did not follow', async () => {
        const pin = page.locator('#pin');
        expect([await pin.textContent(), await pin.getAttribute('aria-pressed')]).toEqual(['Following', 'false']);
        await pin.click();
        expect([await pin.textContent(), await pin.getAttribute('aria-pressed')]).toEqual(['Pinned', 'true']);
        expect((await posted(page)).filter((m) => m.type === 'pin').at(-1)).toEqual({ type: 'pin', pinned: true });
        await post(page, [{ type: 'pin', pinned: false }]); // the host unpinned it (or the page reloaded)
        await expect.poll(() => pin.textContent()).toBe('Following');
        await post(page, [{ type: 'notice', text: 'broken.kmflow: line 4 unknown tool; still showing two_hundred.' }]);
        await expect.poll(() => page.locator('#notice').textContent()).toContain('still showing two_hundred');
        expect(await page.locator('#notice').isVisible()).toBe(true);
        await post(page, [{ type: 'notice', text: '' }]);
        await expect.poll(() => page.locator('#notice').isHidden()).toBe(true);
    });

    it('fits again when the panel is resized', async () => {
        await page.locator('#fit').click();
        await page.setViewportSize({ width: Math.round(width * 0.7), height: Math.round(height * 0.8) });
        await page.waitForTimeout(400); // the resize's new layout, if the other direction now suits
        expect(await outside(page)).toEqual([]);
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(400);
        expect(await outside(page)).toEqual([]);
        expect(errors).toEqual([]);
    });
});

/**
 * The step details pane and failed nodes, on a real run against an MCP server that fails
 * the way FastMCP tools do: the failed node shows its error code and message, its
 * tooltip the advice too; the pane shows a failed step's code, message and advice, a
 * retried step's failed attempts, the output as JSON with Copy, and posts Open in
 * editor, Rerun from here and Resume run back to the host; the tool's server shows beside
 * the tool. Light and dark, small and large.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostMessage } from '../../src/shared/messages.js';
import { launch, openWebview, post, posted, shot, waitForGraph, type ThemeName } from './page.js';
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

const CASES = [
    { size: 'small', width: 600, height: 400, theme: 'dark' as ThemeName },
    { size: 'large', width: 1500, height: 950, theme: 'dark' as ThemeName },
    { size: 'small', width: 600, height: 400, theme: 'light' as ThemeName },
    { size: 'large', width: 1500, height: 950, theme: 'light' as ThemeName },
];

describe.each(CASES)('step details at $width×$height ($theme)', ({ size, width, height, theme }) => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
        ({ page, errors } = await openWebview(browser, { width, height }, theme));
        const messages: HostMessage[] = [run.graph, ...run.events.map((event) => ({ type: 'run-event' as const, event }))];
        await post(page, messages);
        await waitForGraph(page, 'failing');
        await page.waitForFunction(() => document.body.dataset.runStatus === 'partial'); // errors adaptive: the rest ran
    });

    it('shows the error in the failed node and its tooltip', async () => {
        const node = page.locator('#graph .node[data-step="invalid"]');
        expect(await node.getAttribute('data-status')).toBe('failed');
        expect(await node.locator('.node-tool').textContent()).toBe('✖ VALIDATION_ERROR');
        expect(await node.locator('.node-status').textContent()).toMatch(/^fastmcp\.invalid: /);
        const tooltip = await node.locator('title').textContent();
        expect(tooltip).toContain('error VALIDATION_ERROR: fastmcp.invalid: macro_id is required');
        expect(tooltip).toContain('advice: Pass macro_id.');
        expect(tooltip).toMatch(/^invalid uses fastmcp\.invalid on server fastmcp \(line \d+\)/);
    });

    it('shows a failed step\'s error code, message and advice, and posts its actions', async () => {
        await page.locator('#graph .node[data-step="invalid"]').click();
        const pane = page.locator('#details');
        await expect.poll(() => pane.getAttribute('data-step')).toBe('invalid');
        expect(await pane.locator('.badge').textContent()).toBe('failed');
        expect(await pane.locator('.step-error .error-code').textContent()).toBe('VALIDATION_ERROR');
        expect(await pane.locator('.step-error .error-message').textContent()).toBe('fastmcp.invalid: macro_id is required');
        expect(await pane.locator('.step-error .advice-text').textContent()).toBe('Pass macro_id.');
        expect(await pane.locator('.facts').textContent()).toContain('Toolfastmcp.invalid');
        // The tool's server, and the tool's name there.
        expect(await pane.locator('.facts').textContent()).toContain('Serverfastmcp (tool invalid)');
        // The pane is on screen, beside the graph or over it.
        const box = (await pane.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        await shot(page, `webview-details-${theme}-${size}`);

        await pane.locator('.action-open').click();
        await pane.locator('.action-rerun', { hasText: 'Rerun from here' }).click();
        await pane.locator('.action-resume').click();
        const runId = run.report.runId;
        expect(await posted(page)).toEqual(expect.arrayContaining([
            { type: 'reveal-step', stepId: 'invalid' },
            { type: 'step-action', action: 'rerun-from', runId, stepId: 'invalid' },
            { type: 'step-action', action: 'resume', runId, stepId: 'invalid' },
        ]));
    });

    it('lists a retried step\'s failed attempts, and its output as JSON with Copy', async () => {
        await page.locator('#graph .node[data-step="flaky"]').click();
        const pane = page.locator('#details');
        await expect.poll(() => pane.getAttribute('data-step')).toBe('flaky');
        const attempts = pane.locator('.attempts .attempt');
        expect(await attempts.count()).toBe(2);
        expect(await attempts.locator('.error-code').allTextContents()).toEqual(['KM_CONNECTION_FAILED', 'KM_CONNECTION_FAILED']);
        expect(await attempts.first().locator('.advice-text').textContent()).toBe('Start the engine.');
        expect(await pane.locator('.facts').textContent()).toContain('Attempts3');
        expect(await pane.locator('.output-tree').textContent()).toContain('calls: 3');
        // It took no parameters: no Parameters section.
        expect(await pane.locator('.params-tree').count()).toBe(0);
        // A completed step reruns too: the resume runs it and what follows it again.
        expect(await pane.locator('.action-rerun').textContent()).toBe('Rerun from here');
        await pane.locator('.action-copy').click();
        const copy = (await posted(page)).find((m) => m.type === 'copy');
        expect(JSON.parse(String(copy?.text))).toEqual({ success: true, data: { calls: 3 } });
    });

    it('shows the parameters a step was called with, as evaluated, with Copy', async () => {
        await page.locator('#graph .node[data-step="side"]').click();
        const pane = page.locator('#details');
        await expect.poll(() => pane.getAttribute('data-step')).toBe('side');
        expect(await pane.locator('.params-tree').textContent()).toContain('independent');
        expect(await pane.locator('.facts').textContent()).toContain('Toollog' + 'Serverbuilt-in');
        await pane.locator('.action-copy-params').click();
        const copies = (await posted(page)).filter((m) => m.type === 'copy');
        expect(JSON.parse(String(copies.at(-1)?.text))).toEqual({ message: 'independent' });
    });

    it('copies a finished step as a test stub: its output, or its error', async () => {
        const pane = page.locator('#details');
        await page.locator('#graph .node[data-step="flaky"]').click();
        await expect.poll(() => pane.getAttribute('data-step')).toBe('flaky');
        await pane.locator('.action-stub').click();
        await page.locator('#graph .node[data-step="invalid"]').click();
        await expect.poll(() => pane.getAttribute('data-step')).toBe('invalid');
        await pane.locator('.action-stub').click();
        const copies = (await posted(page)).filter((m) => m.type === 'copy').slice(-2).map((m) => String(m.text));
        expect(copies).toEqual([
            'given flaky returns { success: true, data: { calls: 3 } }',
            'given invalid fails "VALIDATION_ERROR" "fastmcp.invalid: macro_id is required"',
        ]);
    });

    it('opens on the step the host asks for, and closes with Escape', async () => {
        await post(page, [{ type: 'show-step', stepId: 'after_invalid' }]);
        const pane = page.locator('#details');
        await expect.poll(() => pane.getAttribute('data-step')).toBe('after_invalid');
        expect(await pane.locator('h3', { hasText: 'Why skipped' }).count()).toBe(1);
        expect(await pane.locator('.error-code').textContent()).toBe('dependency-failed');
        await expect.poll(() => page.locator('#graph .node.selected').getAttribute('data-step')).toBe('after_invalid');
        await page.keyboard.press('Escape');
        expect(await pane.isHidden()).toBe(true);
        expect(errors).toEqual([]);
    });
});

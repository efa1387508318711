/**
 * UI end-to-end test against the installed .vsix in code-server, driven like a user in
 * headless Chromium: open a .kmflow file, see squiggles and the Problems panel, run
 * `KM Flow: Run Workflow` from F1, see the run in the `KM Flow: Runs` tree and the graph
 * panel; Plan and Analyze open read-only previews; a failing workflow's notification
 * names its step and error. Screenshots go to the results folder.
 * Usage: tsx vsix-ui.ts BASE_URL WORKSPACE RESULTS_DIR
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';

const [base, folder, results] = process.argv.slice(2) as [string, string, string];
const e2e = process.env.E2E ?? path.resolve(import.meta.dirname, '../../../.e2e');
const t0 = Date.now();
const log = (m: string): void => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

async function openFromExplorer(page: Page, name: string): Promise<void> {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
}

/** Activates an open editor's tab (focus leaves a webview such as the markdown preview) and clicks into its text. */
async function focusTab(page: Page, name: string): Promise<void> {
    await page.locator('.tabs-container .tab', { hasText: name }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
}

async function quickOpen(page: Page, name: string): Promise<void> {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
}

async function runCommand(page: Page, title: string): Promise<void> {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
}

/** The graph webview's inner frame, once its script has drawn the graph. */
async function graphFrame(page: Page): Promise<Frame> {
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
        for (const frame of page.frames()) {
            if (await frame.locator('#graph[data-layout="done"]').count().catch(() => 0)) {
                return frame;
            }
        }
        await page.waitForTimeout(250);
    }
    throw new Error('the graph webview never drew its graph');
}

const udd = fs.mkdtempSync(path.join(e2e, 'tmp', 'chrome-'));
const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1500, height: 950 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = ctx.pages()[0] ?? await ctx.newPage();
fs.mkdirSync(results, { recursive: true });
let ok = true;
try {
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    log('workbench up');

    await openFromExplorer(page, 'broken.kmflow');
    const mode = page.locator('#status\\.editor\\.mode');
    await mode.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => /KM Flow/.test(document.querySelector('#status\\.editor\\.mode')?.textContent ?? ''), null, { timeout: 30_000 });
    log(`language mode: ${(await mode.innerText()).trim()}`);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    log('error squiggle from the language server');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M');
    await page.waitForFunction(() => /no_such_tool/.test((document.querySelector('.markers-panel') as HTMLElement | null)?.innerText ?? ''), null, { timeout: 60_000 });
    log(`Problems: ${(await page.locator('.markers-panel').innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
    await page.screenshot({ path: path.join(results, 'e2e-diagnostics.png') });

    await openFromExplorer(page, 'pipeline.kmflow');
    await page.locator('.monaco-editor .view-lines').first().click();
    await runCommand(page, 'KM Flow: Run Workflow');
    log('ran KM Flow: Run Workflow from F1');
    const frame = await graphFrame(page);
    await frame.locator('body[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    const nodes = await frame.locator('#graph .node[data-status="succeeded"]').count();
    const bars = await frame.locator('#timeline .gantt-row').count();
    log(`graph panel: ${nodes} succeeded nodes, ${bars} Gantt bars, critical nodes ${await frame.locator('#graph .node.critical').count()}`);
    if (nodes !== 5 || bars !== 5) {
        throw new Error(`expected 5 nodes and 5 bars, saw ${nodes} and ${bars}`);
    }

    await runCommand(page, 'KM Flow: Focus on Runs View');
    const group = page.locator('.monaco-list-row[aria-level="1"]', { hasText: 'pipeline' }).filter({ hasText: 'succeeded' }).first();
    await group.waitFor({ timeout: 30_000 });
    const runRow = page.locator('.monaco-list-row[aria-level="2"]', { hasText: /just now|ago/ }).filter({ hasText: 'succeeded' }).first();
    await runRow.waitFor({ timeout: 30_000 });
    await runRow.click();
    await page.locator('.monaco-list-row', { hasText: 'fetch_a' }).first().waitFor({ timeout: 15_000 });
    log(`runs tree: ${(await group.innerText()).replace(/\s+/g, ' ')} / ${(await runRow.innerText()).replace(/\s+/g, ' ')}`);
    const title = (await page.locator('.pane-header', { hasText: /runs/i }).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
    log(`view title: ${title || (await page.locator('.composite.title').first().innerText()).replace(/\s+/g, ' ')}`);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'e2e-run.png') });

    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Plan');
    await page.locator('.tabs-container .tab', { hasText: 'pipeline.plan.md' }).first().waitFor({ timeout: 30_000 });
    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Analyze');
    await page.locator('.tabs-container .tab', { hasText: 'pipeline.analysis.md' }).first().waitFor({ timeout: 30_000 });
    const dirty = await page.locator('.tabs-container .tab.dirty').count();
    log(`Plan and Analyze: their own read-only tabs, ${dirty} dirty tab(s)`);
    if (dirty > 0) {
        throw new Error(`expected no dirty tab after Plan and Analyze, saw ${dirty}`);
    }
    await page.screenshot({ path: path.join(results, 'e2e-plan.png') });

    await focusTab(page, 'pipeline.kmflow');
    await quickOpen(page, 'fails.kmflow');
    await runCommand(page, 'KM Flow: Run Workflow');
    const toast = page.locator('.notification-toast', { hasText: 'step check failed' }).first();
    await toast.waitFor({ timeout: 60_000 });
    log(`failure notification: ${(await toast.innerText()).replace(/\s+/g, ' ')}`);
    await page.screenshot({ path: path.join(results, 'e2e-fail-notice.png') });
    log('screenshots saved');
} catch (err) {
    ok = false;
    console.log(`[ui] FAILED: ${(err as Error).message.split('\n')[0]}`);
    await page.screenshot({ path: path.join(results, 'e2e-failure.png') }).catch(() => undefined);
} finally {
    await ctx.close();
    fs.rmSync(udd, { recursive: true, force: true });
}
console.log(ok ? '[ui] PASS' : '[ui] FAIL');
process.exit(ok ? 0 : 1);

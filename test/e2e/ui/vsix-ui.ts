/**
 * UI end-to-end test against the installed .vsix in code-server, driven like a user in
 * headless Chromium: open a .kmflow file, see squiggles and the Problems panel, run
 * `KM Flow: Run Workflow` from F1, see the run in the `KM Flow: Runs` tree and the graph
 * panel; Plan and Analyze open read-only previews; a failing workflow's notification
 * names its step and error, and a click on the failed node opens its details pane with the
 * error and Resume. Screenshots of each view, in Dark Modern and Light Modern, go to the
 * results folder (`e2e-VIEW-dark.png`, `e2e-VIEW-light.png`).
 * Usage: tsx vsix-ui.ts BASE_URL WORKSPACE RESULTS_DIR
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { focusTab, graphFrame, nodesOutside, openFromExplorer, quickOpen, runCommand, setTheme } from './workbench.js';

const [base, folder, results] = process.argv.slice(2) as [string, string, string];
const e2e = process.env.E2E ?? path.resolve(import.meta.dirname, '../../../.e2e');
const t0 = Date.now();
const log = (m: string): void => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** Clicks the `fetch_a` row's line link in the Plan preview: the editor shows the step's line (4). */
async function followPlanLink(page: Page): Promise<void> {
    const end = Date.now() + 30_000;
    let link;
    while (!link && Date.now() < end) {
        for (const frame of page.frames()) {
            const a = frame.locator('tr', { hasText: 'fetch_a' }).locator('a', { hasText: /^4$/ });
            if (await a.count().catch(() => 0)) {
                link = a.first();
            }
        }
        await page.waitForTimeout(250);
    }
    if (!link) {
        throw new Error('the Plan preview has no line link on the fetch_a row');
    }
    await link.click();
    await page.waitForFunction(() => /Ln 4,/.test(document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''), null, { timeout: 15_000 });
    log(`Plan's line link opened pipeline.kmflow at ${(await page.locator('#status\\.editor\\.selection').innerText()).trim()}`);
}

/**
 * Done when: run a 40-step workflow, see all of it, click the step that failed, read why,
 * and resume it (its missing input now written) from the details pane.
 */
async function fortySteps(page: Page): Promise<void> {
    await quickOpen(page, 'forty.kmflow');
    await runCommand(page, 'KM Flow: Run Workflow');
    const toast = page.locator('.notification-toast', { hasText: 'step load failed' }).first();
    await toast.waitFor({ timeout: 60_000 });
    log(`40 steps, failure notification: ${(await toast.innerText()).replace(/\s+/g, ' ')}`);
    await runCommand(page, 'Notifications: Clear All Notifications');
    const frame = await graphFrame(page);
    await frame.locator('body[data-workflow="forty"][data-run-status="failed"]').waitFor({ timeout: 60_000 });
    await frame.locator('#fit').click();
    const nodes = await frame.locator('#graph .node').count();
    const outside = await nodesOutside(frame);
    log(`40 steps: ${nodes} nodes drawn, ${outside.length} out of view after Fit, scale ${await frame.locator('#zoom-scale').innerText()}`);
    if (nodes !== 40 || outside.length > 0) {
        throw new Error(`expected all 40 nodes in view, saw ${nodes} with ${outside.join(', ') || 'none'} outside`);
    }
    await page.screenshot({ path: path.join(results, 'e2e-forty-failed-light.png') });
    await frame.locator('#graph .node[data-step="load"]').click();
    const why = frame.locator('#details[data-step="load"] .step-error .error-message');
    await why.waitFor({ timeout: 15_000 });
    log(`40 steps, details of the failed step: ${await why.innerText()}`);
    await page.screenshot({ path: path.join(results, 'e2e-forty-details-light.png') });
    fs.writeFileSync(path.join(folder, 'forty-flag.txt'), 'ready');
    await frame.locator('#details .action-resume').click();
    await frame.locator('body[data-workflow="forty"][data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    const resumed = await frame.locator('#graph .node[data-status="succeeded"]').count();
    log(`40 steps, resumed from the details pane: ${resumed} succeeded nodes`);
    if (resumed !== 40) {
        throw new Error(`expected 40 succeeded nodes after the resume, saw ${resumed}`);
    }
    await page.screenshot({ path: path.join(results, 'e2e-forty-resumed-light.png') });
}

/** Runs the active editor's failing workflow: its notification must name the failed step and the error. */
async function runFailing(page: Page, shot: string): Promise<void> {
    await runCommand(page, 'KM Flow: Run Workflow');
    const toast = page.locator('.notification-toast', { hasText: 'step check failed' }).first();
    await toast.waitFor({ timeout: 60_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    log(`failure notification: ${text}`);
    if (!/the answer is not 42/.test(text)) {
        throw new Error(`the notification does not give the error: ${text}`);
    }
    await page.waitForTimeout(700); // the progress notification closes, the tree redraws
    await page.screenshot({ path: path.join(results, shot) });
}

/** Opens the failed step's details from its row in the runs tree (the row's Show Step Details button). */
async function detailsFromTree(page: Page): Promise<void> {
    await runCommand(page, 'KM Flow: Focus on Runs View');
    const run = page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'failed' }).first();
    await run.waitFor({ timeout: 15_000 });
    if (await run.getAttribute('aria-expanded') !== 'true') {
        await run.click();
    }
    const step = page.locator('.monaco-list-row[aria-level="3"]', { hasText: 'check' }).first();
    await step.waitFor({ timeout: 15_000 });
    await step.hover();
    await step.locator('.action-label[aria-label^="Show Step Details"]').click();
    const frame = await graphFrame(page);
    await frame.locator('#details[data-step="check"] .step-error').waitFor({ timeout: 15_000 });
    log('runs tree row: Show Step Details opened the failed step in the graph');
}

/** Clicks the failed step in the graph and reads why in its details pane. */
async function readFailedStep(page: Page, shot: string): Promise<void> {
    await runCommand(page, 'Notifications: Clear All Notifications'); // the toast may cover the node
    const frame = await graphFrame(page);
    await frame.locator('body[data-run-status="failed"]').waitFor({ timeout: 60_000 });
    if (await frame.locator('#details').isVisible()) {
        await frame.locator('#details .details-close').click(); // in a narrow panel the pane covers the graph
    }
    await frame.locator('#graph .node[data-step="check"]').click();
    const message = frame.locator('#details .step-error .error-message');
    await message.waitFor({ timeout: 15_000 });
    const why = await message.innerText();
    log(`details pane of the failed step: ${why}; ${(await frame.locator('#details .facts').innerText()).replace(/\s+/g, ' ')}`);
    if (!/the answer is not 42/.test(why) || !(await frame.locator('#details .action-resume').isEnabled())) {
        throw new Error(`the details pane does not say why, or offers no Resume: ${why}`);
    }
    await page.screenshot({ path: path.join(results, shot) });
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
    // The empty secondary side bar takes a third of the width from the editors.
    if (await page.locator('.part.auxiliarybar').isVisible().catch(() => false)) {
        await page.keyboard.press('Control+Alt+B');
        await page.locator('.part.auxiliarybar').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => log('the secondary side bar stays'));
    }

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
    await page.screenshot({ path: path.join(results, 'e2e-diagnostics-dark.png') });
    await runCommand(page, 'View: Hide Panel'); // the runs, the graph and the previews get the height

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
    // Cancel shows in the view's title bar only while a run goes.
    const titleAction = (label: string) => page.locator(`.pane-header .actions .action-label[aria-label^="${label}"]`).count();
    const [cancels, refreshes] = [await titleAction('Cancel Run'), await titleAction('Refresh Runs')];
    log(`runs view title bar, idle: ${cancels} Cancel, ${refreshes} Refresh`);
    if (cancels > 0) {
        throw new Error('Cancel Run shows in the runs view while nothing runs');
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'e2e-run-dark.png') });

    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Plan');
    await page.locator('.tabs-container .tab', { hasText: 'pipeline.plan.md' }).first().waitFor({ timeout: 30_000 });
    await followPlanLink(page);
    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Analyze');
    await page.locator('.tabs-container .tab', { hasText: 'pipeline.analysis.md' }).first().waitFor({ timeout: 30_000 });
    const dirty = await page.locator('.tabs-container .tab.dirty').count();
    log(`Plan and Analyze: their own read-only tabs, ${dirty} dirty tab(s)`);
    if (dirty > 0) {
        throw new Error(`expected no dirty tab after Plan and Analyze, saw ${dirty}`);
    }
    await page.screenshot({ path: path.join(results, 'e2e-plan-dark.png') });

    await focusTab(page, 'pipeline.kmflow');
    await quickOpen(page, 'fails.kmflow');
    await runFailing(page, 'e2e-fail-notice-dark.png');
    await readFailedStep(page, 'e2e-details-dark.png');

    // The same views in Light Modern.
    await focusTab(page, 'fails.kmflow');
    await setTheme(page, 'Light Modern', 'vs');
    log('theme: Light Modern');
    await focusTab(page, 'fails.kmflow');
    await runFailing(page, 'e2e-fail-notice-light.png');
    await detailsFromTree(page);
    await readFailedStep(page, 'e2e-details-light.png');
    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Run Workflow');
    const frame2 = await graphFrame(page);
    await frame2.locator('body[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'e2e-run-light.png') });
    await focusTab(page, 'pipeline.kmflow');
    await runCommand(page, 'KM Flow: Plan');
    await page.locator('.tabs-container .tab.active', { hasText: 'pipeline.plan.md' }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'e2e-plan-light.png') });
    await focusTab(page, 'broken.kmflow');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ timeout: 15_000 });
    log('light: broken.kmflow and the Problems panel');
    await page.screenshot({ path: path.join(results, 'e2e-diagnostics-light.png') });
    await runCommand(page, 'View: Hide Panel');

    await fortySteps(page);
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

/**
 * Driving code-server's workbench like a user, for the UI end-to-end test: opening files,
 * running commands from F1, picking a colour theme, and finding the graph webview's frame.
 */
import type { Frame, Page } from 'playwright-core';

export async function openFromExplorer(page: Page, name: string): Promise<void> {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
}

/** Activates an open editor's tab (focus leaves a webview such as the markdown preview) and clicks into its text. */
export async function focusTab(page: Page, name: string): Promise<void> {
    await page.locator('.tabs-container .tab', { hasText: name }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home'); // the file from its first line, not scrolled to the click
}

export async function quickOpen(page: Page, name: string): Promise<void> {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home'); // the file from its first line, not scrolled to the click
}

/** Node ids whose box is not inside the graph's view. */
export function nodesOutside(frame: Frame): Promise<string[]> {
    return frame.evaluate(() => {
        const view = document.getElementById('graph')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('#graph .node')).filter((node) => {
            const r = node.querySelector('.node-box')!.getBoundingClientRect();
            return r.left < view.left - 0.5 || r.top < view.top - 0.5 || r.right > view.right + 0.5 || r.bottom > view.bottom + 0.5;
        }).map((node) => node.getAttribute('data-step')!);
    });
}

/** Picks a colour theme from Preferences: Color Theme, and waits for the workbench to wear it. */
export async function setTheme(page: Page, name: string, workbenchClass: string): Promise<void> {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('>Preferences: Color Theme');
    // Not "Browse Color Themes in Marketplace", which matches too.
    await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor({ timeout: 15_000 });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 15_000 });
}

export async function runCommand(page: Page, title: string): Promise<void> {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
}

/** The graph webview's inner frame, once its script has drawn the graph. */
export async function graphFrame(page: Page): Promise<Frame> {
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

/**
 * The graph webview's page in headless Chromium for the browser tests: the real HTML
 * (its CSP and nonce), the bundle esbuild makes and the stylesheet, served from a fake
 * webview origin; VS Code's theme variables (Dark Modern or Light Modern) as the webview
 * host injects them; `acquireVsCodeApi` recording what the page posts.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { graphWebviewHtml } from '../../src/extension/core/webview-html.js';
import type { HostMessage } from '../../src/shared/messages.js';
import { chromiumLaunchOptions } from '../helpers/chromium.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHOTS = path.join(ROOT, 'test-results');
const ORIGIN = 'http://webview.test';

export type ThemeName = 'dark' | 'light' | 'hc-dark' | 'hc-light';

// The variables the pages read, with the values of VS Code's Dark Modern and Light Modern, and
// of its Dark and Light High Contrast themes (the colour registry's hcDark/hcLight defaults, read
// from the workbench that code-server ships: a null default is left unset, as VS Code leaves it).
const COMMON = { 'font-family': 'sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '14px' };
const THEMES: Record<ThemeName, Record<string, string>> = {
    dark: {
        ...COMMON, foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b',
        'editorWidget-background': '#202020', focusBorder: '#0078d4', disabledForeground: '#cccccc80', 'charts-blue': '#3794ff',
        'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
        errorForeground: '#f85149', 'editorWarning-foreground': '#cca700', 'editorLineNumber-foreground': '#6e7681',
        'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131',
        'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'textLink-foreground': '#4daafc',
        'widget-border': '#313131', 'widget-shadow': 'rgba(0, 0, 0, 0.36)', 'editorRuler-foreground': '#5a5a5a',
        'list-activeSelectionBackground': '#04395e',
    },
    light: {
        ...COMMON, foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b', 'panel-border': '#e5e5e5',
        'editorWidget-background': '#f8f8f8', focusBorder: '#005fb8', disabledForeground: '#8b949e', 'charts-blue': '#1a85ff',
        'charts-orange': '#d18616', 'charts-purple': '#652d90', 'testing-iconPassed': '#388a34', 'testing-iconFailed': '#f14c4c',
        errorForeground: '#f85149', 'editorWarning-foreground': '#bf8803', 'editorLineNumber-foreground': '#6e7681',
        'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5',
        'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'textLink-foreground': '#005fb8',
        'widget-border': '#e5e5e5', 'widget-shadow': 'rgba(0, 0, 0, 0.16)', 'editorRuler-foreground': '#d3d3d3',
        'list-activeSelectionBackground': '#e8e8e8',
    },
    'hc-dark': {
        ...COMMON, foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3', 'panel-border': '#6fc3df',
        'editorWidget-background': '#0c141f', focusBorder: '#f38518', disabledForeground: '#a5a5a5', 'charts-blue': '#59a4f9',
        'charts-orange': '#ab5a00', 'charts-purple': '#b180d7', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
        errorForeground: '#f48771', 'editorWarning-foreground': '#ffd370', 'editorLineNumber-foreground': '#ffffff',
        'button-background': '#000000', 'button-foreground': '#ffffff', 'button-secondaryForeground': '#ffffff',
        'textLink-foreground': '#21a6ff', 'widget-border': '#6fc3df', 'editorRuler-foreground': '#ffffff', contrastBorder: '#6fc3df',
        contrastActiveBorder: '#f38518',
    },
    'hc-light': {
        ...COMMON, foreground: '#292929', 'editor-background': '#ffffff', descriptionForeground: '#292929b3', 'panel-border': '#0f4a85',
        'editorWidget-background': '#ffffff', focusBorder: '#006bbd', disabledForeground: '#7f7f7f', 'charts-blue': '#0063d3',
        'charts-orange': '#0f4a85', 'charts-purple': '#652d90', 'testing-iconPassed': '#007100', 'testing-iconFailed': '#b5200d',
        errorForeground: '#b5200d', 'editorWarning-foreground': '#895503', 'editorLineNumber-foreground': '#292929',
        'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#ffffff',
        'button-secondaryForeground': '#292929', 'textLink-foreground': '#0f4a85', 'widget-border': '#0f4a85', 'editorRuler-foreground': '#292929',
        'list-activeSelectionBackground': '#0f4a851a', contrastBorder: '#0f4a85', contrastActiveBorder: '#006bbd',
    },
};

/** The body class VS Code gives a webview in each theme. */
const BODY_CLASS: Record<ThemeName, string> = {
    dark: 'vscode-dark', light: 'vscode-light', 'hc-dark': 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light',
};

/** The WCAG contrast ratio of two CSS colours as the page paints them (a translucent one over `bg`). */
export async function contrast(page: Page, fg: string, bg: string): Promise<number> {
    return page.evaluate(([a, b]) => {
        const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        const rgb = (c: string): number[] => {
            ctx.clearRect(0, 0, 1, 1);
            ctx.fillStyle = b!;
            ctx.fillRect(0, 0, 1, 1);
            ctx.fillStyle = c;
            ctx.fillRect(0, 0, 1, 1);
            return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
        };
        const lum = (c: number[]): number => {
            const [r, g, bl] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
        };
        const [l1, l2] = [lum(rgb(a!)), lum(rgb(b!))].sort((x, y) => y - x);
        return (l1! + 0.05) / (l2! + 0.05);
    }, [fg, bg]);
}

export function themeCss(theme: ThemeName): string {
    return `:root { ${Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`;
}

let bundled: Promise<void> | undefined;

/** The same browser bundle as esbuild.mjs (and `npm run build:webview`) makes, once per test file. */
export function bundle(): Promise<void> {
    bundled ??= esbuild.build({
        entryPoints: [path.join(ROOT, 'src/webview/main.ts')], outfile: path.join(ROOT, 'out/webview.js'),
        bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, sourcemap: true, logLevel: 'warning',
    }).then(() => undefined);
    return bundled;
}

export async function launch(): Promise<Browser> {
    await bundle();
    return chromium.launch(await chromiumLaunchOptions());
}

/** A page of its own, with what broke the CSP (or threw) collected in `errors`. */
export interface WebviewPage {
    page: Page;
    errors: string[];
}

/** Opens the webview page at `viewport` in `theme` and waits for its `ready`. */
export async function openWebview(browser: Browser, viewport: { width: number; height: number }, theme: ThemeName = 'dark'): Promise<WebviewPage> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) {
            errors.push(m.text());
        }
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    const files: Record<string, [string, string]> = {
        '/index.html': [graphWebviewHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/out/webview.js`, styleUri: `${ORIGIN}/media/webview.css` }), 'text/html'],
        '/out/webview.js': [fs.readFileSync(path.join(ROOT, 'out/webview.js'), 'utf8'), 'text/javascript'],
        '/media/webview.css': [fs.readFileSync(path.join(ROOT, 'media/webview.css'), 'utf8'), 'text/css'],
        '/theme.css': [themeCss(theme), 'text/css'],
    };
    await page.route(`${ORIGIN}/**`, (route) => {
        const file = files[new URL(route.request().url()).pathname];
        return file ? route.fulfill({ body: file[0], contentType: file[1] }) : route.fulfill({ status: 404 });
    });
    await page.addInitScript((themeClass) => {
        const w = window as unknown as { posted: unknown[]; acquireVsCodeApi: () => unknown };
        w.posted = [];
        let saved: unknown;
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m), getState: () => saved, setState: (s: unknown) => (saved = s) });
        document.addEventListener('DOMContentLoaded', () => document.body.classList.add(themeClass));
    }, BODY_CLASS[theme]);
    await page.goto(`${ORIGIN}/index.html`);
    await page.addStyleTag({ url: `${ORIGIN}/theme.css` });
    await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'));
    return { page, errors };
}

/** Posts host messages to the page, as the extension host does. */
export async function post(page: Page, messages: HostMessage[]): Promise<void> {
    await page.evaluate((ms) => ms.forEach((m) => window.postMessage(m, '*')), messages);
}

/** What the page posted to the host so far. */
export async function posted(page: Page): Promise<Array<Record<string, unknown>>> {
    return page.evaluate(() => (window as unknown as { posted: Array<Record<string, unknown>> }).posted);
}

/** Waits until the graph of `workflow` is laid out and fitted (the view settles). */
export async function waitForGraph(page: Page, workflow: string): Promise<void> {
    await page.waitForFunction((w) => document.body.dataset.workflow === w && document.querySelector('#graph')?.getAttribute('data-layout') === 'done', workflow);
    await page.waitForTimeout(120); // the resize observer's fit, the 50 ms render
}

/** The current scale of the graph view. */
export async function scale(page: Page): Promise<number> {
    return Number(await page.locator('#graph').getAttribute('data-scale'));
}

/** Saves a screenshot to test-results/NAME.png. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

// Runs the extension tests inside code-server's Node extension host: opens the workbench
// with the extensionDevelopmentPath/extensionTestsPath payload (honoured only with
// `--vscode-option enable-smoke-test-driver`) and reads the exit code the test runner
// reports through `codeAutomationExit`. A run passes only if the runner also said how many
// tests passed and none failed: a workbench that lost its extension host (another
// code-server on the port, a crash) has been seen to report exit code 0 with no tests run.
// Usage: node run-ext-tests.mjs BASE_URL WORKSPACE EXTENSION_DIR TESTS_ENTRY(without .cjs)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const [base, folder, devPath, testsPath] = process.argv.slice(2);
const e2e = process.env.E2E ?? path.resolve(import.meta.dirname, '../../.e2e');
const remote = (p) => `vscode-remote://${new URL(base).host}${p}`;
const t0 = Date.now();
const udd = fs.mkdtempSync(path.join(e2e, 'tmp', 'chrome-'));
const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let done;
let passing = 0;
let failing = 0;
const exit = new Promise((resolve) => (done = resolve));
const page = ctx.pages()[0] ?? await ctx.newPage();
await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...args);
    if (!/open-vsx|ENOTFOUND/.test(line)) {
        console.log(`  [ext host] ${line}`);
    }
    // Mocha's summary: "  29 passing (32s)", "  1 failing".
    passing += Number(/^\s*(\d+) passing\b/m.exec(line)?.[1] ?? 0);
    failing += Number(/^\s*(\d+) failing\b/m.exec(line)?.[1] ?? 0);
});
await page.exposeFunction('codeAutomationExit', (code) => done(code));
const payload = JSON.stringify([['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)], ['skipWelcome', 'true']]);
await page.goto(`${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
const timer = setTimeout(() => done('timeout'), 240_000);
const code = await exit;
clearTimeout(timer);
console.log(`[e2e] extension tests: exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s, ${passing} passing, ${failing} failing`);
await ctx.close();
fs.rmSync(udd, { recursive: true, force: true });
if (code === 0 && (passing === 0 || failing > 0)) {
    console.log('[e2e] the runner exited 0 without a passing summary: counted as a failure');
}
process.exit(code === 0 && passing > 0 && failing === 0 ? 0 : 1);

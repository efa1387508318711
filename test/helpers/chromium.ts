/**
 * The headless Chromium that browser tests drive through playwright-core: Debian's
 * /usr/bin/chromium where it is installed, otherwise the build that the
 * `@sparticuz/chromium` dev dependency ships (brotli-packed inside the npm package,
 * unpacked to the temp folder on first use, ~2 s; it needs only libnss3 and libnspr4).
 * So `npm ci && npm test` drives a real browser on a machine with only Node and npm.
 */
import * as fs from 'node:fs';
import { type LaunchOptions } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for either build: no sandbox (CI runs as root), no GPU, nothing phoned home. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function systemChromium(): boolean {
    try {
        fs.accessSync(SYSTEM_CHROMIUM, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** The executable to launch: the system's if any, else the npm package's (unpacked once). */
export async function chromiumExecutable(): Promise<string> {
    if (systemChromium()) {
        return SYSTEM_CHROMIUM;
    }
    const { default: npmChromium } = await import('@sparticuz/chromium');
    return npmChromium.executablePath();
}

/** Options for `chromium.launch` (or `launchPersistentContext`), with any extra flags. */
export async function chromiumLaunchOptions(extraArgs: string[] = []): Promise<LaunchOptions & { executablePath: string }> {
    return { executablePath: await chromiumExecutable(), headless: true, args: [...ARGS, ...extraArgs] };
}

/**
 * `npm run bench`: every benchmark of package.json (each `bench:*` script), one after the
 * other, so a new one is picked up by adding its script. Arguments after `--` go to each
 * (`npm run bench -- --json`). Exits non-zero if any of them failed, after running them all.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)
    .filter((name) => name.startsWith('bench:'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failed: string[] = [];
for (const name of scripts) {
    console.log(`\n== npm run ${name}`);
    const r = spawnSync(npm, ['run', '--silent', name, ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
        failed.push(name);
    }
}
if (failed.length > 0) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
}

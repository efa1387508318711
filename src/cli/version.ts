/** `kmflow --version`: the version of the package this CLI was built from. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `version` of the nearest package.json named kmflow above this module (the bundle's or the source's). */
export function kmflowVersion(from = path.dirname(fileURLToPath(import.meta.url))): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        try {
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
            if (pkg.name === 'kmflow' && pkg.version) {
                return pkg.version;
            }
        } catch {
            // no package.json here: look further up
        }
        if (path.dirname(dir) === dir) {
            return 'unknown';
        }
    }
}

/** `kmflow --version`: the version of the package this CLI was built from. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Set by the bundle's build (esbuild.mjs) from package.json. */
declare const KMFLOW_VERSION: string | undefined;

/** The bundle's version, else (run from source) that of the nearest package.json named kmflow. */
export function kmflowVersion(): string {
    if (typeof KMFLOW_VERSION === 'string') {
        return KMFLOW_VERSION;
    }
    for (let dir = path.dirname(path.resolve(process.argv[1] ?? '.')); ; dir = path.dirname(dir)) {
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

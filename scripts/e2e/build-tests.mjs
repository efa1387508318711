// Bundles the in-host extension tests (test/e2e/suite) to CommonJS under .e2e/tests:
// `vscode` comes from the extension host, `mocha` from node_modules.
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const outdir = path.join(process.env.KMFLOW_E2E_DIR ?? path.join(root, '.e2e'), 'tests');
await esbuild.build({
    entryPoints: {
        index: path.join(root, 'test/e2e/suite/index.ts'),
        'extension.test': path.join(root, 'test/e2e/suite/extension.test.ts'),
        'untrusted-index': path.join(root, 'test/e2e/suite/untrusted-index.ts'),
        'untrusted.test': path.join(root, 'test/e2e/suite/untrusted.test.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outExtension: { '.js': '.cjs' },
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
});
console.log(`[e2e] extension tests bundled to ${outdir}`);

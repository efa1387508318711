// Bundles the CLI (ESM), the language server and the VS Code extension (CommonJS, as VS
// Code loads them). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    loader: { '.kmflow': 'text' },
    logLevel: 'warning',
};
// ESM bundles still meet CommonJS dependencies (ajv) that call require().
const requireShim = "import { createRequire as __kmflowCreateRequire } from 'node:module'; const require = __kmflowCreateRequire(import.meta.url);";

// The CLI is split: each command's code, and what only some commands use (the MCP SDK,
// ELK, the language server), is a chunk loaded when needed, so start-up compiles and runs
// only what the command uses. A build removes the chunks of the one before.
const CLI_CHUNKS = 'cli-chunks';
const builds = [
    {
        ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'out', format: 'esm', banner: { js: requireShim },
        splitting: true, chunkNames: `${CLI_CHUNKS}/[name]-[hash]`,
    },
];
if (!watch) {
    fs.rmSync(`out/${CLI_CHUNKS}`, { recursive: true, force: true });
}
const optional = [
    { ...common, entryPoints: { 'language-server': 'src/server/main.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' } },
    { ...common, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['vscode'] },
    // The graph webview's script: a browser bundle, loaded under a strict CSP.
    { ...common, entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'out', format: 'iife', platform: 'browser', target: 'es2022', minify: true },
];
for (const b of optional) {
    if (Object.values(b.entryPoints).every((e) => fs.existsSync(e))) {
        builds.push(b);
    }
}

if (watch) {
    for (const b of builds) {
        const ctx = await esbuild.context(b);
        await ctx.watch();
    }
} else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
}

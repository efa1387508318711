// Bundles the CLI, the language server and the VS Code extension (CommonJS: bin/kmflow
// requires the CLI's launcher, VS Code loads the others). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';

const watch = process.argv.includes('--watch');
const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    loader: { '.kmflow': 'text' },
    logLevel: 'warning',
};

// The CLI is one CommonJS bundle (out/cli-main.cjs) that out/cli.cjs runs with a V8 code
// cache (src/cli/launch.ts): a command's second start does not parse or compile it again.
// What a command does not use (the MCP SDK, ELK, the language server) is imported lazily,
// so it is neither run nor compiled at start.
const elkApart = {
    name: 'elk-apart',
    setup(build) {
        build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: './cli-elk.cjs', external: true }));
    },
};
// out/cli-main.cjs runs in a vm.Script (src/cli/launch.ts), where a real `import()` has no
// loader: a lazily imported Node built-in (`await import('node:child_process')`) becomes a
// lazily required one.
const builtinsRequired = {
    name: 'builtins-required',
    setup(build) {
        build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => (args.kind === 'dynamic-import' && isBuiltin(args.path)
            ? { path: args.path, namespace: 'builtin' } : undefined));
        build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
};
// Langium's document builder imports two names from vscode-languageserver-protocol, whose
// entry loads the whole protocol and vscode-jsonrpc's Node transport (net, crypto, streams):
// in the CLI, which speaks the protocol only in `kmflow lsp`, they come from a module of
// their own (src/cli/document-builder-protocol.ts).
const lightDocumentBuilder = {
    name: 'light-document-builder',
    setup(build) {
        build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, (args) => (/langium[\\/]lib[\\/]workspace[\\/]document-builder\.js$/.test(args.importer)
            ? { path: new URL('./src/cli/document-builder-protocol.ts', import.meta.url).pathname } : undefined));
    },
};
const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;
// The launchers (out/cli.cjs, out/language-server.cjs) are built after the bundles they run,
// with each bundle's digest: its code cache is named after it (src/server/code-cache-files.ts).
// A watch build has none, and the launcher hashes the bundle at start.
const launchers = [
    {
        ...common, entryPoints: { cli: 'src/cli/launch.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' },
        define: { KMFLOW_VERSION: JSON.stringify(version) }, runs: 'out/cli-main.cjs', digest: 'KMFLOW_CLI_DIGEST',
    },
];
const builds = [
    {
        ...common, entryPoints: { 'cli-main': 'src/cli/main.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' },
        define: { KMFLOW_VERSION: JSON.stringify(version) }, plugins: [elkApart, builtinsRequired, lightDocumentBuilder], minifyWhitespace: true,
    },
    // ELK (half the CLI's code) only for `kmflow graph --format svg`: a file of its own.
    { ...common, entryPoints: { 'cli-elk': 'node_modules/elkjs/lib/elk.bundled.js' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' } },
];
// The language server: out/language-server.cjs (what VS Code's client forks, src/server/launch.ts)
// runs out/language-server-main.cjs with a V8 code cache, as out/cli.cjs runs the CLI's.
if (fs.existsSync('src/server/launch.ts')) {
    launchers.push({
        ...common, entryPoints: { 'language-server': 'src/server/launch.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' },
        runs: 'out/language-server-main.cjs', digest: 'KMFLOW_SERVER_DIGEST',
    });
}
const optional = [
    {
        ...common, entryPoints: { 'language-server-main': 'src/server/main.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' },
        plugins: [builtinsRequired],
    },
    { ...common, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'out', format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['vscode'] },
    // The graph webview's script: a browser bundle, loaded under a strict CSP.
    { ...common, entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'out', format: 'iife', platform: 'browser', target: 'es2022', minify: true },
];
for (const b of optional) {
    if (Object.values(b.entryPoints).every((e) => fs.existsSync(e))) {
        builds.push(b);
    }
}

/** A launcher's build options, with its bundle's digest when `withDigest`. */
function launcher({ runs, digest, ...options }, withDigest) {
    if (!withDigest) {
        return options;
    }
    const sha256 = createHash('sha256').update(fs.readFileSync(runs)).digest('hex');
    return { ...options, define: { ...options.define, [digest]: JSON.stringify(sha256) } };
}

if (watch) {
    for (const b of [...builds, ...launchers.map((l) => launcher(l, false))]) {
        const ctx = await esbuild.context(b);
        await ctx.watch();
    }
} else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
    await Promise.all(launchers.map((l) => esbuild.build(launcher(l, true))));
}

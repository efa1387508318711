/**
 * One measurement of bench/activation.ts, in a fresh process: loads an extension bundle
 * with `vscode` resolved to the stub (fixtures/vscode-stub.cjs), calls `activate`, and
 * prints, as JSON, how long after starting to load the bundle the language client forked
 * its server (the fork itself is replaced by a child that exits at once).
 */
'use strict';
// A CommonJS script: it hooks require() to load the extension's CommonJS bundle with a stub `vscode`.
/* eslint-disable @typescript-eslint/no-require-imports */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const bundle = process.argv[2];
let forkedAt;
// The client forks its server over IPC (TransportKind.ipc): the moment counts, the server does not.
childProcess.fork = () => {
    forkedAt ??= performance.now();
    return childProcess.spawn(process.execPath, ['-e', '0'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? path.join(__dirname, 'fixtures/vscode-stub.cjs') : resolve.call(this, request, ...rest);
};
const vscode = require('vscode');
// The extension's storage: a folder of this round's own.
const storage = { fsPath: fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-activation-storage-')) };
const context = new Proxy({}, {
    get: (_t, p) => (p === 'subscriptions' ? [] : p === 'asAbsolutePath' ? (x) => path.join(path.dirname(bundle), '..', x)
        : p === 'globalStorageUri' || p === 'storageUri' ? storage : p === 'then' ? undefined : vscode.window),
});
const t0 = performance.now();
const extension = require(bundle);
const loadedMs = performance.now() - t0;
// KMFLOW_BENCH_DEBUG=1: why activation failed, if it did (the round then reports no client start).
Promise.resolve(extension.activate(context)).catch((err) => { if (process.env.KMFLOW_BENCH_DEBUG) { console.error(err); } });
const deadline = Date.now() + 10_000;
const poll = setInterval(() => {
    if (forkedAt !== undefined || Date.now() > deadline) {
        clearInterval(poll);
        console.log(JSON.stringify({ loadedMs, forkedMs: forkedAt === undefined ? null : forkedAt - t0 }));
        fs.rmSync(storage.fsPath, { recursive: true, force: true });
        process.exit(0);
    }
}, 2);

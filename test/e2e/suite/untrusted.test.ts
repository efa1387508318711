/**
 * Restricted Mode (an untrusted workspace): the language features work, runs do not, and
 * the language server starts no process to list a declared server's tools.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { KmflowExtensionApi } from '../../../src/extension/main.js';
import { waitFor } from './wait-for.js';

let api: KmflowExtensionApi;
const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0]!.uri;


suite('KM Flow in Restricted Mode', () => {
    suiteSetup(async () => {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'broken.kmflow')));
        const ext = vscode.extensions.getExtension<KmflowExtensionApi>('kmflow.kmflow')!;
        api = await waitFor('activation', async () => (ext.isActive ? ext.exports : await ext.activate()));
    });

    test('the workspace is untrusted', () => {
        assert.equal(vscode.workspace.isTrusted, false);
    });

    test('checks still work: the language server reports the unknown tool', async () => {
        const uri = vscode.Uri.joinPath(folder(), 'broken.kmflow');
        await waitFor('an unknown-tool diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => /no_such_tool/.test(d.message)));
        assert.ok(api.client()?.isRunning());
    });

    test('Plan works: it runs nothing', async () => {
        const md = await vscode.commands.executeCommand<string>('kmflow.plan', vscode.Uri.joinPath(folder(), 'pipeline.kmflow').toString(), 'pipeline');
        assert.match(md ?? '', /Critical path/);
    });

    test('Run Workflow does not run, and stores nothing', async () => {
        const report = await vscode.commands.executeCommand('kmflow.runWorkflow', vscode.Uri.joinPath(folder(), 'pipeline.kmflow').toString(), 'pipeline');
        assert.equal(report, undefined);
        assert.equal(api.history.all().length, 0);
        assert.equal(fs.existsSync(path.join(folder().fsPath, '.kmflow', 'runs')), false);
    });

    test('Debug Workflow does not start a debug session', async () => {
        const started = await vscode.commands.executeCommand('kmflow.debugWorkflow', vscode.Uri.joinPath(folder(), 'pipeline.kmflow').toString(), 'pipeline');
        assert.equal(started, false);
        assert.equal(vscode.debug.activeDebugSession, undefined);
        assert.equal(fs.existsSync(path.join(folder().fsPath, '.kmflow', 'runs')), false);
    });

    test('Resume Run does not run either', async () => {
        const report = await vscode.commands.executeCommand('kmflow.resumeRun', 'last', vscode.Uri.joinPath(folder(), 'pipeline.kmflow').toString(), 'pipeline');
        assert.equal(report, undefined);
        assert.equal(fs.existsSync(path.join(folder().fsPath, '.kmflow', 'runs')), false);
    });

    test('a server declaration runs nothing: the language server uses the schema lock and says why', async () => {
        const dir = folder().fsPath;
        const marker = path.join(dir, 'pwned');
        const hash = `sha256:${'1'.repeat(64)}`;
        fs.mkdirSync(path.join(dir, '.kmflow'), { recursive: true });
        fs.writeFileSync(path.join(dir, '.kmflow', 'schemas.lock.json'), JSON.stringify({
            version: 1, servers: { evil: { tools: { wipe: { hash, inputSchema: { type: 'object', properties: { path: { type: 'string' } } } } } } },
        }));
        const uri = vscode.Uri.joinPath(folder(), 'evil.kmflow');
        fs.writeFileSync(uri.fsPath, `server evil {\n    command "sh"\n    args ["-c", ${JSON.stringify(`touch '${marker}'`)}]\n}\n` +
            'workflow w {\n    step a uses evil.wipe { with { path: 3 } }\n}\n');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        // Only the re-validation after the server's background pass (lock, then live listing
        // where allowed) knows evil.wipe's schema: by then a trusted server would have run sh.
        await waitFor('the locked schema checked', () => vscode.languages.getDiagnostics(uri).find((d) => d.message === "evil.wipe: 'path' must be string"));
        assert.equal(fs.existsSync(marker), false);
        const hint = vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Hint);
        assert.match(hint?.message ?? '', /not trusted, so server 'evil' is not started/);
    });

    test('Show Metrics works: it only reads', async () => {
        const md = await vscode.commands.executeCommand<string>('kmflow.monitor');
        assert.match(md ?? '', /No runs recorded yet/);
    });
});

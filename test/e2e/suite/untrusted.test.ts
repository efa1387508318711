/**
 * Restricted Mode (an untrusted workspace): the language features work, runs do not.
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

    test('Resume Run does not run either', async () => {
        const report = await vscode.commands.executeCommand('kmflow.resumeRun', 'last', vscode.Uri.joinPath(folder(), 'pipeline.kmflow').toString(), 'pipeline');
        assert.equal(report, undefined);
        assert.equal(fs.existsSync(path.join(folder().fsPath, '.kmflow', 'runs')), false);
    });

    test('Show Metrics works: it only reads', async () => {
        const md = await vscode.commands.executeCommand<string>('kmflow.monitor');
        assert.match(md ?? '', /No runs recorded yet/);
    });
});

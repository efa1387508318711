/**
 * The extension in a real VS Code (code-server's Node extension host): activation,
 * diagnostics from the real language server, runs through the commands, the runs tree,
 * the graph webview, lenses, secrets and the read-only catalogs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/engine/run-types.js';
import type { KmflowExtensionApi } from '../../../src/extension/main.js';
import { waitFor } from './wait-for.js';

const EXTENSION_ID = 'kmflow.kmflow';
let api: KmflowExtensionApi;

function folder(): vscode.Uri {
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'the test workspace is open');
    return f.uri;
}

function fileUri(name: string): vscode.Uri {
    return vscode.Uri.joinPath(folder(), name);
}


suite('KM Flow extension', () => {
    suiteSetup(async () => {
        const doc = await vscode.workspace.openTextDocument(fileUri('pipeline.kmflow'));
        await vscode.window.showTextDocument(doc);
        const ext = vscode.extensions.getExtension<KmflowExtensionApi>(EXTENSION_ID);
        assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
        api = await waitFor('activation', async () => (ext.isActive ? ext.exports : await ext.activate()));
    });

    test('activates on a .kmflow file and registers its commands', async () => {
        const doc = vscode.window.activeTextEditor?.document;
        assert.equal(doc?.languageId, 'kmflow');
        const commands = await vscode.commands.getCommands(true);
        for (const id of ['runWorkflow', 'runToStep', 'resumeRun', 'cancelRun', 'showGraph', 'plan', 'analyze', 'optimize', 'suggest', 'showTools', 'monitor', 'setSecret']) {
            assert.ok(commands.includes(`kmflow.${id}`), `kmflow.${id} is registered`);
        }
        assert.ok(api.client()?.isRunning(), 'the language client is running');
    });

    test('the real language server reports an unknown tool', async () => {
        const uri = fileUri('broken.kmflow');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const diagnostic = await waitFor('an unknown-tool diagnostic', () =>
            vscode.languages.getDiagnostics(uri).find((d) => /no_such_tool/.test(d.message)));
        assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
        assert.equal(diagnostic.range.start.line, 3);
        const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
        assert.equal(code, 'unknown-tool');
    });

    test('Run Workflow runs the workflow and stores its report', async () => {
        const uri = fileUri('pipeline.kmflow');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const report = await vscode.commands.executeCommand<RunReport>('kmflow.runWorkflow', uri.toString(), 'pipeline');
        assert.ok(report, 'the command returns the report');
        assert.equal(report.status, 'succeeded');
        assert.deepEqual(report.steps.map((s) => s.id), ['fetch_a', 'fetch_b', 'merge', 'side', 'report']);
        const stored = path.join(folder().fsPath, '.kmflow', 'runs');
        for (const suffix of ['.jsonl', '.report.json', '.source.json']) {
            assert.ok(fs.existsSync(path.join(stored, `${report.runId}${suffix}`)), `${suffix} written`);
        }
        assert.ok(fs.existsSync(path.join(folder().fsPath, '.kmflow', 'metrics', 'history.jsonl')), 'the run is recorded to history');
    });

    test('the runs tree shows the run, newest first, with its steps', async () => {
        const runs = api.runsTree.getChildren();
        assert.ok(runs.length >= 1);
        const newest = runs[0]!;
        assert.equal(newest.label, 'pipeline');
        assert.match(newest.description, /^succeeded/);
        const steps = api.runsTree.getChildren(newest);
        assert.deepEqual(steps.map((s) => s.label), ['fetch_a', 'fetch_b', 'merge', 'side', 'report']);
        const item = api.runsTree.getTreeItem(steps[0]!);
        assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
        assert.equal(item.command?.command, 'kmflow.revealStep');
    });

    test('the graph panel opened and its page answered under the CSP', async () => {
        const panel = await waitFor('the graph panel', () => api.graphPanel());
        assert.equal(panel.workflow, 'pipeline');
        await waitFor('the webview ready message', () => panel.isReady);
    });

    test('a tree step reveals its source line', async () => {
        const step = api.runsTree.getChildren(api.runsTree.getChildren()[0])[2]!; // merge
        await vscode.commands.executeCommand('kmflow.revealStep', step);
        const editor = vscode.window.activeTextEditor;
        assert.equal(path.basename(editor?.document.uri.fsPath ?? ''), 'pipeline.kmflow');
        assert.equal(editor?.selection.active.line, 5);
    });

    test('a step output opens as a read-only JSON document', async () => {
        const run = api.history.all()[0]!;
        await vscode.commands.executeCommand('kmflow.openStepOutput', run.runId, 'merge');
        const doc = await waitFor('the output document', () =>
            vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kmflow-output'));
        assert.match(doc.getText(), /merged succeeded and succeeded/);
    });

    test('after a run, lenses show each step\'s last status', async () => {
        const uri = fileUri('pipeline.kmflow');
        const lenses = await waitFor('status lenses', async () => {
            const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
            const status = all.filter((l) => l.command?.title.includes('last run'));
            return status.length >= 6 ? status : undefined;
        });
        assert.ok(lenses.some((l) => /\$\(pass\) last run: succeeded/.test(l.command!.title)));
    });

    test('Run to Step runs the step and its dependencies only', async () => {
        const uri = fileUri('pipeline.kmflow');
        const report = await vscode.commands.executeCommand<RunReport>('kmflow.runToStep', uri.toString(), 'pipeline', 'merge');
        assert.deepEqual(report?.steps.map((s) => s.id), ['fetch_a', 'fetch_b', 'merge']);
        assert.equal(api.runsTree.getChildren()[0]!.label, 'pipeline → merge');
    });

    test('Cancel Run stops a running workflow', async () => {
        const uri = fileUri('slow.kmflow');
        const pending = vscode.commands.executeCommand<RunReport>('kmflow.runWorkflow', uri.toString(), 'slow');
        await waitFor('the slow run to start', () => api.history.activeIds().size > 0);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await vscode.commands.executeCommand('kmflow.cancelRun'), true);
        const report = await pending;
        assert.equal(report?.status, 'cancelled');
        assert.ok((report?.durationMs ?? Infinity) < 15_000);
    });

    test('secrets come from secret storage and never show in the report', async () => {
        await vscode.commands.executeCommand('kmflow.setSecret', 'KMFLOW_E2E_TOKEN', 's3cr3t-value');
        const report = await vscode.commands.executeCommand<RunReport>('kmflow.runWorkflow', fileUri('secret.kmflow').toString(), 'uses_secret');
        assert.equal(report?.status, 'succeeded');
        const text = JSON.stringify(report);
        assert.ok(!text.includes('s3cr3t-value'), 'the secret value is masked');
        // A step computed from a secret shows nothing of its output; a public one shows it masked.
        assert.equal(report?.steps.find((s) => s.id === 'greet')?.output, '***');
        assert.match(text, /token is \*\*\*/);
    });

    test('Plan shows levels, the critical path and per-step predictions from history', async () => {
        const md = await vscode.commands.executeCommand<string>('kmflow.plan', fileUri('pipeline.kmflow').toString(), 'pipeline');
        assert.match(md ?? '', /## Critical path/);
        assert.match(md ?? '', /`fetch_a`.*→.*`merge`/);
        assert.match(md ?? '', /\| `merge` \| template \| \+\d+ ms \| \d+ ms \| history \|/);
    });

    test('Optimize without history says so', async () => {
        const result = await vscode.commands.executeCommand<{ message?: string }>('kmflow.optimize', fileUri('resume.kmflow').toString(), 'resumable');
        assert.match(result?.message ?? '', /no measured history for 'resumable'/);
    });

    test('a failed run resumes once its missing file exists; restored steps show as resumed', async () => {
        const uri = fileUri('resume.kmflow');
        const failed = await vscode.commands.executeCommand<RunReport>('kmflow.runWorkflow', uri.toString(), 'resumable');
        assert.equal(failed?.status, 'failed');
        const row = api.runsTree.getChildren().find((r) => r.runId === failed.runId);
        assert.equal(row?.contextValue, 'run-resumable');

        fs.writeFileSync(path.join(folder().fsPath, 'resume-flag.txt'), 'ready');
        const resumed = await vscode.commands.executeCommand<RunReport>('kmflow.resumeRun', row);
        assert.equal(resumed?.status, 'succeeded');
        assert.equal(resumed.resumedFrom, failed.runId);
        assert.deepEqual(resumed.steps.map((s) => [s.id, s.status, s.resumed ?? false]), [
            ['first', 'succeeded', true], ['read', 'succeeded', false], ['check', 'succeeded', false], ['done', 'succeeded', false],
        ]);
        const newest = api.runsTree.getChildren()[0]!;
        assert.equal(newest.runId, resumed.runId);
        assert.match(newest.description, /resumed$/);
        const steps = api.runsTree.getChildren(newest);
        assert.equal(steps[0]!.description, 'succeeded · resumed');
        assert.match(steps[1]!.description, /^succeeded · \d/);
    });

    test('Resume Run of a run without a journal runs nothing', async () => {
        const before = api.history.all().length;
        assert.equal(await vscode.commands.executeCommand('kmflow.resumeRun', 'no-such-run'), undefined);
        assert.equal(api.history.all().length, before);
    });

    test('Show Metrics opens the health score and per-tool latencies', async () => {
        const md = await vscode.commands.executeCommand<string>('kmflow.monitor');
        assert.match(md ?? '', /Health score \*\*[\d.]+\/100\*\*/);
        assert.match(md ?? '', /\| delay \| \d+ \|/);
        assert.match(md ?? '', /## Bottlenecks/);
    });

    test('Suggest Workflow opens the suggestion in an untitled kmflow editor', async () => {
        const text = await vscode.commands.executeCommand<string>('kmflow.suggest', ['file_read', 'assert'], 'reliability');
        assert.match(text ?? '', /uses file\.read/);
        const editor = vscode.window.activeTextEditor;
        assert.equal(editor?.document.languageId, 'kmflow');
        assert.equal(editor?.document.isUntitled, true);
        assert.equal(editor?.document.getText(), text);
    });

    test('bundled catalogs open read-only as kmflow documents', async () => {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('kmflow-catalog:/std.kmflow'));
        assert.match(doc.getText(), /tool\s+log\b/);
        await waitFor('the kmflow language', async () => (await vscode.workspace.openTextDocument(doc.uri)).languageId === 'kmflow');
    });

    test('history survives a reload: reports are read back from .kmflow/runs', async () => {
        const before = api.history.all().map((r) => r.runId);
        api.history.load([]);
        await vscode.commands.executeCommand('kmflow.refreshRuns');
        assert.deepEqual(api.history.all().map((r) => r.runId).sort(), before.sort());
        // Where each run came from comes back too, and with it reveal, rerun and resume.
        assert.ok(api.history.all().every((r) => r.source?.file?.endsWith('.kmflow')), 'every run has its source');
    });
});

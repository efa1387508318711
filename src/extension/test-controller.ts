/**
 * The Test Explorer's KM Flow tests: the `test` blocks the language server finds
 * (`kmflow/tests`: one item per file, a child per test with its range, so the editor
 * shows its own run buttons in the gutter), refreshed as `.kmflow` files change on disk
 * and as documents are edited; Run and Debug profiles (the same run: a test run has no
 * debugger to attach) send `kmflow/runTests` per file and apply each `kmflow/testResult`
 * as it arrives: passed, failed or errored with its duration, each failure a TestMessage
 * at its place (a diff of expected and actual for an `expect`). Cancelling the run
 * cancels the request; the tests without a result are skipped. The language server's
 * `Run Test` / `Debug Test` lenses run one test through the same profiles (`runTest`).
 */
import { vscode } from './vscode-api.js';
import { isRefusal, type TestFailureInfo, type TestFileInfo, type TestResultInfo } from '../shared/lsp-protocol.js';
import type { KmflowClient } from './kmflow-client.js';

/** A test's last outcome, for the extension's own tests. */
export interface TestOutcomeRecord {
    status: TestResultInfo['status'] | 'skipped';
    messages: Array<{ message: string; line?: number; expected?: string; actual?: string }>;
}

const testId = (uri: string, title: string): string => `${uri}#${title}`;

/** A value as a diff shows it. */
function shown(value: unknown): string {
    return value === undefined ? '(missing)' : JSON.stringify(value, null, 2) ?? String(value);
}

function testMessage(f: TestFailureInfo): vscode.TestMessage {
    const message = f.kind === 'expect' && ('expected' in f || 'actual' in f)
        ? vscode.TestMessage.diff(f.message, shown(f.expected), shown(f.actual))
        : new vscode.TestMessage(f.message);
    message.location = new vscode.Location(vscode.Uri.parse(f.uri), new vscode.Position(Math.max(0, f.line - 1), Math.max(0, f.column - 1)));
    return message;
}

export class KmflowTestController implements vscode.Disposable {
    readonly controller = vscode.tests.createTestController('kmflow', 'KM Flow');
    /** The last outcome of each test, by item id. */
    readonly outcomes = new Map<string, TestOutcomeRecord>();
    private readonly disposables: vscode.Disposable[] = [this.controller];
    private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
    private runs = 0;
    private readonly profiles: Record<'run' | 'debug', vscode.TestRunProfile>;

    constructor(private readonly server: KmflowClient) {
        const { controller } = this;
        controller.refreshHandler = () => this.refreshAll();
        controller.resolveHandler = async (item) => {
            if (!item) {
                await this.refreshAll();
            }
        };
        const run = (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => this.run(request, token);
        this.profiles = {
            run: controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, run, true),
            debug: controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, run, true),
        };
        const watcher = vscode.workspace.createFileSystemWatcher('**/*.kmflow');
        this.disposables.push(
            watcher,
            watcher.onDidCreate((uri) => this.schedule(uri.toString())),
            watcher.onDidChange((uri) => this.schedule(uri.toString())),
            watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
            vscode.workspace.onDidChangeTextDocument((e) => {
                if (e.document.languageId === 'kmflow' && e.contentChanges.length > 0) {
                    this.schedule(e.document.uri.toString());
                }
            }),
            vscode.workspace.onDidOpenTextDocument((d) => {
                if (d.languageId === 'kmflow' && d.uri.scheme === 'file') {
                    this.schedule(d.uri.toString());
                }
            }),
        );
    }

    /** Asks the server for every test of the workspace. */
    async refreshAll(): Promise<void> {
        const { files } = await this.server.request('kmflow/tests', {});
        const seen = new Set(files.map((f) => f.uri));
        this.controller.items.forEach((item) => {
            if (!seen.has(item.id)) {
                this.controller.items.delete(item.id);
            }
        });
        files.forEach((f) => this.update(f));
    }

    /**
     * The `Run Test` / `Debug Test` lenses: runs one test through its profile, as the
     * gutter's button does (the Test Explorer shows it), after asking the server for the
     * document's tests again when the lens is newer than the list. Its outcome, or
     * undefined when the document declares no such test.
     */
    async runTest(uri: string, title: string, kind: 'run' | 'debug' = 'run'): Promise<TestOutcomeRecord | undefined> {
        const find = (): vscode.TestItem | undefined => this.controller.items.get(uri)?.children.get(testId(uri, title));
        if (!find()) {
            await this.refresh(uri);
        }
        const item = find();
        if (!item) {
            return undefined;
        }
        const profile = this.profiles[kind];
        const source = new vscode.CancellationTokenSource();
        try {
            await profile.runHandler(new vscode.TestRunRequest([item], undefined, profile), source.token);
        } finally {
            source.dispose();
        }
        return this.outcomes.get(item.id);
    }

    /** Asks the server again for the tests of one document. */
    async refresh(uri: string): Promise<void> {
        const { files } = await this.server.request('kmflow/tests', { uri });
        const file = files[0];
        if (!file || file.tests.length === 0) {
            this.controller.items.delete(uri);
        } else {
            this.update(file);
        }
    }

    private schedule(uri: string): void {
        clearTimeout(this.pending.get(uri));
        this.pending.set(uri, setTimeout(() => {
            this.pending.delete(uri);
            this.refresh(uri).catch(() => undefined); // the server is not up yet: its start lists them
        }, 300));
    }

    private update(file: TestFileInfo): void {
        const uri = vscode.Uri.parse(file.uri);
        const item = this.controller.items.get(file.uri) ?? this.controller.createTestItem(file.uri, file.file, uri);
        item.label = file.file;
        const children = file.tests.map((t) => {
            const child = this.controller.createTestItem(testId(file.uri, t.title), t.title, uri);
            child.description = `for ${t.workflow}`;
            child.range = new vscode.Range(t.range.start.line, t.range.start.character, t.range.end.line, t.range.end.character);
            return child;
        });
        item.children.replace(children);
        this.controller.items.add(item);
    }

    /** The tests a request names, by file: undefined titles for a whole file. */
    private selected(request: vscode.TestRunRequest): Map<string, { items: vscode.TestItem[]; titles?: string[] }> {
        const excluded = new Set((request.exclude ?? []).map((i) => i.id));
        const byFile = new Map<string, { items: vscode.TestItem[]; titles?: string[] }>();
        const roots: vscode.TestItem[] = [];
        if (request.include) {
            roots.push(...request.include);
        } else {
            this.controller.items.forEach((i) => roots.push(i));
        }
        for (const item of roots.filter((i) => !excluded.has(i.id))) {
            const file = item.parent ?? item;
            const entry = byFile.get(file.id) ?? { items: [], titles: [] };
            if (item.parent) {
                entry.items.push(item);
                entry.titles?.push(item.label);
            } else {
                item.children.forEach((c) => {
                    if (!excluded.has(c.id)) {
                        entry.items.push(c);
                    }
                });
                entry.titles = excluded.size > 0 ? entry.items.map((c) => c.label) : undefined;
            }
            byFile.set(file.id, entry);
        }
        return byFile;
    }

    private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
        const run = this.controller.createTestRun(request);
        const byFile = this.selected(request);
        const left = new Map<string, vscode.TestItem>();
        for (const { items } of byFile.values()) {
            items.forEach((i) => {
                left.set(i.id, i);
                run.started(i);
            });
        }
        const apply = (result: TestResultInfo): void => {
            const item = left.get(testId(result.uri, result.title));
            if (!item) {
                return;
            }
            left.delete(item.id);
            const messages = result.failures.map(testMessage);
            this.outcomes.set(item.id, {
                status: result.status,
                messages: result.failures.map((f) => ({
                    message: f.message, line: f.line,
                    ...(f.kind === 'expect' && { expected: shown(f.expected), actual: shown(f.actual) }),
                })),
            });
            if (result.status === 'passed') {
                run.passed(item, result.durationMs);
            } else if (result.status === 'failed') {
                run.failed(item, messages, result.durationMs);
            } else {
                run.errored(item, messages, result.durationMs);
            }
        };
        try {
            for (const [uri, { items, titles }] of byFile) {
                if (token.isCancellationRequested || items.length === 0) {
                    continue;
                }
                const runId = `tests-${Date.now().toString(36)}-${++this.runs}`;
                const stop = this.server.listenTests(runId, apply);
                try {
                    const answer = await this.server.request('kmflow/runTests', { runId, uris: [uri], ...(titles && { titles }) }, token);
                    if (isRefusal(answer)) {
                        items.filter((i) => left.delete(i.id)).forEach((i) => run.errored(i, new vscode.TestMessage(answer.message)));
                    } else {
                        answer.results.forEach(apply);
                    }
                } catch (err) {
                    if (!token.isCancellationRequested) {
                        items.filter((i) => left.delete(i.id)).forEach((i) => run.errored(i, new vscode.TestMessage((err as Error).message)));
                    }
                } finally {
                    stop();
                }
            }
        } finally {
            for (const item of left.values()) {
                this.outcomes.set(item.id, { status: 'skipped', messages: [] });
                run.skipped(item);
            }
            run.end();
        }
    }

    dispose(): void {
        this.pending.forEach((t) => clearTimeout(t));
        this.disposables.forEach((d) => d.dispose());
    }
}

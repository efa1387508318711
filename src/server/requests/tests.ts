/**
 * `kmflow/tests`: the `test` blocks of one document, or of every workspace document that
 * declares one (as indexed or edited: titles and ranges only need the parse).
 * `kmflow/runTests`: runs the tests of documents, as the editor has them, through the
 * application layer's test runner (`runTests`: fake clocks, stubbed tools, nothing
 * journaled), each result sent as a `kmflow/testResult` notification as its test ends.
 * Documents run one after another, each one's tests many at once; cancelling the request
 * (or `kmflow/cancelRun` with the run id) starts no more tests, stops the runs going, and
 * answers the tests of the document it was in that did not finish as `skipped` (the
 * documents after it are not reached). Refused in an untrusted workspace, as runs are.
 */
import { isOperationCancelled } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { runTests } from '../../app/index.js';
import type { Refusal, RunTestsParams, SkippedTestInfo, TestResultInfo, TestRunResult, TestsParams, TestsResult } from '../../shared/lsp-protocol.js';
import { documentOf, relativeFile, rootOf, workspaceAt, type ServerContext } from '../context.js';
import { documentTests, resultInfo, testDecls, testFileInfo, uriOfPath } from '../test-cases.js';
import { UNTRUSTED_RUN } from './run.js';

export async function testsRequest(ctx: ServerContext, params: TestsParams, token?: CancellationToken): Promise<TestsResult> {
    if (params.uri !== undefined) {
        let document;
        try {
            document = await documentOf(ctx, params.uri, token);
        } catch (err) {
            if (isOperationCancelled(err)) {
                throw err;
            }
            return { files: [] };
        }
        return { files: [testFileInfo(document, relativeFile(params.uri, rootOf(ctx, params.uri)))] };
    }
    await ctx.ready();
    const folders = ctx.folders();
    const files = ctx.services.shared.workspace.LangiumDocuments.all
        .filter((d) => d.uri.scheme === 'file' && testDecls(d).length > 0)
        .filter((d) => folders.length === 0 || folders.some((f) => rootOf(ctx, d.uri.toString()) === f))
        .map((d) => testFileInfo(d, relativeFile(d.uri.toString(), rootOf(ctx, d.uri.toString()))))
        .toArray();
    return { files: files.sort((a, b) => a.uri.localeCompare(b.uri)) };
}

export async function runTestsRequest(ctx: ServerContext, params: RunTestsParams, token?: CancellationToken): Promise<TestRunResult | Refusal> {
    if (!ctx.trusted()) {
        return { kind: 'refused', code: 'untrusted', message: UNTRUSTED_RUN.replace(/^runs are/, 'tests are'), problems: [] };
    }
    const { runId } = params;
    if (ctx.runs.has(runId)) {
        return { kind: 'refused', code: 'duplicate-run', message: `run '${runId}' is already going`, problems: [] };
    }
    const controller = new AbortController();
    ctx.runs.set(runId, controller);
    const onCancel = token?.onCancellationRequested(() => controller.abort());
    if (token?.isCancellationRequested) {
        controller.abort();
    }
    const results: TestResultInfo[] = [];
    const snapshotFiles: string[] = [];
    const skipped: SkippedTestInfo[] = [];
    const send = (result: TestResultInfo): void => {
        results.push(result);
        ctx.notify('kmflow/testResult', { runId, result });
    };
    const titles = params.titles ? new Set(params.titles) : undefined;
    try {
        for (const uri of [...new Set(params.uris)]) {
            if (controller.signal.aborted) {
                break;
            }
            let document;
            try {
                document = await documentOf(ctx, uri, token);
            } catch (err) {
                if (isOperationCancelled(err)) {
                    break;
                }
                throw err;
            }
            const root = rootOf(ctx, uri);
            const found = documentTests(ctx.services, document, titles);
            found.errored.forEach(send);
            if (found.cases.length === 0) {
                continue;
            }
            const uriOf = uriOfPath(document);
            const summary = await runTests(workspaceAt(ctx, root), found.cases, {
                updateSnapshots: params.updateSnapshots === true,
                display: (file) => file,
                onResult: (r) => send(resultInfo(r, uriOf)),
                signal: controller.signal,
            });
            snapshotFiles.push(...summary.snapshotFiles.map((f) => relativeFile(uriOf(f), root)));
            skipped.push(...(summary.skipped ?? []).map((t) => ({ uri, title: t.name, workflow: t.workflow })));
        }
    } finally {
        ctx.runs.delete(runId);
        onCancel?.dispose();
    }
    const count = (status: TestResultInfo['status']): number => results.filter((r) => r.status === status).length;
    return {
        kind: 'tests', results, passed: count('passed'), failed: count('failed'), errored: count('errored'), snapshotFiles,
        ...(controller.signal.aborted && { cancelled: true, skipped }),
    };
}

/**
 * The `test` blocks of the server's own documents, as the Test Explorer lists them and
 * as the application layer's test runner (src/app/testing) runs them: each built from
 * the validated document the editor has (unsaved edits included), not read again from
 * disk, with its workflow prepared as `kmflow test` prepares it. A test whose file, or
 * whose workflow's file, has errors is not run: it comes back `errored` at the first error.
 */
import { AstUtils, URI, type LangiumDocument } from 'langium';
import { checked, testCaseOf, type TestCase, type TestFailure, type TestResult } from '../app/index.js';
import { isDocument, type TestDecl } from '../language/generated/ast.js';
import type { CliDiagnostic } from '../language/diagnostic-format.js';
import type { KmflowServices } from '../language/kmflow-module.js';
import type { TestFailureInfo, TestFileInfo, TestInfo, TestOutcome, TestResultInfo } from '../shared/lsp-protocol.js';

/** The test blocks of a document (none when it is not a kmflow document). */
export function testDecls(document: LangiumDocument): TestDecl[] {
    const root = document.parseResult.value;
    return isDocument(root) ? root.tests : [];
}

/** A document's tests as `kmflow/tests` lists them. */
export function testFileInfo(document: LangiumDocument, file: string): TestFileInfo {
    const tests: TestInfo[] = testDecls(document).flatMap((t) => (t.$cstNode
        ? [{ title: t.title, workflow: t.workflow?.$refText ?? '', range: t.$cstNode.range }]
        : []));
    return { uri: document.uri.toString(), file, tests };
}

/** What a document's tests become: cases to run, and results of those that cannot run. */
export interface DocumentTests {
    cases: TestCase[];
    errored: TestResultInfo[];
}

/**
 * The tests of `document` (those titled `titles`, if given) ready for `runTests`. Their
 * `file` and `path` are the document's path: results and failures name files by path,
 * which `resultInfo` turns back into URIs.
 */
export function documentTests(services: KmflowServices, document: LangiumDocument, titles?: ReadonlySet<string>): DocumentTests {
    const decls = testDecls(document);
    const path = document.uri.fsPath;
    const own = firstError(document);
    const result: DocumentTests = { cases: [], errored: [] };
    for (const test of decls) {
        if (titles && !titles.has(test.title)) {
            continue;
        }
        const workflow = test.workflow?.ref;
        const start = test.$cstNode?.range.start ?? { line: 0, character: 0 };
        const error = own ?? (workflow ? firstError(AstUtils.getDocument(workflow)) : undefined);
        if (error || !workflow) {
            const place = error ?? { uri: document.uri.toString(), line: start.line + 1, column: start.character + 1, message: 'its workflow cannot be found' };
            result.errored.push({
                uri: document.uri.toString(), title: test.title, workflow: test.workflow?.$refText ?? '', status: 'errored', durationMs: 0,
                failures: [{ ...place, kind: 'check-errors', message: `not run: ${place.message}` }],
            });
            continue;
        }
        const found = testCaseOf(services, document, test, path, decls.map((t) => t.title));
        if (found) {
            result.cases.push(found.test);
        }
    }
    return result;
}

/** The first error of a validated document, placed (`file:line:col: code: message`). */
function firstError(document: LangiumDocument): { uri: string; line: number; column: number; message: string } | undefined {
    const error: CliDiagnostic | undefined = checked(document.uri.fsPath, document).errors
        .sort((a, b) => a.line - b.line || a.column - b.column)[0];
    return error && {
        uri: document.uri.toString(), line: error.line, column: error.column,
        message: `${uriLabel(document)}:${error.line}:${error.column}: ${error.code}: ${error.message}`,
    };
}

function uriLabel(document: LangiumDocument): string {
    return document.uri.path.split('/').pop() ?? document.uri.toString();
}

/** Setup problems and expectations that cannot be evaluated leave a test unjudged: errored, not failed. */
const UNJUDGED = new Set<TestFailure['kind']>(['setup', 'expression']);

/** A runner's result as the protocol carries it; `uriOf` turns the paths it names into URIs. */
export function resultInfo(result: TestResult, uriOf: (file: string) => string): TestResultInfo {
    const failures: TestFailureInfo[] = result.failures.map((f) => ({
        uri: uriOf(f.file), line: f.line, column: f.column, kind: f.kind, message: f.message,
        ...('expected' in f && { expected: f.expected }), ...('actual' in f && { actual: f.actual }),
    }));
    const status: TestOutcome = result.status === 'passed' ? 'passed'
        : result.failures.length > 0 && result.failures.every((f) => UNJUDGED.has(f.kind)) ? 'errored' : 'failed';
    return {
        uri: uriOf(result.file), title: result.name, workflow: result.workflow, status, failures,
        durationMs: Math.round(result.wallMs),
        ...(result.simulatedMs !== undefined && { simulatedMs: result.simulatedMs }),
        ...(result.runStatus !== undefined && { runStatus: result.runStatus }),
        passedExpectations: result.passedExpectations,
        ...(result.snapshot !== undefined && { snapshot: result.snapshot }),
    };
}

/** A path's URI, or `known`'s when it is that document's path (the client's own spelling of it). */
export function uriOfPath(known: LangiumDocument): (file: string) => string {
    return (file) => (file === known.uri.fsPath ? known.uri.toString() : URI.file(file).toString());
}

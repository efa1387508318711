/**
 * Finding tests: the `test` blocks of the files asked for (else of every `.kmflow` file
 * under the root that declares one), each with its workflow prepared as a run would
 * prepare it, wherever that workflow is declared. A test file, or the file of a tested
 * workflow, with errors runs nothing: its errors come back, placed, for the caller to show.
 */
import * as path from 'node:path';
import { AstUtils, type LangiumDocument } from 'langium';
import { isDocument, type TestDecl } from '../../language/generated/ast.js';
import { prepareRun } from '../../language/prepare-run.js';
import { toTestSpec } from '../../language/to-test-spec.js';
import { testFiles } from '../../language/workspace-context.js';
import type { CliDiagnostic } from '../../language/diagnostic-format.js';
import type { FileProblem } from '../../language/load-files.js';
import type { KmflowServices } from '../../language/kmflow-module.js';
import { checked, type Workspace } from '../workspace.js';
import type { TestCase } from './test-types.js';

export interface TestLoadOptions {
    /** Only tests whose name contains this text. */
    filter?: string;
    /** How a file is shown in results and diagnostics; default relative to the root. */
    display?: (file: string) => string;
}

export interface LoadedTests {
    /** In file order, then declaration order. */
    tests: TestCase[];
    /** Diagnostics of the test files and of the tested workflows' files. */
    diagnostics: CliDiagnostic[];
    /** The errors among them: while there are any, no test should run. */
    errors: CliDiagnostic[];
    /** Files that could not be read. */
    problems: FileProblem[];
}

/** The test files under the root, for `kmflow test` without files. */
export function findTestFiles(workspace: Workspace): Promise<string[]> {
    return testFiles(workspace.root);
}

/** Loads and checks `files` and finds their tests. */
export async function loadTests(workspace: Workspace, files: readonly string[], options: TestLoadOptions = {}): Promise<LoadedTests> {
    const display = options.display ?? ((file: string) => relativeTo(workspace.root, file));
    const absolute = files.map((f) => path.resolve(workspace.root, f));
    const loaded = await workspace.load({ files: absolute });
    const result: LoadedTests = {
        tests: [], diagnostics: [], errors: [],
        problems: loaded.problems.map((p) => ({ ...p, file: display(p.file) })),
    };
    const reported = new Set<LangiumDocument>();
    const report = (document: LangiumDocument): void => {
        if (!reported.has(document)) {
            reported.add(document);
            const diagnostics = checked(display(document.uri.fsPath), document).diagnostics;
            result.diagnostics.push(...diagnostics);
            result.errors.push(...diagnostics.filter((d) => d.severity === 'error'));
        }
    };
    for (const { document } of loaded.files) {
        const root = document.parseResult.value;
        const tests = isDocument(root) ? root.tests : [];
        report(document);
        for (const test of tests) {
            if (options.filter !== undefined && !test.title.includes(options.filter)) {
                continue;
            }
            const found = testCaseOf(workspace.services, document, test, display(document.uri.fsPath), tests.map((t) => t.title));
            if (found) {
                report(AstUtils.getDocument(found.workflowNode));
                result.tests.push(found.test);
            }
        }
    }
    return result;
}

/**
 * One test block of a built document as the runner takes it (`file`: how results name
 * its file), with the workflow node it tests; undefined when its workflow is unknown
 * (that error is the document's). The CLI's loader and the language server both use it.
 */
export function testCaseOf(services: KmflowServices, document: LangiumDocument, test: TestDecl, file: string, siblings: string[]) {
    const workflow = test.workflow?.ref;
    if (!workflow || !test.$cstNode) {
        return undefined;
    }
    const start = test.$cstNode.range.start;
    const prepared = prepareRun(services, AstUtils.getDocument(workflow), workflow.name);
    return {
        workflowNode: workflow,
        test: {
            id: `${file} > ${test.title}`,
            name: test.title,
            workflow: workflow.name,
            file,
            line: start.line + 1,
            column: start.character + 1,
            path: document.uri.fsPath,
            siblings,
            spec: toTestSpec(services, test),
            prepared,
        } satisfies TestCase,
    };
}

/** `file` relative to `root` when it lies inside, else as it is. */
export function relativeTo(root: string, file: string): string {
    const relative = path.relative(root, file);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

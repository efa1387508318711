/** Loads and checks one workflow file for commands that run or plan it. */
import { NodeFileSystem } from 'langium/node';
import type { LangiumDocument } from 'langium';
import { createKmflowServices, type KmflowServices } from '../language/kmflow-module.js';
import { diagnosticsOf, loadFiles } from '../language/load-files.js';
import { formatDiagnostic, toCliDiagnostic } from './diagnostic-format.js';
import type { CommandContext } from './command-context.js';
import { prepareRun, type PreparedRun } from '../language/prepare-run.js';

export interface LoadedWorkflowFile {
    services: KmflowServices;
    file: string;
    document: LangiumDocument;
}

/**
 * The checked document of the command's FILE, or undefined after printing why it cannot
 * be used (missing, unreadable, or with errors: each error as `file:line:col ...`).
 */
export async function loadCheckedFile(ctx: CommandContext, command: string): Promise<LoadedWorkflowFile | undefined> {
    const [file, ...extra] = ctx.positionals;
    if (!file || extra.length > 0) {
        ctx.fail(`${command} takes exactly one FILE`);
        return undefined;
    }
    return (await loadCheckedFiles(ctx, [file]))?.[0];
}

/**
 * The checked documents of FILES, loaded together in one workspace (with the root's
 * server declarations as context), or undefined after printing why they cannot be used.
 */
export async function loadCheckedFiles(ctx: CommandContext, files: string[]): Promise<LoadedWorkflowFile[] | undefined> {
    const { Kmflow } = createKmflowServices(NodeFileSystem);
    const loaded = await loadFiles(Kmflow, files, { root: ctx.root });
    if (loaded.lockError) {
        ctx.err(`warning: ${loaded.lockError}`);
    }
    if (loaded.problems.length > 0) {
        ctx.fail(`${loaded.problems[0].file}: ${loaded.problems[0].message}`);
        return undefined;
    }
    let failed = false;
    for (const { file, document } of loaded.documents) {
        const errors = diagnosticsOf(document).map((d) => toCliDiagnostic(file, d)).filter((d) => d.severity === 'error');
        for (const e of errors) {
            ctx.err(formatDiagnostic(e));
        }
        if (errors.length > 0) {
            ctx.fail(`${file} has ${errors.length} error(s); fix them first (kmflow check ${file})`);
            failed = true;
        }
    }
    return failed ? undefined : loaded.documents.map(({ file, document }) => ({ services: Kmflow, file, document }));
}

/**
 * The shape of `plan`, `analyze` and `optimize`: load and check FILE, prepare its workflow
 * (`--workflow`), compute, and print the result as JSON (`--json`) or for people. Exit 2
 * when the file or the workflow cannot be used.
 */
export async function reportOnWorkflow<T>(
    ctx: CommandContext,
    command: string,
    compute: (loaded: LoadedWorkflowFile, prepared: PreparedRun) => Promise<T>,
    format: (result: T) => string,
): Promise<number> {
    const loaded = await loadCheckedFile(ctx, command);
    if (!loaded) {
        return 2;
    }
    let result: T;
    try {
        result = await compute(loaded, prepareRun(loaded.services, loaded.document, ctx.options.workflow as string | undefined));
    } catch (err) {
        ctx.fail(`${loaded.file}: ${(err as Error).message}`);
        return 2;
    }
    ctx.out(ctx.json ? JSON.stringify(result, null, 2) : format(result));
    return 0;
}

/** Loads and checks workflow files for commands that run or plan them, through the app layer. */
import { Workspace, prepareChecked, RunRequestError, type CheckedFile, type PreparedWorkflowRun } from '../app/index.js';
import { formatDiagnostic } from '../language/diagnostic-format.js';
import type { CommandContext } from './command-context.js';
import { cliTrust } from './cli-trust.js';
import { collectGarbage } from './collect-garbage.js';

/**
 * A parse's garbage is collected when the heap is past this once parsing is done: a
 * 50,000-step file's (~30 MB) would otherwise stay through linking and checking, the
 * command's peak (measured: 420 -> 390 MB RSS). A 10,000-step file stays well under it.
 */
const AFTER_PARSE_MIN_HEAP_BYTES = 160 * 1024 * 1024;

/** The CLI's workspace: `--root` (else the current directory), trusted as the CLI's flags say. */
export function cliWorkspace(ctx: CommandContext): Workspace {
    return Workspace.open({ root: ctx.root, trust: cliTrust(ctx), afterParse: () => collectGarbage(AFTER_PARSE_MIN_HEAP_BYTES) });
}

export interface LoadedWorkflowFile extends CheckedFile {
    workspace: Workspace;
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
    const workspace = cliWorkspace(ctx);
    const loaded = await workspace.load({ files });
    if (loaded.lockError) {
        ctx.err(`warning: ${loaded.lockError}`);
    }
    if (loaded.problems.length > 0) {
        ctx.fail(`${loaded.problems[0]!.file}: ${loaded.problems[0]!.message}`);
        return undefined;
    }
    let failed = false;
    for (const f of loaded.files) {
        f.errors.forEach((e) => ctx.err(formatDiagnostic(e)));
        if (f.errors.length > 0) {
            ctx.fail(`${f.file} has ${f.errors.length} error(s); fix them first (kmflow check ${f.file})`);
            failed = true;
        }
    }
    return failed ? undefined : loaded.files.map((f) => ({ ...f, workspace }));
}

/**
 * The shape of `plan`, `analyze` and `optimize`: load and check FILE, prepare its workflow
 * (`--workflow`), compute, and print the result as JSON (`--json`) or for people. Exit 2
 * when the file or the workflow cannot be used.
 */
export async function reportOnWorkflow<T>(
    ctx: CommandContext,
    command: string,
    compute: (loaded: LoadedWorkflowFile, prepared: PreparedWorkflowRun) => Promise<T>,
    format: (result: T) => string,
): Promise<number> {
    const loaded = await loadCheckedFile(ctx, command);
    if (!loaded) {
        return 2;
    }
    let result: T;
    try {
        const [prepared] = prepareChecked(loaded.workspace, loaded, { workflow: ctx.options.workflow as string | undefined });
        result = await compute(loaded, prepared!);
    } catch (err) {
        ctx.fail(err instanceof RunRequestError ? err.message : `${loaded.file}: ${(err as Error).message}`);
        return 2;
    }
    ctx.out(ctx.json ? JSON.stringify(result, null, 2) : format(result));
    return 0;
}

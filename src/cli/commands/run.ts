/**
 * `kmflow run FILE... [--workflow ID] [--input k=v]... [--resume RUN_ID|last] [--resume-lenient] [--rerun-from STEP]
 * [--record [NAME] | --replay NAME] [--max-output SIZE] [--allow-exec] [--json]`: runs a workflow with a live line per running step. Exit 0
 * succeeded, 1 failed (or partial, cancelled, rolled back), 2 bad usage or an invalid
 * file. Ctrl-C cancels the run (running steps stop through their AbortSignal) and the
 * report is still written.
 *
 * Every run is journaled to `ROOT/.kmflow/runs/RUN_ID.jsonl` (and its report to
 * `RUN_ID.report.json`); `--resume` picks a killed or failed run up from its journal
 * (refusing a damaged one unless `--resume-lenient`; `--rerun-from STEP` runs that step and
 * everything downstream of it again even if they completed).
 * Several FILEs run at once on one shared resource pool (`runWorkflows`); `--json`
 * then prints `{"reports":[...]}`.
 *
 * `--record [NAME]` writes every MCP call to the cassette `ROOT/.kmflow/recordings/NAME.json`
 * (NAME defaults to the workflow id; a NAME with a `/` or ending in `.json` is a path);
 * `--replay NAME` answers every MCP call from it, starting no server (docs/testing.md).
 */
import { reportJson } from '../../engine/run/index.js';
import { RunSetupError } from '../../engine/run/index.js';
import { CassetteError } from '../../engine/state/index.js';
import type { RunReport } from '../../engine/run/index.js';
import { resumeSecretNote } from '../../engine/security/index.js';
import { parseInputArg } from '../../language/prepare-run.js';
import { declaresWorkflow, prepareChecked, runPrepared, RunRequestError, type PreparedWorkflowRun, type RunItem, type RunRoot } from '../../app/index.js';
import { loadCheckedFiles } from '../load-one.js';
import { RunProgress, formatReport } from '../run-progress.js';
import type { CommandContext } from '../command-context.js';
import { maxOutputOption } from '../max-output.js';
import { collectGarbage } from '../collect-garbage.js';
import { cassetteOptions } from '../cassette-options.js';

interface Loaded extends RunItem {
    file: string;
    prepared: PreparedWorkflowRun;
    inputs: Record<string, unknown>;
}

/**
 * Loads and checks the FILEs together and prepares each one's workflow; a file that
 * declares no workflow (only servers or tools) is context. Undefined after saying why
 * on a usage error. Keeps nothing of the documents: the run gets the workspace's root
 * (`runRoot`), so their trees can be collected while it runs.
 */
async function loadAll(ctx: CommandContext): Promise<{ workspace: RunRoot; all: Loaded[] } | undefined> {
    const out: Loaded[] = [];
    const args = (ctx.options.input as string[] | undefined) ?? [];
    const used = new Set<string>();
    const files = await loadCheckedFiles(ctx, ctx.positionals);
    if (!files) {
        return undefined;
    }
    const runnable = files.filter(declaresWorkflow);
    if (runnable.length === 0) {
        ctx.fail(`${files.map((f) => f.file).join(', ')}: no workflow to run (the file${files.length > 1 ? 's declare' : ' declares'} none)`);
        return undefined;
    }
    for (const loaded of runnable) {
        try {
            const [prepared] = prepareChecked(loaded.workspace, loaded, { workflow: ctx.options.workflow as string | undefined });
            const inputs: Record<string, unknown> = {};
            for (const arg of args) {
                const name = arg.slice(0, Math.max(0, arg.indexOf('=')));
                // With several workflows, an --input goes to those that declare it.
                if (runnable.length > 1 && !prepared!.workflow.inputs.some((i) => i.name === name)) {
                    continue;
                }
                const [key, value] = parseInputArg(prepared!.workflow.inputs, arg);
                inputs[key] = value;
                used.add(arg);
            }
            out.push({ file: loaded.file, prepared: prepared!, inputs });
        } catch (err) {
            ctx.fail(err instanceof RunRequestError ? err.message : `${loaded.file}: ${(err as Error).message}`);
            return undefined;
        }
    }
    const unused = args.filter((a) => !used.has(a));
    if (unused.length > 0) {
        ctx.fail(`no workflow takes input '${unused[0]!.split('=')[0]}'`);
        return undefined;
    }
    return { workspace: runnable[0]!.workspace.runRoot(), all: out };
}

export async function runCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length === 0) {
        ctx.fail('run takes a FILE (or several, to run them together)');
        return 2;
    }
    const resume = ctx.options.resume as string | undefined;
    let loaded: Awaited<ReturnType<typeof loadAll>>;
    try {
        loaded = await loadAll(ctx);
    } catch (err) {
        ctx.fail(String((err as Error).message));
        return 2;
    }
    if (!loaded) {
        return 2;
    }
    const { workspace, all } = loaded;
    loaded = undefined;
    // The documents are unreachable now (`loadAll` keeps only the engine's model).
    collectGarbage();
    const maxOutputBytes = maxOutputOption(ctx);
    if (maxOutputBytes === false) {
        return 2;
    }
    if (resume === undefined && (ctx.options['resume-lenient'] || ctx.options['rerun-from'] !== undefined)) {
        ctx.fail(`${ctx.options['resume-lenient'] ? '--resume-lenient' : '--rerun-from'} goes with --resume RUN_ID|last`);
        return 2;
    }
    if (resume !== undefined && all.length > 1) {
        ctx.fail('--resume takes one workflow (the files given declare several)');
        return 2;
    }
    const cassette = cassetteOptions(ctx, all.map((l) => l.prepared.workflow.id));
    if (cassette === false) {
        return 2;
    }
    if (resume !== undefined) {
        const note = resumeSecretNote(all[0]!.prepared.workflow, { secrets: 'from the environment', inputs: 'from --input' });
        if (note) {
            ctx.err(`note: ${note}`);
        }
    }
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
        interrupts++;
        if (interrupts === 1) {
            ctx.err('cancelling the run (Ctrl-C again to quit at once)');
            controller.abort(new Error('cancelled by the user (SIGINT)'));
        } else {
            process.exit(130);
        }
    };
    process.on('SIGINT', onSigint);
    const progress = new RunProgress(process.stderr);
    let reports: RunReport[];
    try {
        reports = await runPrepared(workspace, all, {
            signal: controller.signal,
            onEvent: (event) => progress.onEvent(event),
            onWarning: (message) => ctx.err(message.startsWith('could not') ? `warning: ${message}` : message),
            ...(maxOutputBytes !== undefined && { maxOutputBytes }),
            ...cassette.request,
            ...(resume !== undefined && { resume: {
                runId: resume, lenient: Boolean(ctx.options['resume-lenient']), rerunFrom: ctx.options['rerun-from'] as string | undefined,
            } }),
        });
    } catch (err) {
        progress.stop();
        if (err instanceof CassetteError) {
            ctx.fail(err.message);
            return 2;
        }
        if (err instanceof RunSetupError) {
            const l = all.find((x) => err.message.includes(`'${x.prepared.workflow.id}'`)) ?? all[0]!;
            const loc = l.prepared.workflow.location;
            ctx.fail(`${loc ? `${l.file}:${loc.line}:${loc.column}` : l.file}: ${err.message}`);
            return 2;
        }
        throw err;
    } finally {
        process.off('SIGINT', onSigint);
    }
    cassette.done();
    if (ctx.json) {
        ctx.out(reportJson(reports.length === 1 && all.length === 1 ? reports[0]! : { reports }, 2));
    } else {
        ctx.out(reports.map(formatReport).join('\n\n'));
    }
    return reports.every((r) => r.status === 'succeeded') ? 0 : 1;
}

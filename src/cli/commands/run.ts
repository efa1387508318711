/**
 * `kmflow run FILE... [--workflow ID] [--input k=v]... [--resume RUN_ID|last] [--resume-lenient] [--max-output SIZE]
 * [--allow-exec] [--json]`: runs a workflow with a live line per running step. Exit 0
 * succeeded, 1 failed (or partial, cancelled, rolled back), 2 bad usage or an invalid
 * file. Ctrl-C cancels the run (running steps stop through their AbortSignal) and the
 * report is still written.
 *
 * Every run is journaled to `ROOT/.kmflow/runs/RUN_ID.jsonl` (and its report to
 * `RUN_ID.report.json`); `--resume` picks a killed or failed run up from its journal
 * (refusing a damaged one unless `--resume-lenient`).
 * Several FILEs run at once on one shared resource pool (`runWorkflows`); `--json`
 * then prints `{"reports":[...]}`.
 */
import * as path from 'node:path';
import { runWorkflow, runWorkflows } from '../../engine/run/scheduler.js';
import { estimateFromHistory, loadHistory, recordRun } from '../../engine/state/history/index.js';
import { createRouter, measuringConnectors, RoutingStats } from '../../engine/insight/routing.js';
import { BUILTIN_SERVER, createBuiltinConnector } from '../../engine/tools/builtins/index.js';
import type { WorkflowSpec } from '../../engine/model/model.js';
import { reportJson } from '../../engine/run/report-json.js';
import { RunSetupError } from '../../engine/run/run-setup.js';
import type { Connector } from '../../engine/tools/registry.js';
import type { RunOptions, RunReport } from '../../engine/run/run-types.js';
import { parseInputArg, prepareRun, PrepareError, type PreparedRun } from '../../language/prepare-run.js';
import { loadCheckedFiles } from '../load-one.js';
import type { LangiumDocument } from 'langium';
import { isDocument } from '../../language/generated/ast.js';
import { RunProgress, formatReport } from '../run-progress.js';
import { openConnectors, type OpenConnectors } from '../connectors.js';
import { cliTrust } from '../cli-trust.js';
import { serverSecretNames } from '../../engine/tools/connectors/server-values.js';
import { pickSecrets, resumeSecretNote } from '../../engine/security/secret-values.js';
import type { CommandContext } from '../command-context.js';
import { maxOutputOption } from '../max-output.js';

interface Loaded {
    file: string;
    prepared: PreparedRun;
    inputs: Record<string, unknown>;
}

/**
 * Loads and checks the FILEs together and prepares each one's workflow; a file that
 * declares no workflow (only servers or tools) is context. Undefined after saying why
 * on a usage error.
 */
async function loadAll(ctx: CommandContext): Promise<Loaded[] | undefined> {
    const out: Loaded[] = [];
    const args = (ctx.options.input as string[] | undefined) ?? [];
    const used = new Set<string>();
    const files = await loadCheckedFiles(ctx, ctx.positionals);
    if (!files) {
        return undefined;
    }
    const runnable = files.filter((f) => hasWorkflow(f.document));
    if (runnable.length === 0) {
        ctx.fail(`${files.map((f) => f.file).join(', ')}: no workflow to run (the file${files.length > 1 ? 's declare' : ' declares'} none)`);
        return undefined;
    }
    for (const loaded of runnable) {
        try {
            const prepared = prepareRun(loaded.services, loaded.document, ctx.options.workflow as string | undefined);
            const inputs: Record<string, unknown> = {};
            for (const arg of args) {
                const name = arg.slice(0, Math.max(0, arg.indexOf('=')));
                // With several workflows, an --input goes to those that declare it.
                if (runnable.length > 1 && !prepared.workflow.inputs.some((i) => i.name === name)) {
                    continue;
                }
                const [key, value] = parseInputArg(prepared.workflow.inputs, arg);
                inputs[key] = value;
                used.add(arg);
            }
            out.push({ file: loaded.file, prepared, inputs });
        } catch (err) {
            ctx.fail(`${loaded.file}: ${(err as Error).message}`);
            return undefined;
        }
    }
    const unused = args.filter((a) => !used.has(a));
    if (unused.length > 0) {
        ctx.fail(`no workflow takes input '${unused[0]!.split('=')[0]}'`);
        return undefined;
    }
    return out;
}

function hasWorkflow(document: LangiumDocument): boolean {
    const root = document.parseResult.value;
    return isDocument(root) && root.workflows.length > 0;
}

export async function runCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length === 0) {
        ctx.fail('run takes a FILE (or several, to run them together)');
        return 2;
    }
    const resume = ctx.options.resume as string | undefined;
    let all: Loaded[] | undefined;
    try {
        all = await loadAll(ctx);
    } catch (err) {
        // PrepareError (no such workflow) and unreadable files alike: a usage error.
        ctx.fail(err instanceof PrepareError ? err.message : String((err as Error).message));
        return 2;
    }
    if (!all) {
        return 2;
    }
    const maxOutputBytes = maxOutputOption(ctx);
    if (maxOutputBytes === false) {
        return 2;
    }
    if (resume === undefined && ctx.options['resume-lenient']) {
        ctx.fail('--resume-lenient goes with --resume RUN_ID|last');
        return 2;
    }
    if (resume !== undefined && all.length > 1) {
        ctx.fail('--resume takes one workflow (the files given declare several)');
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
    const opened: OpenConnectors[] = [];
    // Measured history drives critical-path priorities (and routing) where it exists.
    const history = await loadHistory(ctx.root);
    // Every call is measured into `routing`, so `selection adaptive` re-chooses on what this run saw.
    const routing = new RoutingStats(history);
    const measured = (map: ReadonlyMap<string, Connector>): Map<string, Connector> =>
        measuringConnectors(new Map([[BUILTIN_SERVER, createBuiltinConnector()], ...map]), routing);
    let reports: RunReport[];
    try {
        for (const l of all) {
            opened.push(await openConnectors(l.prepared, ctx, maxOutputBytes));
        }
        const base = {
            root: ctx.root,
            trust: cliTrust(ctx),
            // Secrets of the server blocks too: masked in every output, however they come back.
            secrets: pickSecrets(serverSecretNames(all.flatMap((l) => l.prepared.servers)), undefined, process.env),
            signal: controller.signal,
            onEvent: (event) => progress.onEvent(event),
            journalDir: path.join(ctx.root, '.kmflow', 'runs'),
            ...(maxOutputBytes !== undefined && { maxOutputBytes }),
            estimateMs: estimateFromHistory(history),
            // `uses capability` steps are routed on the history's figures (selection intelligent+).
            selectTool: createRouter(routing),
        } satisfies Partial<RunOptions>;
        if (all.length === 1) {
            const l = all[0]!;
            reports = [await runWorkflow(l.prepared.workflow, {
                ...base,
                registry: l.prepared.registry,
                connectors: measured(opened[0]!.map),
                inputs: l.inputs,
                ...(resume !== undefined && { resume: { runId: resume, lenient: Boolean(ctx.options['resume-lenient']) } }),
            })];
        } else {
            reports = await runWorkflows(
                all.map((l) => ({ workflow: l.prepared.workflow, inputs: l.inputs })),
                { ...base, registry: mergedRegistry(all), connectors: measured(mergedConnectors(opened)) },
            );
        }
    } catch (err) {
        progress.stop();
        if (err instanceof RunSetupError) {
            const l = all.find((x) => err.message.includes(`'${x.prepared.workflow.id}'`)) ?? all[0]!;
            const loc = l.prepared.workflow.location;
            ctx.fail(`${loc ? `${l.file}:${loc.line}:${loc.column}` : l.file}: ${err.message}`);
            return 2;
        }
        throw err;
    } finally {
        process.off('SIGINT', onSigint);
        await Promise.all(opened.map((c) => c.close()));
    }
    await recordHistory(ctx, all.map((l) => l.prepared.workflow), reports);
    if (ctx.json) {
        ctx.out(reportJson(reports.length === 1 && all.length === 1 ? reports[0]! : { reports }, 2));
    } else {
        ctx.out(reports.map(formatReport).join('\n\n'));
    }
    return reports.every((r) => r.status === 'succeeded') ? 0 : 1;
}

/**
 * One registry for several files' workflows. Tools are looked up by id, so files
 * declaring the same id must agree; the first declaration wins, as an import would.
 */
function mergedRegistry(all: Loaded[]): PreparedRun['registry'] {
    const registry = all[0]!.prepared.registry;
    for (const l of all.slice(1)) {
        for (const t of l.prepared.registry.all()) {
            if (!registry.has(t.id)) {
                registry.add(t);
            }
        }
    }
    return registry;
}

/** Connectors by server name; the same server name in two files means the first's. */
function mergedConnectors(opened: OpenConnectors[]): Map<string, Connector> {
    const map = new Map<string, Connector>();
    for (const o of opened) {
        for (const [name, c] of o.map) {
            if (!map.has(name)) {
                map.set(name, c);
            }
        }
    }
    return map;
}

/** Adds the runs' measurements to `.kmflow/metrics` for monitor, optimize, plan and routing. */
async function recordHistory(ctx: CommandContext, workflows: WorkflowSpec[], reports: RunReport[]): Promise<void> {
    for (let i = 0; i < reports.length; i++) {
        const workflow = workflows.find((w) => w.id === reports[i]!.workflow) ?? workflows[i]!;
        try {
            await recordRun(ctx.root, workflow, reports[i]!);
        } catch (err) {
            // History is an aid; a read-only workspace must not fail the run.
            ctx.err(`warning: could not record run history: ${(err as Error).message}`);
        }
    }
}

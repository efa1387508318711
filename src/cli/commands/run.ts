/**
 * `kmflow run FILE [--workflow ID] [--input k=v]... [--allow-exec] [--json]`: runs a
 * workflow with a live line per running step. Exit 0 succeeded, 1 failed (or partial,
 * cancelled, rolled back), 2 bad usage or an invalid file. Ctrl-C cancels the run
 * (running steps stop through their AbortSignal) and the report is still written.
 */
import { runWorkflow } from '../../engine/scheduler.js';
import { RunSetupError } from '../../engine/run-setup.js';
import type { RunReport } from '../../engine/run-types.js';
import { parseInputArg, prepareRun, PrepareError } from '../../language/prepare-run.js';
import { loadCheckedFile } from '../load-one.js';
import { RunProgress, formatReport } from '../run-progress.js';
import { openConnectors } from '../connectors.js';
import type { CommandContext } from '../command-context.js';

export async function runCommand(ctx: CommandContext): Promise<number> {
    const loaded = await loadCheckedFile(ctx, 'run');
    if (!loaded) {
        return 2;
    }
    let prepared;
    const inputs: Record<string, unknown> = {};
    try {
        prepared = prepareRun(loaded.services, loaded.document, ctx.options.workflow as string | undefined);
        for (const arg of (ctx.options.input as string[] | undefined) ?? []) {
            const [name, value] = parseInputArg(prepared.workflow.inputs, arg);
            inputs[name] = value;
        }
    } catch (err) {
        ctx.fail(`${loaded.file}: ${(err as Error).message}`);
        return err instanceof PrepareError || err instanceof Error ? 2 : 1;
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
    const connectors = await openConnectors(prepared, ctx);
    let report: RunReport;
    try {
        report = await runWorkflow(prepared.workflow, {
            registry: prepared.registry,
            connectors: connectors.map,
            inputs,
            root: ctx.root,
            allowExec: Boolean(ctx.options['allow-exec']),
            signal: controller.signal,
            onEvent: (event) => progress.onEvent(event),
        });
    } catch (err) {
        progress.stop();
        if (err instanceof RunSetupError) {
            const where = prepared.workflow.location ? `${loaded.file}:${prepared.workflow.location.line}:${prepared.workflow.location.column}` : loaded.file;
            ctx.fail(`${where}: ${err.message}`);
            return 2;
        }
        throw err;
    } finally {
        process.off('SIGINT', onSigint);
        await connectors.close();
    }
    if (ctx.json) {
        ctx.out(JSON.stringify(report, null, 2));
    } else {
        ctx.out(formatReport(report));
    }
    return report.status === 'succeeded' ? 0 : 1;
}

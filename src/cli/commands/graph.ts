/** `kmflow graph FILE [--format mermaid|dot|svg]`: the DAG as a picture, the predicted critical path marked. */
import { toDot, toMermaid, toSvg } from '../../engine/graph/index.js';
import { predictWorkflow } from '../../engine/insight/index.js';
import { estimateFromHistory, loadHistory } from '../../engine/state/index.js';
import { prepareChecked, RunRequestError } from '../../app/index.js';
import { loadCheckedFile } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

const FORMATS = ['mermaid', 'dot', 'svg'] as const;

export async function graphCommand(ctx: CommandContext): Promise<number> {
    const format = (ctx.options.format as string | undefined) ?? 'mermaid';
    if (!(FORMATS as readonly string[]).includes(format)) {
        ctx.fail(`--format is one of ${FORMATS.join(', ')}, not '${format}'`);
        return 2;
    }
    const loaded = await loadCheckedFile(ctx, 'graph');
    if (!loaded) {
        return 2;
    }
    let prepared;
    try {
        [prepared] = prepareChecked(loaded.workspace, loaded, { workflow: ctx.options.workflow as string | undefined });
    } catch (err) {
        ctx.fail(err instanceof RunRequestError ? err.message : `${loaded.file}: ${(err as Error).message}`);
        return 2;
    }
    const { workflow, registry } = prepared!;
    const tools = new Map(workflow.steps.map((s) => [s.id, s.tool ?? `capability ${s.capability}`]));
    // A checked file has no cycle: there is a path.
    const path = predictWorkflow(workflow, registry, estimateFromHistory(await loadHistory(ctx.root), workflow.id)).criticalPath;
    const options = { criticalPath: path.steps, tools };
    let text: string;
    if (format === 'svg') {
        text = await toSvg(workflow, options);
    } else {
        text = format === 'dot' ? toDot(workflow, options) : toMermaid(workflow, options);
    }
    if (ctx.json) {
        ctx.out(JSON.stringify({ workflow: workflow.id, format, criticalPath: path.steps, criticalPathMs: path.lengthMs, criticalPathKind: path.kind, text }));
    } else {
        process.stdout.write(text);
    }
    return 0;
}

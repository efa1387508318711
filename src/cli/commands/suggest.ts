/**
 * `kmflow suggest --capability X [--capability Y]... [--target T] [-o FILE]`: writes a
 * workflow covering the capabilities with the cheapest set of tools for the target, and
 * checks it before handing it over.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { OptimizationTarget } from '../../engine/model/model.js';
import { suggestTools } from '../../engine/insight/suggest.js';
import { createKmflowServices } from '../../language/kmflow-module.js';
import { loadFiles } from '../../language/load-files.js';
import { writeSuggestedWorkflow } from '../../language/workflow-writer.js';
import { toCliDiagnostic, formatDiagnostic } from '../diagnostic-format.js';
import type { CommandContext } from '../command-context.js';

const TARGETS: OptimizationTarget[] = ['performance', 'efficiency', 'reliability', 'cost', 'user_experience'];

export async function suggestCommand(ctx: CommandContext): Promise<number> {
    const capabilities = (ctx.options.capability as string[] | undefined) ?? [];
    const target = (ctx.options.target as OptimizationTarget | undefined) ?? 'performance';
    if (capabilities.length === 0) {
        ctx.fail('name at least one --capability (see kmflow tools for what exists)');
        return 2;
    }
    if (!TARGETS.includes(target)) {
        ctx.fail(`--target is one of ${TARGETS.join(', ')}, not '${target}'`);
        return 2;
    }
    const { Kmflow } = createKmflowServices(NodeFileSystem);
    await loadFiles(Kmflow, ctx.positionals);
    const seen = new Set<string>();
    const tools = Kmflow.shared.workspace.LangiumDocuments.all.toArray()
        .flatMap((doc) => Kmflow.tools.ToolIndex.visibleTools(doc))
        .filter((t) => !seen.has(t.id) && seen.add(t.id));
    const suggestion = suggestTools(capabilities, tools, target);
    const text = writeSuggestedWorkflow(suggestion);
    // Check what we hand over, as the user would.
    const factory = Kmflow.shared.workspace.LangiumDocumentFactory;
    const doc = factory.fromString(text, URI.file(path.join(ctx.root, '.kmflow-suggested.kmflow')));
    Kmflow.shared.workspace.LangiumDocuments.addDocument(doc);
    await Kmflow.shared.workspace.DocumentBuilder.build([doc], { validation: true });
    const errors = (doc.diagnostics ?? []).map((d) => toCliDiagnostic('suggested', d)).filter((d) => d.severity === 'error');
    const output = ctx.options.output as string | undefined;
    if (output) {
        await fs.writeFile(path.resolve(ctx.root, output), text);
    }
    if (ctx.json) {
        ctx.out(JSON.stringify({
            target, capabilities, uncovered: suggestion.uncovered, totalCost: suggestion.totalCost,
            tools: suggestion.tools.map((t) => ({ id: t.tool.id, covers: t.covers, cost: t.cost })), source: text,
        }, null, 2));
    } else if (!output) {
        process.stdout.write(text);
    }
    for (const e of errors) {
        ctx.err(formatDiagnostic(e));
    }
    if (suggestion.uncovered.length > 0) {
        ctx.err(`no usable tool provides: ${suggestion.uncovered.join(', ')}`);
    }
    return errors.length > 0 || suggestion.uncovered.length > 0 ? 1 : 0;
}

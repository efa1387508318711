/**
 * `kmflow suggest --capability X [--capability Y]... [--target T] [-o FILE]`: writes a
 * workflow covering the capabilities with the cheapest set of tools for the target, and
 * checks it before handing it over.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { OptimizationTarget } from '../../engine/model/index.js';
import { SUGGEST_TARGETS, suggestIn } from '../../app/index.js';
import { cliWorkspace } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

const TARGETS = SUGGEST_TARGETS;

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
    const workspace = cliWorkspace(ctx);
    // A suggestion picks from every bundled catalog.
    const loaded = await workspace.load({ files: ctx.positionals, context: false, allCatalogs: true });
    if (loaded.problems.length > 0) {
        ctx.fail(`${loaded.problems[0]!.file}: ${loaded.problems[0]!.message}`);
        return 2;
    }
    // Checked as the user would check it: a tool whose step does not check clean is left out.
    const { suggestion, text, dropped, problems } = await suggestIn(workspace, capabilities, target);
    const errors = problems.filter((p) => p.severity === 'error');
    const output = ctx.options.output as string | undefined;
    if (output) {
        await fs.writeFile(path.resolve(ctx.root, output), text);
    }
    if (ctx.json) {
        ctx.out(JSON.stringify({
            target, capabilities, uncovered: suggestion.uncovered, totalCost: suggestion.totalCost,
            tools: suggestion.tools.map((t) => ({ id: t.tool.id, covers: t.covers, cost: t.cost })), dropped, source: text,
        }, null, 2));
    } else if (!output) {
        process.stdout.write(text);
    }
    for (const d of dropped) {
        ctx.err(`left out ${d.tool}: ${d.problem}`);
    }
    for (const p of problems) {
        ctx.err(`suggested:${p.line} ${p.severity} ${p.message}`);
    }
    if (suggestion.uncovered.length > 0) {
        ctx.err(`no usable tool provides: ${suggestion.uncovered.join(', ')}`);
    }
    return errors.length > 0 || suggestion.uncovered.length > 0 ? 1 : 0;
}

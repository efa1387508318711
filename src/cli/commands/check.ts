/**
 * `kmflow check FILE... [--live] [--json]`: parse and validate; exit 0 clean, 1 errors, 2
 * unusable input. Server tools are checked against `.kmflow/schemas.lock.json`; with
 * `--live` the servers are asked too, drift from the lock is reported, and a server that
 * cannot be started or reached is a warning on its line that fails the check (exit 1).
 */
import { byPosition, formatDiagnostic, type CliDiagnostic } from '../../language/diagnostic-format.js';
import { cliWorkspace } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export async function checkCommand(ctx: CommandContext): Promise<number> {
    const files = ctx.positionals;
    if (files.length === 0) {
        ctx.fail('check needs at least one FILE (kmflow check workflow.kmflow)');
        return 2;
    }
    const loaded = await cliWorkspace(ctx).load({ files, live: Boolean(ctx.options.live) });
    if (loaded.lockError) {
        ctx.err(`warning: ${loaded.lockError}`);
    }
    const diagnostics: CliDiagnostic[] = loaded.files.flatMap((f) => f.diagnostics).sort(byPosition);
    if (ctx.json) {
        ctx.out(JSON.stringify({
            diagnostics,
            ...(loaded.problems.length > 0 && { errors: loaded.problems }),
        }, null, 2));
    } else {
        for (const d of diagnostics) {
            ctx.out(formatDiagnostic(d));
        }
        for (const p of loaded.problems) {
            ctx.err(`${p.file}: ${p.message}`);
        }
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
        ctx.err(`checked ${loaded.files.length} file(s): ${errors} error(s), ${warnings} warning(s)`);
    }
    if (loaded.problems.length > 0) {
        return 2;
    }
    // `--live` is a question to the servers: one that did not answer fails the check.
    const unreachable = Boolean(ctx.options.live) && diagnostics.some((d) => d.code === 'unverified-server' && d.severity === 'warning');
    return diagnostics.some((d) => d.severity === 'error') || unreachable ? 1 : 0;
}

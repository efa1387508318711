/** `--max-output SIZE` of `kmflow run`: the largest output one call may return (`output-limit.ts`). */
import { formatBytes, MAX_OUTPUT_CEILING, parseSize } from '../engine/run/index.js';
import type { CommandContext } from './command-context.js';

/** The limit in bytes; undefined when not given (the default); false after a usage error was said. */
export function maxOutputOption(ctx: CommandContext): number | undefined | false {
    const text = ctx.options['max-output'];
    if (typeof text !== 'string') {
        return undefined;
    }
    const bytes = parseSize(text);
    if (bytes === undefined || bytes < 1) {
        ctx.fail(`--max-output takes a size such as 64MB, 512KB or 1048576 (bytes), not '${text}'`);
        return false;
    }
    if (bytes > MAX_OUTPUT_CEILING) {
        ctx.fail(`--max-output goes up to ${formatBytes(MAX_OUTPUT_CEILING)}: outputs are kept in memory and in JSON documents (journal, report); have the tool write to a file instead`);
        return false;
    }
    return bytes;
}

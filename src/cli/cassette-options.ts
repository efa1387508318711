/**
 * `kmflow run`'s `--record [NAME]` and `--replay NAME`: which cassette file, checked
 * against the other options, as the RunRequest's `record` / `replay`, and the lines that
 * say what happened (on stderr: `--json` keeps stdout to the report).
 */
import * as path from 'node:path';
import { cassettePath } from '../engine/state/index.js';
import type { RunRequest } from '../app/index.js';
import type { CommandContext } from './command-context.js';

export interface CassetteOptions {
    request: Pick<RunRequest, 'record' | 'replay'>;
    /** Says where the calls were recorded or replayed from (after the run). */
    done(): void;
}

/** The options' cassette, or false after saying why they do not go together. */
export function cassetteOptions(ctx: CommandContext, workflows: string[]): CassetteOptions | false {
    const record = ctx.options.record as string | undefined;
    const replay = ctx.options.replay as string | undefined;
    if (record !== undefined && replay !== undefined) {
        ctx.fail('--record and --replay do not go together: a run records its MCP calls or replays them');
        return false;
    }
    if (replay !== undefined && ctx.options.resume !== undefined) {
        ctx.fail('--replay does not go with --resume: a replayed run keeps no journal');
        return false;
    }
    if (replay === '') {
        ctx.fail('--replay takes the NAME of a cassette (.kmflow/recordings/NAME.json) or its path');
        return false;
    }
    const shown = (file: string): string => path.relative(process.cwd(), file) || file;
    if (record !== undefined) {
        const file = cassettePath(ctx.root, record === '' ? workflows.join('+') : record, process.cwd());
        return { request: { record: file }, done: () => ctx.err(`MCP calls recorded to ${shown(file)}`) };
    }
    if (replay !== undefined) {
        const file = cassettePath(ctx.root, replay, process.cwd());
        return { request: { replay: file }, done: () => ctx.err(`MCP calls replayed from ${shown(file)} (no server started)`) };
    }
    return { request: {}, done: () => undefined };
}

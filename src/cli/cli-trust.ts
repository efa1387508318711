/**
 * The CLI's Trust: the user runs their own files, so it may start the servers they
 * declare, reach the network, work from a server `cwd` outside the root and read the
 * environment; `shell` steps only with `--allow-exec`.
 */
import { makeTrust, type Trust } from '../engine/security/index.js';
import type { CommandContext } from './command-context.js';

export function cliTrust(ctx: Pick<CommandContext, 'options'>): Trust {
    return makeTrust({
        spawn: true,
        network: true,
        outsideRoot: true,
        env: true,
        shell: ctx.options['allow-exec'] === true,
        grant: { shell: 'pass --allow-exec to kmflow run' },
    });
}

/**
 * `kmflow lsp --stdio`: the language server for Neovim, Helix, Emacs, Zed and friends
 * (`--node-ipc` when started by VS Code's client, which provides the IPC channel).
 * Untrusted unless `--trusted` (or the client's `initializationOptions.trusted`): it then
 * starts no `server` command and contacts no `url` to list tools; the schema lock only.
 */
import { startKmflowLanguageServer } from '../../server/main.js';
import { TRUSTED, UNTRUSTED } from '../../language/live-server-tools.js';
import type { CommandContext } from '../command-context.js';

export async function lspCommand(ctx: CommandContext): Promise<number> {
    if (!ctx.options.stdio && !ctx.options['node-ipc']) {
        ctx.fail('choose a transport: kmflow lsp --stdio');
        return 2;
    }
    if (ctx.options['node-ipc'] && typeof process.send !== 'function') {
        ctx.fail('--node-ipc needs the IPC channel of the editor that starts the server (VS Code\'s client does); ' +
            'from a terminal or any other editor use --stdio');
        return 2;
    }
    // vscode-languageserver reads the transport from process.argv.
    startKmflowLanguageServer(ctx.options.trusted ? TRUSTED : UNTRUSTED);
    // The connection keeps the process alive; never resolve, so main() sets no exit code.
    return new Promise<number>(() => undefined);
}

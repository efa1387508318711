/** `kmflow lsp --stdio`: the language server for Neovim, Helix, Emacs, Zed and friends. */
import { startKmflowLanguageServer } from '../../language/main.js';
import type { CommandContext } from '../command-context.js';

export async function lspCommand(ctx: CommandContext): Promise<number> {
    if (!ctx.options.stdio && !ctx.options['node-ipc']) {
        ctx.fail('choose a transport: kmflow lsp --stdio');
        return 2;
    }
    // vscode-languageserver reads the transport from process.argv.
    startKmflowLanguageServer();
    // The connection keeps the process alive; never resolve, so main() sets no exit code.
    return new Promise<number>(() => undefined);
}

/**
 * Langium's language server, answering `initialize` before it builds the parsers. Langium
 * makes every service at `initialize`, so that each may hear it; building the parser (the
 * grammar's analysis, the lexer) and the completion parser, another whole parser, was half
 * the server's start. None of them listens to `initialize`: here they are made after the
 * answer, the parser at once (the first document needs it; the client's `initialized` and
 * `didOpen` arrive meanwhile), the completion parser once the first documents are checked.
 * Each is still made when first asked for, should that be sooner. The completion provider,
 * which `initialize` does make (its options are in the answer), keeps stand-ins for them
 * (lazy-parsers.ts).
 */
import { DocumentState, eagerLoad } from 'langium';
import { DefaultLanguageServer } from 'langium/lsp';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver';

/** Groups, and services of a group, not made at `initialize` (the hydrator takes the lexer). */
const LATER: Record<string, true | readonly string[]> = { parser: true, serializer: ['Hydrator'] };

export class KmflowLanguageServer extends DefaultLanguageServer {
    override async initialize(params: InitializeParams): Promise<InitializeResult> {
        const result = await super.initialize(params);
        const languages = this.services.ServiceRegistry.all;
        // After the answer is written (it goes out as this promise resolves).
        setImmediate(() => languages.forEach((language) => void language.parser.AsyncParser));
        const first = this.services.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, () => {
            first.dispose();
            setImmediate(() => languages.forEach((language) => void language.parser.CompletionParser));
        });
        return result;
    }

    protected override eagerLoadServices(): void {
        eagerLoad(this.services);
        for (const language of this.services.ServiceRegistry.all) {
            const groups = language as unknown as Record<string, Record<string, unknown>>;
            // Reflect.ownKeys lists a group's services without making them (Object.keys would).
            for (const group of Reflect.ownKeys(groups) as string[]) {
                const later = LATER[group];
                if (later === true) {
                    continue;
                }
                if (!later) {
                    eagerLoad(groups[group]);
                    continue;
                }
                for (const name of Reflect.ownKeys(groups[group]!) as string[]) {
                    if (!later.includes(name)) {
                        eagerLoad(groups[group]![name]);
                    }
                }
            }
        }
    }
}

/**
 * Fuzzing the language server over a real connection: seeded random edits (spans cut from
 * example workflows, binary junk, a huge line now and then, half-typed constructs and
 * pathological nesting), in bursts, each burst followed by one or a few requests of every
 * kind an editor sends (completion, hover, definition, formatting, code actions, semantic
 * tokens, inlay hints, symbols, code lenses). Every request must be answered within the
 * hang bound; the server must never exit. `test/lsp/robustness.test.ts` runs a short
 * fuzz, `bench/lsp-fuzz.ts` a long one.
 */
import type { Diagnostic, Position, Range } from 'vscode-languageserver-protocol';
import { seededRandom } from '../../src/engine/run/retry.js';
import { offsetToPosition, type LspClient } from './lsp-client.js';

export interface FuzzOptions {
    edits: number;
    seed: number;
    /** Texts the edits cut spans from; the document starts as all of them. */
    sources: string[];
    /** A request unanswered this long is a hang (default 5 s). */
    hangMs?: number;
    /** Documents grow by huge lines; past this size (default 100,000 characters) the text starts over. */
    maxLength?: number;
    /** Called every 1,000 edits. */
    progress?: (done: number, result: FuzzResult) => void;
}

export interface FuzzResult {
    edits: number;
    requests: number;
    /** Requests that failed for a reason other than cancellation (an exception in the server). */
    failures: string[];
    /** Requests not answered within the hang bound. */
    hangs: string[];
    latencies: number[];
    maxLatencyMs: number;
    slowest: string;
    elapsedMs: number;
    crashed: boolean;
}

const KINDS = ['completion', 'hover', 'definition', 'formatting', 'codeAction', 'semanticTokens', 'inlayHints',
    'documentSymbols', 'codeLens'] as const;
type Kind = typeof KINDS[number];

/** Half-typed constructs and hostile inputs: what an editor's user or a tester types. */
const FRAGMENTS = ['{', '}', '${', '"', 'step ', 'with {', 'uses ', '.', ',', '\n', 'with { content: ', ': }', 'after ',
    'when not ', 'each x in ', 'input.', 'secret.', 'env.', '[', ']', '(', ')', ' + ', ' == ', 'workflow w {\n', '/*', '*/', '//'];

/** Cancelled or superseded by a newer edit: a normal outcome of typing during a request. */
const CANCELLED = /cancel|content modified|-32800|-32801|ContentModified/i;

export async function fuzzServer(client: LspClient, uri: string, options: FuzzOptions): Promise<FuzzResult> {
    const random = seededRandom(options.seed);
    const int = (n: number): number => Math.floor(random() * n);
    const hangMs = options.hangMs ?? 5_000;
    const maxLength = options.maxLength ?? 100_000;
    const { sources } = options;
    const result: FuzzResult = {
        edits: 0, requests: 0, failures: [], hangs: [], latencies: [], maxLatencyMs: 0, slowest: '', elapsedMs: 0, crashed: false,
    };
    const started = performance.now();
    let text = sources.join('\n');
    client.open(uri, text);

    const insertion = (): string => {
        const choice = random();
        if (choice < 0.55) {
            const source = sources[int(sources.length)]!;
            const from = int(source.length);
            return source.slice(from, from + int(80));
        }
        if (choice < 0.7) {
            return String.fromCharCode(...Array.from({ length: int(12) }, () => int(0x250)));
        }
        if (choice < 0.9) {
            return FRAGMENTS[int(FRAGMENTS.length)]!;
        }
        if (choice < 0.905) {
            return 'x'.repeat(20_000 + int(50_000));
        }
        if (choice < 0.915) {
            return pathological();
        }
        return '';
    };
    // Nesting a thousand deep, in a workflow of its own so that it parses as an expression.
    const pathological = (): string => {
        const expr = [`${'-'.repeat(1000)}1`, `${'not '.repeat(1000)}true`, `${'('.repeat(300)}1`, `${'1 + '.repeat(5000)}1`,
            `${'{a: '.repeat(500)}1${'}'.repeat(500)}`, `${'['.repeat(400)}`, `"\${${'-'.repeat(1000)}1}"`][int(7)]!;
        return `\nworkflow deep${int(1000)} {\n  step d uses log { with { message: ${expr} } }\n}\n`;
    };

    const request = async (kind: Kind, note: string): Promise<void> => {
        const at = offsetToPosition(text, int(text.length + 1));
        const whole: Range = { start: { line: 0, character: 0 }, end: offsetToPosition(text, text.length) };
        const call = (): Promise<unknown> => send(client, kind, uri, at, whole);
        result.requests++;
        const t0 = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
            call().then(() => 'ok', (err: Error) => `error: ${err.message}`),
            new Promise<string>((resolve) => { timer = setTimeout(() => resolve('hang'), hangMs); }),
        ]);
        clearTimeout(timer);
        const ms = performance.now() - t0;
        result.latencies.push(ms);
        if (ms > result.maxLatencyMs) {
            result.maxLatencyMs = ms;
            result.slowest = `${kind} ${note}`;
        }
        if (outcome === 'hang') {
            result.hangs.push(`${kind} ${note} (${text.length} chars)`);
        } else if (outcome.startsWith('error') && !CANCELLED.test(outcome)) {
            result.failures.push(`${kind} ${note}: ${outcome.slice(0, 300)}`);
        }
    };

    // A server that hangs three times is stuck: waiting out every request teaches nothing more.
    while (result.edits < options.edits && !client.exited && result.hangs.length < 3) {
        // A burst of typing...
        const burst = 1 + int(15);
        for (let b = 0; b < burst && result.edits < options.edits; b++) {
            let start = int(text.length + 1);
            const insert = insertion();
            if (insert.startsWith('\nworkflow deep')) {
                // At the end of a line, most often between declarations.
                start = Math.max(0, text.lastIndexOf('\n', start));
            }
            const end = Math.min(text.length, start + (random() < 0.5 ? 0 : int(40)));
            client.change(uri, { range: { start: offsetToPosition(text, start), end: offsetToPosition(text, end) }, text: insert });
            text = text.slice(0, start) + insert + text.slice(end);
            result.edits++;
            if (text.length > maxLength) {
                text = sources[int(sources.length)]!;
                client.change(uri, text);
            }
            if (result.edits % 1000 === 0) {
                options.progress?.(result.edits, result);
            }
        }
        // ...then what the editor asks, sometimes several requests at once.
        const note = `after edit ${result.edits}`;
        const count = random() < 0.2 ? 2 + int(3) : 1;
        await Promise.all(Array.from({ length: count }, () => request(KINDS[int(KINDS.length)]!, note)));
    }
    result.elapsedMs = performance.now() - started;
    result.crashed = client.exited;
    return result;
}

function send(client: LspClient, kind: Kind, uri: string, at: Position, whole: Range): Promise<unknown> {
    switch (kind) {
        case 'completion': return client.completion(uri, at);
        case 'hover': return client.hover(uri, at);
        case 'definition': return client.definition(uri, at);
        case 'formatting': return client.formatting(uri);
        case 'codeAction': return client.codeActions(uri, { start: at, end: at }, diagnosticsAt(client, uri, at));
        case 'semanticTokens': return client.semanticTokens(uri);
        case 'inlayHints': return client.inlayHints(uri, whole);
        case 'documentSymbols': return client.documentSymbols(uri);
        case 'codeLens': return client.codeLens(uri);
    }
}

/** The last published diagnostics on the line of `at`, as an editor sends with a code action request. */
function diagnosticsAt(client: LspClient, uri: string, at: Position): Diagnostic[] {
    return client.lastDiagnostics(uri).filter((d) => d.range.start.line <= at.line && d.range.end.line >= at.line);
}

/**
 * The language server over a real stdio connection (`node bin/kmflow lsp --stdio`), as an
 * editor drives it: a document opened, keystrokes sent as `didChange`, each timed to the
 * `publishDiagnostics` for its version (a server that names no version: the next one),
 * completions timed to their answer, and the server's resident memory read from /proc.
 * One `WireSession` per server; the bench alternates sessions, so a busy machine slows
 * every build measured alike.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver-protocol';
import { LspClient, offsetToPosition, positionOf } from '../test/lsp/lsp-client.js';

/**
 * What typing a new step looks like, one character at a time as VS Code types it: an
 * opening bracket or quote brings its closer (language-configuration.json's
 * autoClosingPairs), and typing a closer before the one it brought only moves the cursor
 * (no change is sent). Then it is taken back at once.
 */
const TYPED_STEP = '    step zz uses log { with { message: "hi" } }\n';
const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')', '"': '"' };
const TIMEOUT_MS = 300_000;

export class WireSession {
    private text: string;
    private readonly dir: string;
    private readonly uri: string;
    /** Where the title keystroke goes: inside a step title, half-way down the file. */
    private readonly titleAt: Position;
    private titleInserted = false;
    /** Where a step is typed: before the closing brace of a workflow half-way down. */
    private readonly stepAt: number;
    private typed = 0;
    /** Where the cursor is in the step being typed (past what the editor auto-closed, it is behind `typed`). */
    private cursor = 0;
    private inString = false;
    private spots?: Position[];

    private constructor(readonly client: LspClient, text: string, dir: string) {
        this.text = text;
        this.dir = dir;
        this.uri = pathToFileURL(path.join(dir, 'main.kmflow')).toString();
        const title = text.indexOf('"Workflow', Math.floor(text.length / 2));
        this.titleAt = offsetToPosition(text, (title >= 0 ? title : text.indexOf('"Workflow')) + 1);
        this.stepAt = text.indexOf('\n}\n', Math.floor(text.length / 2)) + 1;
    }

    /** Starts the server of `bin` (this repository's when undefined) and opens `text`; `openMs` is open → first diagnostics. */
    static async open(text: string, bin?: string): Promise<{ session: WireSession; openMs: number }> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-bench-'));
        fs.writeFileSync(path.join(dir, 'main.kmflow'), text);
        const client = await LspClient.start(dir, { bin });
        const session = new WireSession(client, text, dir);
        const t0 = performance.now();
        const ticket = client.open(session.uri, text);
        await client.diagnosticsAfter(session.uri, ticket, TIMEOUT_MS, 1);
        return { session, openMs: performance.now() - t0 };
    }

    /** One keystroke in a step title (an `x` typed, the next time taken back): ms to its diagnostics. */
    async titleKeystroke(): Promise<number> {
        const at = this.titleAt;
        const insert = !this.titleInserted;
        this.titleInserted = insert;
        return this.change({ start: at, end: insert ? at : { line: at.line, character: at.character + 1 } }, insert ? 'x' : '');
    }

    /** The next keystroke of typing a step that changes the text (many intermediate texts have errors), or taking it back. */
    async typingKeystroke(): Promise<number> {
        for (;;) {
            if (this.typed === TYPED_STEP.length) {
                this.typed = 0;
                this.cursor = 0;
                const at = offsetToPosition(this.text, this.stepAt);
                return this.change({ start: at, end: offsetToPosition(this.text, this.stepAt + TYPED_STEP.length) }, '');
            }
            const ch = TYPED_STEP[this.typed++]!;
            const next = this.text[this.stepAt + this.cursor];
            if ((ch === '}' || ch === ']' || ch === ')' || ch === '"') && next === ch) {
                // Typing over the closer the editor put there: the cursor moves, the text does not change.
                this.cursor++;
                this.inString = ch === '"' ? false : this.inString;
                continue;
            }
            const closer = CLOSERS[ch] && !(ch === '"' && this.inString) ? CLOSERS[ch] : '';
            this.inString = ch === '"' ? !this.inString : this.inString;
            const position = offsetToPosition(this.text, this.stepAt + this.cursor);
            this.cursor++;
            return this.change({ start: position, end: position }, ch + closer);
        }
    }

    /** A completion at one of four places (`uses`, inside `with {}`, after `input.`, after `after`): ms to the answer. */
    async completion(i: number): Promise<number> {
        // Places in the text as opened (the keystrokes leave it as it was, or typed below them).
        const text = this.text;
        this.spots ??= [
            positionOf(text, 'uses ', 5, 10 % count(text, 'uses ')),
            positionOf(text, 'with { ms: ', 7, 5 % count(text, 'with { ms: ')),
            positionOf(text, '${input.', 8, 20 % count(text, '${input.')),
            positionOf(text, 'after ', 6, 3 % count(text, 'after ')),
        ];
        const t0 = performance.now();
        await this.client.completion(this.uri, this.spots[i % this.spots.length]!);
        return performance.now() - t0;
    }

    /** The server process's resident set, in MB. */
    rssMb(): number {
        const pid = this.client.child.pid!;
        try {
            const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
            return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
        } catch {
            return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
        }
    }

    async close(): Promise<void> {
        await this.client.stop();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private async change(range: { start: Position; end: Position }, newText: string): Promise<number> {
        const start = positionToOffsetIn(this.text, range.start);
        const end = positionToOffsetIn(this.text, range.end);
        this.text = this.text.slice(0, start) + newText + this.text.slice(end);
        const t0 = performance.now();
        const ticket = this.client.change(this.uri, { range, text: newText });
        await this.client.diagnosticsAfter(this.uri, ticket, TIMEOUT_MS, this.client.version(this.uri));
        return performance.now() - t0;
    }
}

function count(text: string, needle: string): number {
    return Math.max(1, text.split(needle).length - 1);
}

function positionToOffsetIn(text: string, p: Position): number {
    let offset = 0;
    for (let line = 0; line < p.line; line++) {
        offset = text.indexOf('\n', offset) + 1;
    }
    return offset + p.character;
}

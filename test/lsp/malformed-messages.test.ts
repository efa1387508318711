/**
 * A hostile or buggy client: notifications and requests of the wrong shape, broken
 * framing and JSON, parameters nested absurdly deep, a garbage answer to the server's own
 * `workspace/configuration`. The server rejects each request with an error, drops each
 * bad notification with a log line, and keeps serving.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LspClient, withTimeout } from './lsp-client.js';

let client: LspClient;
const uri = 'file:///malformed/main.kmflow';
const TEXT = 'workflow w {\n  step a uses log { with { message: "hi" } }\n}\n';

beforeAll(async () => {
    client = await LspClient.start();
});

afterAll(async () => {
    await client?.stop();
});

/** Writes raw bytes to the server's stdin, framed or not. */
function raw(body: string, header = `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`): void {
    client.child.stdin.write(header + body);
}

function notify(method: string, params: unknown): void {
    raw(JSON.stringify({ jsonrpc: '2.0', method, params }));
}

/** Parameters 100,000 levels deep (JSON.stringify itself could not write them). */
const DEEP = `{"settings":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

/** The server still answers and still checks documents. */
async function stillServing(): Promise<void> {
    const ticket = client.open(uri, TEXT);
    expect(await client.diagnosticsAfter(uri, ticket, 30_000)).toEqual([]);
    const hover = await withTimeout(client.hover(uri, { line: 1, character: 16 }), 20_000);
    expect(JSON.stringify(hover)).toContain('log');
    expect(client.exited).toBe(false);
}

const BAD_NOTIFICATIONS: Array<[string, unknown]> = [
    ['textDocument/didOpen', { textDocument: { uri: 'file:///malformed/number.kmflow', languageId: 'kmflow', version: 1, text: 42 } }],
    ['textDocument/didOpen', { textDocument: { uri: 'file:///malformed/object.kmflow', languageId: 'kmflow', version: 1, text: {} } }],
    ['textDocument/didOpen', { textDocument: { uri: 7, languageId: 'kmflow', version: 1, text: 'x' } }],
    ['textDocument/didOpen', { textDocument: null }],
    ['textDocument/didOpen', 'text'],
    ['textDocument/didOpen', null],
    ['textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: 'x' }],
    ['textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: 5 }] }],
    ['textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: 'x', range: { start: { line: -1, character: 0 }, end: 'z' } }] }],
    ['textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: 'x', range: { start: { line: 1e300, character: 0.5 }, end: { line: 0, character: 0 } } }] }],
    ['textDocument/didClose', { textDocument: 3 }],
    ['textDocument/didSave', []],
    ['$/cancelRequest', undefined],
    ['$/cancelRequest', { id: { nested: true } }],
    ['workspace/didChangeWatchedFiles', { changes: 'all' }],
    ['workspace/didChangeWatchedFiles', { changes: [{ uri: 1, type: 'created' }] }],
    ['workspace/didChangeWorkspaceFolders', { event: { added: 'x' } }],
    ['initialized', 42],
];

it('drops notifications of the wrong shape with a log line and keeps serving', async () => {
    client.open(uri, TEXT);
    for (const [method, params] of BAD_NOTIFICATIONS) {
        notify(method, params);
    }
    raw(`{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":${DEEP}}`);
    await stillServing();
    expect(client.logs.filter((l) => /malformed|invalid/i.test(l)).length).toBeGreaterThanOrEqual(BAD_NOTIFICATIONS.length);
    expect(client.stderr.join('')).not.toMatch(/RangeError|TypeError|Maximum call stack/);
}, 60_000);

it('rejects requests of the wrong shape with an error response', async () => {
    const position = { line: 0, character: 0 };
    const bad: Array<[string, unknown]> = [
        ['textDocument/completion', { textDocument: { uri } }],
        ['textDocument/hover', { textDocument: { uri: 42 }, position }],
        ['textDocument/definition', { textDocument: { uri }, position: { line: 'one', character: 0 } }],
        ['textDocument/formatting', { textDocument: { uri } }],
        ['textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: 'x' } }],
        ['textDocument/semanticTokens/full', { textDocument: [] }],
        ['textDocument/inlayHint', { textDocument: { uri }, range: null }],
        ['textDocument/rename', { textDocument: { uri }, position, newName: { n: 1 } }],
        ['workspace/executeCommand', { command: 5 }],
    ];
    for (const [method, params] of bad) {
        const outcome = await withTimeout(client.connection.sendRequest(method, params).then(() => 'answered', (e: Error) => e.message), 20_000);
        expect(outcome, method).toMatch(/invalid|malformed/i);
    }
    await stillServing();
}, 60_000);

it('survives broken framing, broken JSON and non-objects', async () => {
    raw('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {');
    raw('42');
    raw('"text"');
    raw('null');
    raw('{"jsonrpc":"2.0","id":{"x":1},"method":"textDocument/hover","params":{}}');
    raw('{"jsonrpc":"2.0","id":900,"result":{"a":1}}');
    raw(`{"jsonrpc":"2.0","id":901,"method":"textDocument/hover","params":${DEEP}}`);
    await stillServing();
}, 60_000);

it('survives garbage answers to its own requests', async () => {
    client.connection.onRequest('workspace/configuration', () => 42);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kmflow: { servers: 'x', maxParallel: 'y' } } });
    client.connection.onRequest('workspace/configuration', () => [{ servers: 42 }, 'x', null]);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await stillServing();
}, 60_000);

/**
 * Every message a client sends is checked before the server acts on it: a `didOpen`
 * whose `text` is a number, a position with a negative line, parameters nested 100,000
 * deep would otherwise throw deep inside Langium, some of it outside any request, and
 * kill the server. A malformed request is answered with an InvalidParams error; a
 * malformed notification is dropped with a log line.
 */
import {
    ErrorCodes, Message, ResponseError, type Connection, type MessageStrategy, type NotificationMessage, type RequestMessage,
} from 'vscode-languageserver/node.js';
import { MAX_VALUE_DEPTH, nestedDeeperThan } from '../../engine/run/index.js';

/** Nesting deeper than this in a message is refused: no LSP message needs it. */
export const MAX_PARAMS_DEPTH = MAX_VALUE_DEPTH;

/** A malformed request is renamed to this method, whose handler answers with the error. */
const INVALID_REQUEST = 'kmflow/$invalidRequest';

type Leaf = 'string' | 'uint' | 'int' | 'boolean' | 'object' | 'array' | 'id';
/** A leaf type, an object whose keys ending in `?` may be absent or null, or `[item]`, an array of items. */
export type Shape = Leaf | { [key: string]: Shape } | [Shape];

const POS: Shape = { line: 'uint', character: 'uint' };
const RANGE: Shape = { start: POS, end: POS };
const DOC: Shape = { uri: 'string' };
const AT = { textDocument: DOC, position: POS };
const FORMAT: Shape = { tabSize: 'uint', insertSpaces: 'boolean' };
const FOLDER: Shape = { uri: 'string', name: 'string' };

/** The parameters of the methods the server handles, as far as it reads them. */
const SHAPES: Record<string, Shape> = {
    'initialize': { capabilities: 'object', 'workspaceFolders?': [FOLDER], 'rootUri?': 'string' },
    'initialized': 'object',
    '$/cancelRequest': { id: 'id' },
    '$/setTrace': { value: 'string' },
    'textDocument/didOpen': { textDocument: { uri: 'string', languageId: 'string', version: 'int', text: 'string' } },
    'textDocument/didChange': { textDocument: { uri: 'string', version: 'int' }, contentChanges: [{ text: 'string', 'range?': RANGE }] },
    'textDocument/didClose': { textDocument: DOC },
    'textDocument/didSave': { textDocument: DOC, 'text?': 'string' },
    'textDocument/willSave': { textDocument: DOC, reason: 'uint' },
    'textDocument/willSaveWaitUntil': { textDocument: DOC, reason: 'uint' },
    'textDocument/completion': { ...AT, 'context?': { triggerKind: 'uint', 'triggerCharacter?': 'string' } },
    'textDocument/hover': AT,
    'textDocument/definition': AT,
    'textDocument/declaration': AT,
    'textDocument/typeDefinition': AT,
    'textDocument/implementation': AT,
    'textDocument/documentHighlight': AT,
    'textDocument/signatureHelp': AT,
    'textDocument/prepareRename': AT,
    'textDocument/prepareCallHierarchy': AT,
    'textDocument/prepareTypeHierarchy': AT,
    'textDocument/linkedEditingRange': AT,
    'textDocument/references': { ...AT, context: { includeDeclaration: 'boolean' } },
    'textDocument/rename': { ...AT, newName: 'string' },
    'textDocument/formatting': { textDocument: DOC, options: FORMAT },
    'textDocument/rangeFormatting': { textDocument: DOC, range: RANGE, options: FORMAT },
    'textDocument/onTypeFormatting': { ...AT, ch: 'string', options: FORMAT },
    'textDocument/codeAction': { textDocument: DOC, range: RANGE, context: { diagnostics: [{ range: RANGE, message: 'string' }] } },
    'textDocument/codeLens': { textDocument: DOC },
    'textDocument/documentSymbol': { textDocument: DOC },
    'textDocument/documentLink': { textDocument: DOC },
    'textDocument/foldingRange': { textDocument: DOC },
    'textDocument/semanticTokens/full': { textDocument: DOC },
    'textDocument/semanticTokens/full/delta': { textDocument: DOC, previousResultId: 'string' },
    'textDocument/semanticTokens/range': { textDocument: DOC, range: RANGE },
    'textDocument/inlayHint': { textDocument: DOC, range: RANGE },
    'textDocument/selectionRange': { textDocument: DOC, positions: [POS] },
    'completionItem/resolve': { label: 'string' },
    'codeAction/resolve': { title: 'string' },
    'codeLens/resolve': { range: RANGE },
    'inlayHint/resolve': { position: POS },
    'workspace/symbol': { query: 'string' },
    'workspace/executeCommand': { command: 'string', 'arguments?': 'array' },
    'workspace/didChangeConfiguration': 'object',
    'workspace/didChangeWatchedFiles': { changes: [{ uri: 'string', type: 'uint' }] },
    'workspace/didChangeWorkspaceFolders': { event: { added: [FOLDER], removed: [FOLDER] } },
};

/** What is wrong with `value` as `shape` (at `path`), or undefined. */
function mismatch(value: unknown, shape: Shape, path: string): string | undefined {
    if (Array.isArray(shape)) {
        if (!Array.isArray(value)) {
            return `${path} is not an array`;
        }
        for (let i = 0; i < value.length; i++) {
            const problem = mismatch(value[i], shape[0], `${path}[${i}]`);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    }
    if (typeof shape === 'object') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return `${path} is not an object`;
        }
        for (const [key, inner] of Object.entries(shape)) {
            const optional = key.endsWith('?');
            const name = optional ? key.slice(0, -1) : key;
            const v = (value as Record<string, unknown>)[name];
            if (optional && (v === undefined || v === null)) {
                continue;
            }
            const problem = mismatch(v, inner, path ? `${path}.${name}` : name);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    }
    return isLeaf(value, shape) ? undefined : `${path || 'params'} is not ${LEAF_NAMES[shape]}`;
}

const LEAF_NAMES: Record<Leaf, string> = {
    string: 'a string', uint: 'a non-negative integer', int: 'an integer', boolean: 'a boolean',
    object: 'an object', array: 'an array', id: 'a number or a string',
};

function isLeaf(value: unknown, leaf: Leaf): boolean {
    switch (leaf) {
        case 'string': return typeof value === 'string';
        case 'boolean': return typeof value === 'boolean';
        case 'int': return Number.isSafeInteger(value);
        case 'uint': return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0x7fffffff;
        case 'id': return typeof value === 'string' || Number.isSafeInteger(value);
        case 'array': return Array.isArray(value);
        case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
}

/** What is wrong with a request or notification, or undefined when it is fine; `shapes`: the server's own methods'. */
export function problemOf(message: RequestMessage | NotificationMessage, shapes: Readonly<Record<string, Shape>> = {}): string | undefined {
    const params: unknown = message.params;
    if (params !== undefined && params !== null && typeof params !== 'object') {
        return 'params is neither an object nor an array';
    }
    if (nestedDeeperThan(params, MAX_PARAMS_DEPTH)) {
        return `params nested more than ${MAX_PARAMS_DEPTH} deep`;
    }
    const shape = Object.hasOwn(shapes, message.method) ? shapes[message.method] : SHAPES[message.method];
    // `initialized` and `didChangeConfiguration` carry nothing the server needs.
    if (shape === undefined || (shape === 'object' && (params === undefined || params === null))) {
        return undefined;
    }
    return mismatch(params, shape, '');
}

/**
 * The connection option that checks each incoming message; malformed ones are reported
 * through `log`. Responses to the server's own requests pass when not nested too deep.
 * `shapes` adds the parameters of methods the server adds (its `kmflow/…` requests).
 */
export function messageGuard(log: (line: string) => void, shapes: Readonly<Record<string, Shape>> = {}): MessageStrategy {
    return {
        handleMessage(message: Message, next: (message: Message) => void): void {
            if (Message.isRequest(message) || Message.isNotification(message)) {
                const problem = problemOf(message, shapes);
                if (!problem) {
                    next(message);
                } else if (Message.isRequest(message)) {
                    log(`kmflow: rejected a malformed ${message.method} request: ${problem}`);
                    next({ ...message, method: INVALID_REQUEST, params: { method: message.method, problem } } as RequestMessage);
                } else {
                    log(`kmflow: ignored a malformed ${String(message.method).slice(0, 100)} notification: ${problem}`);
                }
            } else if (Message.isResponse(message) && nestedDeeperThan(message.result ?? message.error, MAX_PARAMS_DEPTH)) {
                log(`kmflow: a response nested more than ${MAX_PARAMS_DEPTH} deep was read as an error`);
                next({ jsonrpc: message.jsonrpc, id: message.id, error: { code: ErrorCodes.InvalidParams, message: 'response nested too deep' } } as Message);
            } else {
                next(message);
            }
        },
    };
}

/** Answers the requests `messageGuard` found malformed with an InvalidParams error. */
export function rejectMalformedRequests(connection: Connection): void {
    connection.onRequest(INVALID_REQUEST, (params: { method: string; problem: string }) => {
        throw new ResponseError(ErrorCodes.InvalidParams, `invalid ${params.method} request: ${params.problem}`);
    });
}

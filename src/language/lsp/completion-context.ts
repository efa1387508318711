/**
 * Where the cursor is, read from the text around it rather than the AST, because while
 * the user types the text rarely parses: after `input.`, after `STEP.output.a.`, at a key
 * or a value of a `with { }` object, or after a setting that takes a name.
 */

/** A place in the text that kmflow completes on its own. */
export type TextContext =
    | { kind: 'input'; start: number }
    | { kind: 'member'; root: string; path: string[]; start: number }
    | { kind: 'withKey'; tool: string; present: string[]; start: number }
    | { kind: 'withValue'; tool: string; key: string; start: number; end: number; inString: boolean }
    | { kind: 'name'; setting: NameSetting; start: number; listed: string[] };

/** Settings followed by a name kmflow can list. */
export type NameSetting = 'capability' | 'capabilities' | 'requires' | 'ensures' | 'parallel_group' | 'category' | 'via' | 'given tool';

/** Positions where a dotted word is a tool id, not a member access. */
const TOOL_POSITION = /\b(uses|depends_on|integrates|replaced_by)\s+(?:[\w."-]+\s*,\s*)*[\w."-]*$/;

/** How far back to look for the enclosing declaration. */
const MAX_LOOKBACK_LINES = 400;

const SETTINGS: Array<[RegExp, NameSetting]> = [
    [/\buses\s+capability\s+(\w*)$/, 'capability'],
    [/\bcapabilities\s+((?:\w+\s*,\s*)*)(\w*)$/, 'capabilities'],
    [/\brequires\s+((?:\w+\s*,\s*)*)(\w*)$/, 'requires'],
    [/\bensures\s+((?:\w+\s*,\s*)*)(\w*)$/, 'ensures'],
    [/\bparallel_group\s+(\w*)$/, 'parallel_group'],
    [/\bcategory\s+(\w*)$/, 'category'],
    [/\bvia\s+(\w*)$/, 'via'],
    // A test's `given tool TOOL`: the parser cannot tell it from a step called `tool` yet.
    [/\bgiven\s+tool\s+([\w.]*)$/, 'given tool'],
];

export function textContextAt(text: string, offset: number): TextContext | undefined {
    const from = declarationStart(text, offset);
    const scan = scanTo(text, from, offset);
    if (scan.inComment) {
        return undefined;
    }
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const line = text.slice(lineStart, offset);
    const member = /(?:^|[^\w."])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\.(\w*)$/.exec(line);
    if (member && (!scan.inString || scan.inInterpolation) && !TOOL_POSITION.test(line)) {
        const start = offset - member[3]!.length;
        const path = member[2] ? member[2].slice(1).split('.') : [];
        if (member[1] === 'input' && path.length === 0) {
            return { kind: 'input', start };
        }
        return { kind: 'member', root: member[1]!, path, start };
    }
    const top = scan.stack[scan.stack.length - 1];
    if (top && top.word === 'with' && !scan.inInterpolation) {
        const tool = toolBefore(text, from, top.offset);
        if (tool === undefined) {
            return undefined;
        }
        if (scan.expectKey && !scan.inString) {
            const partial = /[\w-]*$/.exec(line)![0];
            return { kind: 'withKey', tool, present: keysOf(text, top.offset), start: offset - partial.length };
        }
        if (!scan.expectKey && scan.lastKey !== undefined) {
            const partial = scan.inString ? text.slice(scan.stringStart, offset) : /[\w-]*$/.exec(line)![0];
            const start = offset - partial.length;
            const end = scan.inString && text[offset] === '"' ? offset + 1 : offset;
            return { kind: 'withValue', tool, key: scan.lastKey, start, end, inString: scan.inString };
        }
    }
    if (scan.inString) {
        return undefined;
    }
    for (const [pattern, setting] of SETTINGS) {
        const match = pattern.exec(line);
        if (match) {
            const partial = match[match.length - 1]!;
            const listed = match.length > 2 ? match[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
            return { kind: 'name', setting, start: offset - partial.length, listed };
        }
    }
    return undefined;
}

/** The start of the line that opens the declaration around the cursor (or a bounded look-back). */
function declarationStart(text: string, offset: number): number {
    let end = offset;
    for (let i = 0; i < MAX_LOOKBACK_LINES && end > 0; i++) {
        const start = text.lastIndexOf('\n', end - 1) + 1;
        if (/^\s*(step|workflow|tool|server|compensate|test)\b/.test(text.slice(start, Math.min(start + 40, text.length)))) {
            return start;
        }
        end = start - 1;
    }
    return Math.max(0, end);
}

interface Brace {
    offset: number;
    /** The word before the brace: `with`, `input_schema`, a step's tool... */
    word: string;
}

interface Scan {
    stack: Brace[];
    inString: boolean;
    stringStart: number;
    inInterpolation: boolean;
    inComment: boolean;
    expectKey: boolean;
    lastKey?: string;
}

/** A small forward tokenizer: strings, comments, `${}`, brackets, and the key/value position. */
function scanTo(text: string, from: number, to: number): Scan {
    const stack: Brace[] = [];
    const state: Scan = { stack, inString: false, stringStart: 0, inInterpolation: false, inComment: false, expectKey: false };
    let word = '';
    let lastWord = '';
    let i = from;
    while (i < to) {
        const ch = text[i]!;
        if (ch === '"') {
            const end = stringEnd(text, i, to);
            if (end < 0) {
                state.inString = true;
                state.stringStart = i;
                const body = text.slice(i, to);
                state.inInterpolation = body.lastIndexOf('${') > body.lastIndexOf('}');
                return state;
            }
            lastWord = JSON.stringify(text.slice(i + 1, end - 1));
            word = lastWord;
            i = end;
            continue;
        }
        if (ch === '/' && text[i + 1] === '/') {
            const nl = text.indexOf('\n', i);
            if (nl < 0 || nl >= to) {
                state.inComment = true;
                return state;
            }
            i = nl;
            continue;
        }
        if (ch === '/' && text[i + 1] === '*') {
            const close = text.indexOf('*/', i + 2);
            if (close < 0 || close + 2 > to) {
                state.inComment = true;
                return state;
            }
            i = close + 2;
            continue;
        }
        if (/[\w-]/.test(ch)) {
            word = /[\w-]*/y.exec(text.slice(i, i + 200))![0];
            lastWord = word;
            i += word.length;
            continue;
        }
        if (ch === '{' || ch === '[' || ch === '(') {
            stack.push({ offset: i, word: ch === '{' ? lastWord : ch });
            state.expectKey = ch === '{';
            state.lastKey = undefined;
        } else if (ch === '}' || ch === ']' || ch === ')') {
            stack.pop();
            state.expectKey = false;
        } else if (ch === ',' && stack[stack.length - 1]?.word !== '[') {
            state.expectKey = true;
            state.lastKey = undefined;
        } else if (ch === ':' && state.expectKey) {
            state.expectKey = false;
            state.lastKey = lastWord.startsWith('"') ? JSON.parse(lastWord) as string : lastWord;
        }
        if (!/\s/.test(ch)) {
            lastWord = ch === ':' ? lastWord : '';
        }
        i++;
    }
    return state;
}

/** The offset just after the string starting at `i`; -1 when it is still open at `limit`. */
function stringEnd(text: string, i: number, limit: number): number {
    for (let j = i + 1; j < limit; j++) {
        if (text[j] === '\\') {
            j++;
        } else if (text[j] === '"') {
            return j + 1;
        } else if (text[j] === '\n') {
            return j;
        }
    }
    return -1;
}

/** The tool id of the nearest `uses TOOL` before a `with {`; '' for `uses capability`. */
function toolBefore(text: string, from: number, brace: number): string | undefined {
    const head = text.slice(from, brace);
    const matches = [...head.matchAll(/\buses\s+(capability\s+\w+|[A-Za-z_][\w]*(?:\.(?:[\w-]+|"(?:\\.|[^"\\])*"))*)/g)];
    const last = matches[matches.length - 1]?.[1];
    return last === undefined ? undefined : last.startsWith('capability') ? '' : last;
}

/** Keys written at the top level of the object that opens at `brace`. */
function keysOf(text: string, brace: number): string[] {
    const keys: string[] = [];
    let depth = 0;
    const re = /"(?:\\.|[^"\\\n])*"\s*:|"(?:\\.|[^"\\\n])*"|[\w-]+\s*:|[{}[\]()]|\/\/[^\n]*/g;
    re.lastIndex = brace;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        const t = m[0];
        if (t === '{' || t === '[' || t === '(') {
            depth++;
        } else if (t === '}' || t === ']' || t === ')') {
            depth--;
            if (depth === 0) {
                break;
            }
        } else if (depth === 1 && t.endsWith(':')) {
            const key = t.slice(0, -1).trim();
            keys.push(key.startsWith('"') ? JSON.parse(key) as string : key);
        }
        if (m.index - brace > 20_000) {
            break;
        }
    }
    return keys;
}

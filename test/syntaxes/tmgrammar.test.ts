/**
 * The hand-written TextMate grammar (syntaxes/kmflow.tmLanguage.json): every regex is valid
 * JavaScript (so the grammar uses no Oniguruma-only syntax), every keyword of the Langium
 * grammar is highlighted, and a small first-match tokenizer, following TextMate's rules,
 * gives the expected scopes to the forms of the language.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AstUtils, GrammarAST } from 'langium';
import { describe, expect, it } from 'vitest';
import { KmflowGrammar } from '../../src/language/generated/grammar.js';
import { optionKeywords } from '../../src/language/grammar-options.js';

interface Captures {
    [group: string]: { name?: string };
}

interface Rule {
    include?: string;
    name?: string;
    contentName?: string;
    match?: string;
    begin?: string;
    end?: string;
    captures?: Captures;
    beginCaptures?: Captures;
    endCaptures?: Captures;
    patterns?: Rule[];
}

interface Grammar extends Rule {
    scopeName: string;
    repository: Record<string, Rule>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const grammar = JSON.parse(readFileSync(`${root}syntaxes/kmflow.tmLanguage.json`, 'utf8')) as Grammar;

/** Every rule of the grammar, top-level and repository, nested ones included. */
function allRules(): Rule[] {
    const out: Rule[] = [];
    const visit = (rule: Rule): void => {
        out.push(rule);
        rule.patterns?.forEach(visit);
    };
    grammar.patterns?.forEach(visit);
    Object.values(grammar.repository).forEach(visit);
    return out;
}

/** The keywords of the Langium grammar, as Langium generated it. */
function langiumKeywords(): string[] {
    return [...new Set(AstUtils.streamAllContents(KmflowGrammar()).filter(GrammarAST.isKeyword).map((k) => k.value))].sort();
}

// ------------------------------------------------------------------ a small TextMate tokenizer

/** A pattern list with `include`s expanded, as TextMate sees it. */
function expand(patterns: Rule[] | undefined, seen = new Set<string>()): Rule[] {
    const out: Rule[] = [];
    for (const rule of patterns ?? []) {
        if (rule.include !== undefined) {
            if (rule.include === '$self' || rule.include === '$base') {
                out.push(...expand(grammar.patterns, seen));
                continue;
            }
            const key = rule.include.replace(/^#/, '');
            if (seen.has(key)) {
                continue;
            }
            const target = grammar.repository[key];
            if (!target) {
                throw new Error(`unresolved include ${rule.include}`);
            }
            const inner = new Set(seen).add(key);
            if (target.match !== undefined || target.begin !== undefined) {
                out.push(target);
            } else {
                out.push(...expand(target.patterns, inner));
            }
        } else if (rule.match !== undefined || rule.begin !== undefined) {
            out.push(rule);
        } else {
            out.push(...expand(rule.patterns, seen));
        }
    }
    return out;
}

interface Frame {
    rule: Rule;
    scopes: string[];
    end: string;
}

type Token = { text: string; scopes: string[] };

const regexCache = new Map<string, RegExp>();
function regex(source: string): RegExp {
    let re = regexCache.get(source);
    if (!re) {
        re = new RegExp(source, 'dg');
        regexCache.set(source, re);
    }
    return re;
}

function scopeList(...names: (string | undefined)[]): string[] {
    return names.flatMap((n) => (n ? n.split(/\s+/) : []));
}

/** Tokenizes `text` line by line; returns one list of tokens per line. */
function tokenize(text: string): Token[][] {
    const stack: Frame[] = [];
    const lines: Token[][] = [];
    for (const line of text.split('\n')) {
        const charScopes: string[][] = Array.from({ length: line.length }, () => []);
        const paint = (from: number, to: number, scopes: string[]): void => {
            for (let i = from; i < to; i++) {
                charScopes[i] = [...scopes];
            }
        };
        const paintCaptures = (m: RegExpExecArray, base: string[], captures: Captures | undefined): void => {
            if (!captures || !m.indices) {
                return;
            }
            const groups = Object.keys(captures)
                .map(Number)
                .sort((a, b) => a - b);
            for (const g of groups) {
                const span = m.indices[g];
                const name = captures[String(g)]?.name;
                if (span && name) {
                    paint(span[0], span[1], [...base, ...scopeList(name)]);
                }
            }
        };
        let pos = 0;
        while (pos <= line.length) {
            const frame = stack[stack.length - 1];
            const base = frame ? frame.scopes : [grammar.scopeName];
            const candidates = expand(frame ? frame.rule.patterns : grammar.patterns);
            let best: { m: RegExpExecArray; rule?: Rule; isEnd: boolean } | undefined;
            if (frame) {
                const re = regex(frame.end);
                re.lastIndex = pos;
                const m = re.exec(line);
                if (m) {
                    best = { m, isEnd: true };
                }
            }
            for (const rule of candidates) {
                const re = regex((rule.match ?? rule.begin) as string);
                re.lastIndex = pos;
                const m = re.exec(line);
                if (m && (!best || m.index < best.m.index)) {
                    best = { m, rule, isEnd: false };
                }
            }
            if (!best) {
                paint(pos, line.length, frame ? scopeList(...frame.scopes, frame.rule.contentName) : base);
                break;
            }
            const { m } = best;
            const start = m.index;
            const stop = start + m[0].length;
            paint(pos, start, frame ? scopeList(...frame.scopes, frame.rule.contentName) : base);
            if (best.isEnd && frame) {
                paint(start, stop, frame.scopes);
                paintCaptures(m, frame.scopes, frame.rule.endCaptures ?? frame.rule.captures);
                stack.pop();
            } else if (best.rule?.match !== undefined) {
                const scopes = [...base, ...scopeList(best.rule.name)];
                paint(start, stop, scopes);
                paintCaptures(m, scopes, best.rule.captures);
            } else if (best.rule) {
                const scopes = [...base, ...scopeList(best.rule.name)];
                paint(start, stop, scopes);
                paintCaptures(m, scopes, best.rule.beginCaptures ?? best.rule.captures);
                stack.push({ rule: best.rule, scopes, end: best.rule.end as string });
            }
            pos = stop > pos ? stop : pos + 1;
            if (start === stop && stop >= line.length) {
                break;
            }
        }
        const tokens: Token[] = [];
        for (let i = 0; i < line.length; i++) {
            const last = tokens[tokens.length - 1];
            if (last && last.scopes.join(' ') === charScopes[i].join(' ')) {
                last.text += line[i];
            } else {
                tokens.push({ text: line[i], scopes: charScopes[i] });
            }
        }
        lines.push(tokens);
    }
    return lines;
}

/** The scopes of the first character of `needle` (its `nth` occurrence) in `text`. */
function scopesOf(text: string, needle: string, nth = 0): string[] {
    const lines = tokenize(text);
    const sourceLines = text.split('\n');
    let seen = 0;
    for (let l = 0; l < sourceLines.length; l++) {
        let from = 0;
        for (;;) {
            const at = sourceLines[l].indexOf(needle, from);
            if (at < 0) {
                break;
            }
            if (seen++ === nth) {
                let offset = 0;
                for (const token of lines[l]) {
                    if (at < offset + token.text.length) {
                        return token.scopes;
                    }
                    offset += token.text.length;
                }
            }
            from = at + 1;
        }
    }
    throw new Error(`"${needle}" not found`);
}

function expectScope(text: string, needle: string, scope: string, nth = 0): void {
    const scopes = scopesOf(text, needle, nth);
    expect(scopes.some((s) => s === scope || s.startsWith(`${scope}.`)), `${needle}: ${scopes.join(' ')}`).toBe(true);
}

// ------------------------------------------------------------------ tests

describe('the kmflow TextMate grammar', () => {
    it('is a grammar for source.kmflow with resolvable includes', () => {
        expect(grammar.scopeName).toBe('source.kmflow');
        expect(() => expand(grammar.patterns)).not.toThrow();
        for (const rule of allRules()) {
            if (rule.include?.startsWith('#')) {
                expect(grammar.repository, rule.include).toHaveProperty(rule.include.slice(1));
            }
        }
    });

    it('has only regexes that JavaScript compiles', () => {
        const sources = allRules().flatMap((r) => [r.match, r.begin, r.end].filter((s): s is string => s !== undefined));
        expect(sources.length).toBeGreaterThan(30);
        for (const source of sources) {
            expect(() => new RegExp(source, 'u'), source).not.toThrow();
            expect(() => new RegExp(source), source).not.toThrow();
            // Oniguruma-only constructs that JavaScript would misread rather than reject.
            expect(source, source).not.toMatch(/\\[AGzZhH]|\(\?>|\(\?[imx]+[:)]|[*+?}]\+/);
        }
    });

    it('matches every keyword of the Langium grammar', () => {
        const keywords = langiumKeywords();
        expect(keywords).toContain('workflow');
        expect(keywords).toContain('>=');
        const regexes = allRules()
            .flatMap((r) => [r.match, r.begin])
            .filter((s): s is string => s !== undefined)
            .map((s) => new RegExp(s, 'y'));
        const missing = keywords.filter((kw) => !regexes.some((re) => {
            re.lastIndex = 0;
            const m = re.exec(kw);
            return m !== null && m[0] === kw;
        }));
        expect(missing).toEqual([]);
    });

    it('gives every word keyword a keyword-like scope when it stands alone', () => {
        const words = langiumKeywords().filter((k) => /^[a-z_]+$/.test(k));
        for (const word of words) {
            const scopes = scopesOf(word, word);
            expect(scopes.length, word).toBeGreaterThan(1);
            expect(scopes.join(' '), word).not.toMatch(/variable\.other/);
        }
    });

    it('gives every option keyword of every block a keyword scope where an option starts', () => {
        const blocks = ['Server', 'ToolDecl', 'Workflow', 'Step', 'FailureRule', 'Compensation'] as const;
        for (const block of blocks) {
            for (const keyword of optionKeywords(block)) {
                const scopes = scopesOf(`{\n    ${keyword} x\n}`, keyword).join(' ');
                expect(scopes, `${block} ${keyword}`).toMatch(/\b(keyword|storage\.type)\./);
            }
        }
    });

    it('scopes comments, including kmflow-ignore', () => {
        const text = '// a comment\n/* block\n still */ tool\n// kmflow-ignore cycle, unknown-tool';
        expectScope(text, 'a comment', 'comment.line.double-slash');
        expectScope(text, 'still', 'comment.block');
        expectScope(text, 'tool', 'storage.type');
        expectScope(text, 'kmflow-ignore', 'keyword.other.directive');
        expectScope(text, 'unknown-tool', 'comment.line.double-slash');
    });

    it('scopes strings, escapes and interpolation', () => {
        const text = 'with { path: "out/audit-${input.group + 1}.json", q: "say \\"hi\\"" }';
        expectScope(text, 'out/audit', 'string.quoted.double');
        expectScope(text, '${', 'punctuation.definition.template-expression.begin');
        expectScope(text, 'input', 'variable.language.root');
        expectScope(text, 'input', 'meta.embedded.expression');
        expectScope(text, 'group', 'variable.other.property');
        expectScope(text, '+', 'keyword.operator.arithmetic');
        expectScope(text, '1}', 'constant.numeric');
        expectScope(text, '.json', 'string.quoted.double');
        expectScope(text, '\\"', 'constant.character.escape');
        expectScope(text, '}', 'punctuation.definition.template-expression.end', 0);
        expectScope(text, '}', 'punctuation.definition.block', 1);
    });

    it('scopes durations before numbers', () => {
        const text = 'timeout 250ms\nretry 3 backoff 1.5s\nmax_parallel 4\nperformance response_time 5m, reliability 0.95\ntimeout 1h';
        expectScope(text, '250ms', 'constant.numeric.duration');
        expectScope(text, '1.5s', 'constant.numeric.duration');
        expectScope(text, '5m', 'constant.numeric.duration');
        expectScope(text, '1h', 'constant.numeric.duration');
        expectScope(text, '4', 'constant.numeric');
        expect(scopesOf(text, '0.95').join(' ')).not.toContain('duration');
        expectScope(text, 'retry', 'keyword.control');
    });

    it('scopes declarations and their names', () => {
        const text = [
            'import "km"',
            'server km { command "python" args ["-m", "x"] }',
            'tool http.get "Fetch" { via km "km_list_macros" status alias replaced_by km_notifications }',
            'workflow nightly_audit "Nightly" {',
            '  input group: string = "Work"',
            '  step list uses km_list_macros {',
            '  step engine uses km.km_engine_status',
            '  step sum uses ev."get-sum"',
            '  step check uses capability macro_validation {',
            '  compensate uses file.delete { with { path: "x" } }',
        ].join('\n');
        expectScope(text, '"km"', 'entity.name.module');
        expectScope(text, 'km {', 'entity.name.namespace');
        expectScope(text, 'args', 'keyword.other.setting');
        expectScope(text, 'http.get', 'entity.name.function.tool');
        expectScope(text, '.get', 'entity.name.function.tool');
        expectScope(text, 'km "km_list', 'entity.name.namespace');
        expectScope(text, 'km_notifications', 'entity.name.function.tool');
        expectScope(text, 'alias', 'support.constant');
        expectScope(text, 'nightly_audit', 'entity.name.type.workflow');
        expectScope(text, 'group', 'entity.name.variable.input');
        expectScope(text, 'string', 'support.type.primitive');
        expectScope(text, '=', 'keyword.operator.assignment');
        expectScope(text, 'list uses', 'entity.name.function.step');
        expectScope(text, 'km_list_macros {', 'entity.name.function.tool');
        expectScope(text, 'km.km_engine_status', 'entity.name.function.tool');
        expectScope(text, '"get-sum"', 'entity.name.function.tool');
        expectScope(text, 'capability', 'keyword.other.capability');
        expectScope(text, 'macro_validation', 'entity.name.tag.capability');
        expectScope(text, 'file.delete', 'entity.name.function.tool');
        expectScope(text, 'compensate', 'keyword.control');
    });

    it('scopes settings and their values', () => {
        const text = [
            'mode parallel', 'target performance', 'selection ml_optimized', 'resources balanced',
            'monitoring standard', 'cache intelligent', 'errors fail_fast', 'security enterprise',
            'enterprise', 'performance response_time 1s', 'category foundation', 'read_only',
        ].join('\n');
        expectScope(text, 'parallel', 'support.constant');
        expectScope(text, 'performance', 'support.constant', 0);
        expectScope(text, 'ml_optimized', 'support.constant');
        expectScope(text, 'balanced', 'support.constant');
        expectScope(text, 'standard', 'support.constant');
        expectScope(text, 'intelligent', 'support.constant');
        expectScope(text, 'fail_fast', 'support.constant');
        expectScope(text, 'enterprise', 'support.constant', 0);
        expectScope(text, 'enterprise', 'keyword.other.setting', 1);
        expectScope(text, 'performance', 'keyword.other.setting', 1);
        expectScope(text, 'foundation', 'support.constant');
        expectScope(text, 'read_only', 'keyword.other.setting');
    });

    it('scopes expressions: keys, roots, references, operators, constants', () => {
        const text = [
            'with { group: input.group, timeout: 30, "content-type": "x", enabled_only: true, n: null }',
            'when check.ok and not list.output.count >= 0 or env.HOME != secret.TOKEN',
            'each macro in list.output.macros',
            'with { first: items[0].name, total: a.output * 2 - 1 / 3 }',
        ].join('\n');
        expectScope(text, 'group:', 'support.type.property-name');
        expectScope(text, 'timeout', 'support.type.property-name');
        expectScope(text, '"content-type"', 'support.type.property-name');
        expectScope(text, 'input.', 'variable.language.root');
        expectScope(text, 'true', 'constant.language.boolean');
        expectScope(text, 'null', 'constant.language.null');
        expectScope(text, 'and', 'keyword.operator.logical');
        expectScope(text, 'not', 'keyword.operator.logical');
        expectScope(text, 'or env', 'keyword.operator.logical');
        expectScope(text, '>=', 'keyword.operator.comparison');
        expectScope(text, '!=', 'keyword.operator.comparison');
        expectScope(text, 'env.', 'variable.language.root');
        expectScope(text, 'secret.', 'variable.language.root');
        expectScope(text, 'check', 'variable.other.object');
        expectScope(text, 'list.output.count', 'variable.other.object');
        expectScope(text, 'macro', 'variable.parameter.each', 0);
        expectScope(text, 'in ', 'keyword.control');
        expectScope(text, 'items', 'variable.other.object');
        expectScope(text, '*', 'keyword.operator.arithmetic');
        expectScope(text, '- 1', 'keyword.operator.arithmetic');
        expectScope(text, '/ 3', 'keyword.operator.arithmetic');
    });

    it('tokenizes the bundled catalogs without leaving a string or comment open', () => {
        for (const file of ['src/language/catalogs/km.kmflow', 'src/language/catalogs/std.kmflow']) {
            const text = readFileSync(`${root}${file}`, 'utf8');
            const lines = tokenize(text);
            const last = lines.filter((l) => l.length > 0).pop() ?? [];
            expect(last[last.length - 1]?.scopes, file).toEqual(['source.kmflow', 'punctuation.definition.block.kmflow']);
        }
    });
});

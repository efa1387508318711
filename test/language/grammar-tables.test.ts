/**
 * What the language features know of the options comes from the grammar
 * (src/language/grammar-options.ts), and what is still written by hand (the grammar's
 * SoftKeyword rule, the language reference) is checked against it here, so adding an
 * option to kmflow.langium cannot leave one of them behind.
 */
import { readFileSync } from 'node:fs';
import { AstUtils, GrammarAST, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { KmflowGrammar } from '../../src/language/generated/grammar.js';
import { blockOptions, optionKeywords } from '../../src/language/grammar-options.js';
import { buildWorkspace } from '../helpers/documents.js';

const grammar = KmflowGrammar();

function keywordsOf(node: GrammarAST.AbstractElement | GrammarAST.Grammar | GrammarAST.AbstractRule): Set<string> {
    return new Set(AstUtils.streamAllContents(node).filter(GrammarAST.isKeyword).map((k) => k.value));
}

function ruleNamed(name: string): GrammarAST.AbstractRule {
    return grammar.rules.find((r) => r.name === name)!;
}

const words = [...keywordsOf(grammar)].filter((k) => /^[a-z_]+$/.test(k)).sort();

describe('the option tables read from the grammar', () => {
    it('name each option of a block by its keyword and property, one value or a list', () => {
        const step = new Map(blockOptions('Step').map((o) => [o.keyword ?? o.property, o]));
        expect(step.get('timeout')).toEqual({ keyword: 'timeout', property: 'timeout', single: true });
        expect(step.get('parallel_group')).toEqual({ keyword: 'parallel_group', property: 'parallelGroup', single: true });
        expect(step.get('requires')).toEqual({ keyword: 'requires', property: 'requires', single: false });
        expect(step.get('public')).toEqual({ keyword: 'public', property: 'public', single: true });
        expect(step.get('each')).toEqual({ property: 'each', single: true });
        expect([...optionKeywords('Compensation')]).toEqual(['with']);
        expect(optionKeywords('Server')).toEqual(new Set(['command', 'args', 'env', 'cwd', 'url', 'headers', 'timeout']));
    });
});

describe('the hand-written parts agree with the grammar', () => {
    it('lets every keyword be a name (SoftKeyword), but the words of expressions and references', () => {
        const soft = keywordsOf(ruleNamed('SoftKeyword'));
        const keyOnly = [...keywordsOf(ruleNamed('Key'))].sort();
        expect(words.filter((w) => !soft.has(w))).toEqual(keyOnly);
    });

    it('documents every keyword in the language reference', () => {
        const reference = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
        expect(words.filter((w) => !new RegExp(`\\b${w}\\b`).test(reference))).toEqual([]);
    });
});

describe('an option the hand tables had missed (`public`) reaches the formatter and the repeated-option check', () => {
    const text = 'workflow w {\n  step a uses log { with { message: "a" } public public }\n}\n';

    it('gets its own line from the formatter and a repeated-option warning from the checker', async () => {
        const { services, documents } = await buildWorkspace({ 'main.kmflow': text });
        const doc = documents.get('main.kmflow')!;
        expect(doc.diagnostics!.filter((d) => d.code === 'repeated-option').map((d) => d.range.start)).toEqual([{ line: 1, character: 42 }]);
        const edits = await services.lsp.Formatter!.formatDocument(doc, { textDocument: { uri: URI.file('/ws/main.kmflow').toString() }, options: { tabSize: 4, insertSpaces: true } });
        expect(edits[0]!.newText).toContain('        with { message: "a" }\n        public\n        public\n');
    });
});

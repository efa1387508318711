/** Completion's data type rule start for names taken as one token (src/language/lsp/token-set-completion.ts). */
import { EmptyFileSystem } from 'langium';
import { describe, expect, it } from 'vitest';
import { createKmflowServices } from '../../src/language/kmflow-module.js';
import { tokenSetLeafAt } from '../../src/language/lsp/token-set-completion.js';

const TEXT = 'workflow w {\n  step first uses log\n  step second uses log { after first cache on }\n  step third uses json.query\n}\n';

describe('tokenSetLeafAt', () => {
    const services = createKmflowServices(EmptyFileSystem).Kmflow;
    const cst = services.parser.LangiumParser.parse(TEXT).value.$cstNode!;
    const at = (text: string, delta = 0): [number, number] | undefined =>
        tokenSetLeafAt(cst, TEXT.indexOf(text) + delta, services.parser.GrammarConfig.nameRegexp);

    it('finds a reference, a name or a value of a set being typed over, from its start to its end', () => {
        const on = TEXT.indexOf('on }');
        expect(at('on }')).toEqual([on, on + 2]);
        const ref = TEXT.indexOf('first cache');
        expect(at('first cache')).toEqual([ref, ref + 'first'.length]);
        expect(at('first cache', 3)).toEqual([ref, ref + 'first'.length]);
        const name = TEXT.indexOf('second');
        expect(at('second')).toEqual([name, name + 'second'.length]);
    });

    it('finds a tool id of one token, whose leaf stands for its node (cst-folding.ts), from its start to its end', () => {
        const log = TEXT.indexOf('log {');
        expect(at('log {')).toEqual([log, log + 'log'.length]);
        expect(at('log {', 2)).toEqual([log, log + 'log'.length]);
    });

    it('finds nothing at a keyword or in a tool id of several tokens (a rule with a node of its own, which Langium finds)', () => {
        expect(at('after')).toBeUndefined();
        expect(at('uses log')).toBeUndefined();
        expect(at('json.query')).toBeUndefined();
    });
});

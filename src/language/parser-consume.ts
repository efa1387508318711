/**
 * The parser's `consume`, with what each grammar element asks of it decided once: whether
 * it is a keyword and where its value goes (its assignment and cross-reference kind).
 * Langium's asks on every token (`isKeyword`, a reflection look-up, and `getAssignment`'s
 * map, whose answer it destructures); a 10,000-step file is 180,000 tokens. The steps are
 * Langium's, in its order: the token consumed, its comments placed, its leaf built, its
 * value converted and assigned, or added to the data type rule's text.
 *
 * Written against LangiumParser of Langium 4.2.1 (package.json pins it); the parser keeps
 * Langium's `consume` when its members are not as expected.
 */
import { DatatypeSymbol, GrammarAST, type CstNode, type LangiumParser } from 'langium';
import type { IToken, TokenType } from 'chevrotain';

interface Assignment {
    assignment?: GrammarAST.Assignment;
    crossRef?: 'single' | 'multi';
}

/** The LangiumParser members `consume` uses. */
interface ConsumeParser {
    wrapper: { wrapConsume(idx: number, tokenType: TokenType): IToken; IS_RECORDING: boolean };
    isValidToken(token: IToken): boolean;
    extractHiddenTokens(token: IToken): IToken[];
    nodeBuilder: { addHiddenNodes(tokens: IToken[]): void; buildLeafNode(token: IToken, feature: GrammarAST.AbstractElement): CstNode };
    getAssignment(feature: GrammarAST.AbstractElement): Assignment;
    stack: Array<{ $type: unknown; value?: string }>;
    converter: { convert(input: string, cstNode: CstNode): unknown };
    assign(operator: string, feature: string, value: unknown, cstNode: CstNode, crossRef: 'single' | 'multi' | undefined): void;
    consume(idx: number, tokenType: TokenType, feature: GrammarAST.AbstractElement): void;
}

/** What consuming a token for one grammar element does with it. */
interface ElementUse {
    keyword: boolean;
    assignment: GrammarAST.Assignment | undefined;
    crossRef: 'single' | 'multi' | undefined;
}

function isConsumeParser(parser: object): boolean {
    const p = parser as Partial<ConsumeParser>;
    return typeof p.wrapper?.wrapConsume === 'function' && typeof p.isValidToken === 'function'
        && typeof p.extractHiddenTokens === 'function' && typeof p.nodeBuilder?.buildLeafNode === 'function'
        && typeof p.getAssignment === 'function' && Array.isArray(p.stack) && typeof p.assign === 'function'
        && typeof p.converter?.convert === 'function';
}

/** `parser`, its `consume` deciding once per grammar element. */
export function withLeanConsume<P extends LangiumParser>(parser: P): P {
    if (!isConsumeParser(parser)) {
        return parser;
    }
    const target = parser as unknown as ConsumeParser;
    const uses = new Map<GrammarAST.AbstractElement, ElementUse>();
    const useOf = (p: ConsumeParser, feature: GrammarAST.AbstractElement): ElementUse => {
        let use = uses.get(feature);
        if (!use) {
            const { assignment, crossRef } = p.getAssignment(feature);
            use = { keyword: GrammarAST.isKeyword(feature), assignment, crossRef };
            uses.set(feature, use);
        }
        return use;
    };
    // As LangiumParser.consume in Langium 4.2.1.
    target.consume = function (this: ConsumeParser, idx: number, tokenType: TokenType, feature: GrammarAST.AbstractElement): void {
        const token = this.wrapper.wrapConsume(idx, tokenType);
        if (this.wrapper.IS_RECORDING || !this.isValidToken(token)) {
            return;
        }
        this.nodeBuilder.addHiddenNodes(this.extractHiddenTokens(token));
        const leaf = this.nodeBuilder.buildLeafNode(token, feature);
        const use = useOf(this, feature);
        if (use.assignment) {
            const value = use.keyword ? token.image : this.converter.convert(token.image, leaf);
            this.assign(use.assignment.operator, use.assignment.feature, value, leaf, use.crossRef);
            return;
        }
        const current = this.stack[this.stack.length - 1]!;
        if (current.$type === DatatypeSymbol) {
            current.value += use.keyword ? token.image : (this.converter.convert(token.image, leaf) as { toString(): string }).toString();
        }
    };
    return parser;
}

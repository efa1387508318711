/**
 * Completion where a name is typed over: Langium's completion first looks for a data type
 * rule around the cursor (`findDataTypeRuleStart`) and completes from its start, which
 * answers `after |s3` from the grammar alone. A rule kmflow's parser takes as one token
 * (token-sets.ts) has no node of its own, only the token's leaf, whose rule call is the
 * rule's: found here, the completion takes the same path as before, and does not go on to
 * tokenize the whole document to find the tokens around the cursor (8 ms at 10,000 lines).
 */
import { CstUtils, GrammarAST, type CstNode } from 'langium';

/** The place of the token-set leaf at `offset` (a name, a key...), as Langium's finds a data type rule's node. */
export function tokenSetLeafAt(cst: CstNode, offset: number, nameRegexp: RegExp): [number, number] | undefined {
    const leaf = CstUtils.findDeclarationNodeAtOffset(cst, offset, nameRegexp);
    let source = leaf?.grammarSource;
    if (GrammarAST.isCrossReference(source)) {
        source = source.terminal;
    }
    const rule = GrammarAST.isRuleCall(source) ? source.rule.ref : undefined;
    if (!leaf || 'content' in leaf || !GrammarAST.isParserRule(rule) || !rule.dataType) {
        return undefined;
    }
    return [leaf.offset, leaf.end];
}

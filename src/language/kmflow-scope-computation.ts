/**
 * Local symbols as Langium makes them, plus two: inside a `failure { ... }` block, the
 * name `output` stands for the call's output the rule reads (`output.error.code`); inside
 * a `test` block, `run` stands for the run's report (`run.status`). The block itself is
 * the symbol's target, so the name is visible in the block and nowhere else.
 * A step's item variable is that of its last `each` (an earlier one is overridden: the
 * last one counts, ast-options.ts), so an overridden `each` declares no name.
 */
import {
    Cancellation, DefaultScopeComputation, interruptAndCheck, MultiMap, type AstNode, type AstNodeDescription, type LangiumCoreServices,
    type LangiumDocument,
} from 'langium';
import { subtreeOf, topLevelNodes } from './incremental/fast-traversal.js';
import { NODES_PER_CHECK } from './incremental/fast-linker.js';
import { BlockSymbols } from './incremental/block-symbols.js';
import { LiveAstNodeDescriptionProvider } from './incremental/live-descriptions.js';
import { FAILURE_SUBJECT } from '../engine/tools/index.js';
import { EachClause, FailureRule, TestDecl } from './generated/ast.js';
import { lastOf } from './ast-options.js';

/** The name a test's expectations read the run's report by (`run.status`). */
export const TEST_RUN_SUBJECT = 'run';

export class KmflowScopeComputation extends DefaultScopeComputation {
    protected readonly blocks: BlockSymbols;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.blocks = new BlockSymbols(services.workspace.AstNodeDescriptionProvider instanceof LiveAstNodeDescriptionProvider);
    }

    /**
     * As Langium's, walking the AST without a stream and an `await` per node, and each
     * top-level block's symbols kept while the block is where it was (incremental/).
     */
    override async collectLocalSymbols(document: LangiumDocument,
        cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<MultiMap<AstNode, AstNodeDescription>> {
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        const add = (container: AstNode, description: AstNodeDescription): void => void symbols.add(container, description);
        let visited = 0;
        for (const top of topLevelNodes(document.parseResult.value)) {
            if (visited++ % NODES_PER_CHECK === 0) {
                await interruptAndCheck(cancelToken);
            }
            this.blocks.add(top, document, add, (record) => {
                const recorder = { add: record } as unknown as MultiMap<AstNode, AstNodeDescription>;
                // Indexed: a loop run once runs unoptimised, where `for...of` makes an
                // iterator result for every node (a 10,000-step file has 100,000).
                const nodes = subtreeOf(top);
                for (let i = 0; i < nodes.length; i++) {
                    this.addLocalSymbol(nodes[i]!, document, recorder);
                }
            });
        }
        return symbols;
    }

    /** By type name, once per node of the document: none of the three types has a subtype (the generated guards ask the reflection). */
    protected override addLocalSymbol(node: AstNode, document: LangiumDocument, symbols: MultiMap<AstNode, AstNodeDescription>): void {
        switch (node.$type) {
            case FailureRule.$type:
                symbols.add(node, this.descriptions.createDescription(node, FAILURE_SUBJECT, document));
                return;
            case TestDecl.$type:
                symbols.add(node, this.descriptions.createDescription(node, TEST_RUN_SUBJECT, document));
                return;
            case EachClause.$type:
                if (lastOf((node as EachClause).$container.each) !== node) {
                    return;
                }
                break;
        }
        super.addLocalSymbol(node, document, symbols);
    }
}

/**
 * A cache of what is computed from an AST node, valid for the parse that made the node.
 *
 * An edit re-parses only the top-level block it falls in (incremental/reparse.ts): the
 * other blocks keep their nodes, those after the edit at new offsets, and what they mean
 * may change with the edited block (a tool's declaration, a test's workflow). Each parse
 * gives the document a new `parseResult`, so keying on the node and its parse keeps the
 * rule a full re-parse gave for free: an edit anywhere in the document recomputes. A node
 * outside any document (an embedded `${}` expression) is keyed on its own tree.
 */
import type { AstNode, LangiumDocument } from 'langium';

/** The parse `node` belongs to: its document's parse result, else its tree's root. */
export function parseOf(node: AstNode): object {
    let root = node;
    while (root.$container) {
        root = root.$container;
    }
    return (root as { $document?: LangiumDocument }).$document?.parseResult ?? root;
}

export class ParseCache<K extends AstNode, V> {
    protected readonly entries = new WeakMap<K, { parse: object; value: V }>();

    /** The value for `node` under its current parse, computed once per parse. */
    get(node: K, compute: (node: K) => V): V {
        const parse = parseOf(node);
        const entry = this.entries.get(node);
        if (entry && entry.parse === parse) {
            return entry.value;
        }
        const value = compute(node);
        this.entries.set(node, { parse, value });
        return value;
    }
}

/**
 * Every `input.NAME` and step reference of a workflow with its position in the document,
 * including those inside `${}` strings, which Langium never links. References, rename,
 * hover, definition and semantic tokens read them here.
 */
import { AstUtils, GrammarUtils, type LangiumCoreServices } from 'langium';
import type { AstNode } from 'langium';
import { isLiteral, isRef, type Ref, type Step, type Workflow } from '../generated/ast.js';
import { isExprPart, templateParts } from '../interpolation.js';
import { entryKey } from '../static-values.js';
import { lastOf } from '../ast-options.js';
import { ParseCache } from '../parse-cache.js';

/** What a reference reads: an input, a step, an `each` item, or `env` / `secret`. */
export type RefKind = 'input' | 'step' | 'item' | 'env' | 'secret';

/** One reference's name as it appears in the text. */
export interface RefOccurrence {
    kind: RefKind;
    name: string;
    /** Document offset and length of the name (the `NAME` of `input.NAME`, or the step id). */
    offset: number;
    length: number;
    /** True when the reference sits inside a `${}` string. */
    embedded: boolean;
    /** The step that contains the reference, if any. */
    step?: Step;
    ref: Ref;
}

const cache = new ParseCache<Workflow, RefOccurrence[]>();

/** The references of a workflow, in document order. Cached per parse (they hold document offsets: parse-cache.ts). */
export function workflowRefs(services: LangiumCoreServices, workflow: Workflow): RefOccurrence[] {
    return cache.get(workflow, () => refsUnder(services, workflow));
}

/** The references under any node (a `test` block's, say), in document order; not cached. */
export function refsUnder(services: LangiumCoreServices, root: AstNode): RefOccurrence[] {
    const refs: RefOccurrence[] = [];
    collect(services, root, 0, false, undefined, refs);
    refs.sort((a, b) => a.offset - b.offset);
    return refs;
}

function collect(services: LangiumCoreServices, root: AstNode, base: number, embedded: boolean,
    outerStep: Step | undefined, out: RefOccurrence[]): void {
    for (const node of AstUtils.streamAst(root)) {
        const step = outerStep ?? AstUtils.getContainerOfType(node, (n): n is Step => n.$type === 'Step');
        if (isRef(node)) {
            const occurrence = occurrenceOf(node, base, embedded, step);
            if (occurrence) {
                out.push(occurrence);
            }
        } else if (isLiteral(node)) {
            for (const part of templateParts(services, node) ?? []) {
                if (isExprPart(part) && part.expr) {
                    collect(services, part.expr, part.offset, true, step, out);
                }
            }
        }
    }
}

function occurrenceOf(ref: Ref, base: number, embedded: boolean, step: Step | undefined): RefOccurrence | undefined {
    if (ref.scope) {
        const cst = GrammarUtils.findNodeForProperty(ref.$cstNode, 'name');
        if (!cst || ref.name === undefined) {
            return undefined;
        }
        return { kind: ref.scope as RefKind, name: entryKey(ref.name), offset: base + cst.offset, length: cst.length, embedded, step, ref };
    }
    const cst = GrammarUtils.findNodeForProperty(ref.$cstNode, 'target');
    const name = ref.target?.$refText;
    if (!cst || !name) {
        return undefined;
    }
    const kind: RefKind = step && lastOf(step.each)?.name === name ? 'item' : 'step';
    return { kind, name, offset: base + cst.offset, length: cst.length, embedded, step, ref };
}

/** The reference whose name covers `offset` (inclusive of its end, as a cursor may sit there). */
export function refAt(refs: readonly RefOccurrence[], offset: number): RefOccurrence | undefined {
    return refs.find((r) => r.offset <= offset && offset <= r.offset + r.length);
}

/**
 * The checks of a top-level block (a workflow's), kept from one validation to the next
 * while nothing they read has changed, so a keystroke in one workflow of a big file does
 * not check every other workflow again.
 *
 * An edit re-parses only the blocks it touches (reparse.ts): an untouched workflow keeps
 * its node, and the node's subtree is never changed, only moved. What a workflow's checks
 * read besides its own subtree is its context (block-context.ts). While the node, that
 * context and the block's place (the line and character it starts at: checks say lines in
 * their messages, "only the last one (line 39) counts") are the same, the checks would
 * accept the same diagnostics again, at the same places: they are replayed through the
 * acceptor. A block an edit above moved to other lines is checked again. A check that
 * put a place into `data` (an offset would move with any edit above), or related a place
 * outside the block, is not kept. The
 * property test holds the diagnostics to a full rebuild's (test/language/incremental-parse.test.ts).
 *
 * A workflow check that reads another workflow, or anything else outside this context,
 * must not go through this cache.
 */
import { AstUtils, type AstNode, type DiagnosticInfo, type ValidationAcceptor, type ValidationSeverity } from 'langium';
import type { KmflowServices } from '../kmflow-module.js';
import { blockContext, sameContext } from './block-context.js';

type Check<T extends AstNode> = (node: T, accept: ValidationAcceptor) => void;

interface Accepted {
    severity: ValidationSeverity;
    message: string;
    info: DiagnosticInfo<AstNode, string>;
}

interface Entry {
    context: readonly unknown[];
    line: number;
    character: number;
    accepted: Accepted[];
}

export class BlockCheckCache {
    protected readonly entries = new WeakMap<AstNode, Entry>();

    constructor(protected readonly services: KmflowServices) {}

    /** `check`, replayed from its last run on the same block in the same context and place. */
    wrap<T extends AstNode>(check: Check<T>): Check<T> {
        return (node, accept) => {
            const start = node.$cstNode?.range.start;
            const context = blockContext(this.services, AstUtils.getDocument(node));
            const known = this.entries.get(node);
            if (start && known && known.line === start.line && known.character === start.character && sameContext(known.context, context)) {
                for (const a of known.accepted) {
                    accept(a.severity, a.message, a.info);
                }
                return;
            }
            const accepted: Accepted[] = [];
            let keep = start !== undefined;
            check(node, (severity, message, info) => {
                accept(severity, message, info);
                keep &&= !hasPosition(info.data) && relatedWithin(info.relatedInformation, node);
                accepted.push({ severity, message, info: info as DiagnosticInfo<AstNode, string> });
            });
            if (keep && start) {
                this.entries.set(node, { context, line: start.line, character: start.character, accepted });
            } else {
                this.entries.delete(node);
            }
        };
    }
}

/** Related places only inside the block itself: one outside it could move while the block stays. */
function relatedWithin(related: DiagnosticInfo<AstNode, string>['relatedInformation'], block: AstNode): boolean {
    const cst = block.$cstNode;
    if (!related || related.length === 0) {
        return true;
    }
    const uri = AstUtils.getDocument(block).uri.toString();
    const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean =>
        a.line < b.line || (a.line === b.line && a.character <= b.character);
    return cst !== undefined && related.every((r) => r.location.uri === uri
        && before(cst.range.start, r.location.range.start) && before(r.location.range.end, cst.range.end));
}

/** Whether `data` holds anything that looks like a place (a position, a range, an offset): it would not move. */
function hasPosition(data: unknown): boolean {
    if (data === null || typeof data !== 'object') {
        return false;
    }
    const record = data as Record<string, unknown>;
    if ('line' in record || 'character' in record || 'offset' in record || 'range' in record || 'start' in record) {
        return true;
    }
    return Object.values(record).some(hasPosition);
}

/**
 * The checks of a top-level block (a workflow's), kept from one validation to the next
 * while nothing they read has changed, so a keystroke in one workflow of a big file does
 * not check every other workflow again.
 *
 * An edit re-parses only the blocks it touches (reparse.ts): an untouched workflow keeps
 * its node, and the node's subtree is never changed, only moved. What a workflow's checks
 * read besides its own subtree is its context (block-context.ts). While the node and that
 * context are the same, the checks would accept the same diagnostics again: they are replayed through the
 * acceptor, which places each at its node's current range. A range a check gives itself
 * (inside `${}`, a related location) is kept relative to the block's start, since the
 * block moves as a whole; a check that placed anything outside its block, or put a
 * position into `data`, is not kept. The property test holds the diagnostics to a full
 * rebuild's (test/language/incremental-parse.test.ts).
 *
 * A workflow check that reads another workflow, or anything else outside this context,
 * must not go through this cache.
 */
import { AstUtils, type AstNode, type DiagnosticInfo, type ValidationAcceptor, type ValidationSeverity } from 'langium';
import type { Position, Range } from 'vscode-languageserver-types';
import type { KmflowServices } from '../kmflow-module.js';
import { blockContext, sameContext } from './block-context.js';

type Check<T extends AstNode> = (node: T, accept: ValidationAcceptor) => void;

/** A position relative to the block's start: lines after it, and the character (from the block's, on its first line). */
interface Relative {
    line: number;
    character: number;
}

interface Accepted {
    severity: ValidationSeverity;
    message: string;
    info: DiagnosticInfo<AstNode, string>;
    range?: [Relative, Relative];
    related?: Array<[Relative, Relative]>;
}

interface Entry {
    context: readonly unknown[];
    accepted: Accepted[];
}

export class BlockCheckCache {
    protected readonly entries = new WeakMap<AstNode, Entry>();

    constructor(protected readonly services: KmflowServices) {}

    /** `check`, replayed from its last run on the same block in the same context. */
    wrap<T extends AstNode>(check: Check<T>): Check<T> {
        return (node, accept) => {
            const start = node.$cstNode?.range.start;
            const document = AstUtils.getDocument(node);
            const context = blockContext(this.services, document);
            const known = this.entries.get(node);
            if (start && known && sameContext(known.context, context)) {
                for (const a of known.accepted) {
                    accept(a.severity, a.message, placed(a, start));
                }
                return;
            }
            const accepted: Accepted[] = [];
            let keep = start !== undefined;
            check(node, (severity, message, info) => {
                accept(severity, message, info);
                const kept = keep && start ? relative(severity, message, info as DiagnosticInfo<AstNode, string>, node, start) : undefined;
                keep = kept !== undefined;
                if (kept) {
                    accepted.push(kept);
                }
            });
            if (keep) {
                this.entries.set(node, { context, accepted });
            } else {
                this.entries.delete(node);
            }
        };
    }
}

/** What `accept` got, with the ranges it was given relative to the block; undefined when it cannot be kept. */
function relative(severity: ValidationSeverity, message: string, info: DiagnosticInfo<AstNode, string>, block: AstNode,
    start: Position): Accepted | undefined {
    const cst = block.$cstNode!;
    const within = (r: Range): boolean => inside(r.start, cst.range) && inside(r.end, cst.range);
    if (hasPosition(info.data) || (info.range && !within(info.range))) {
        return undefined;
    }
    const uri = AstUtils.getDocument(block).uri.toString();
    const related = info.relatedInformation;
    if (related?.some((r) => r.location.uri !== uri || !within(r.location.range))) {
        return undefined;
    }
    return {
        severity, message, info,
        range: info.range && [toRelative(info.range.start, start), toRelative(info.range.end, start)],
        related: related?.map((r) => [toRelative(r.location.range.start, start), toRelative(r.location.range.end, start)]),
    };
}

/** The accepted info again, its own ranges placed from the block's current start. */
function placed(a: Accepted, start: Position): DiagnosticInfo<AstNode, string> {
    if (!a.range && !a.related) {
        return a.info;
    }
    return {
        ...a.info,
        ...(a.range && { range: { start: toAbsolute(a.range[0], start), end: toAbsolute(a.range[1], start) } }),
        ...(a.related && {
            relatedInformation: a.info.relatedInformation!.map((r, i) => ({
                ...r, location: { ...r.location, range: { start: toAbsolute(a.related![i]![0], start), end: toAbsolute(a.related![i]![1], start) } },
            })),
        }),
    };
}

function toRelative(p: Position, start: Position): Relative {
    return { line: p.line - start.line, character: p.line === start.line ? p.character - start.character : p.character };
}

function toAbsolute(r: Relative, start: Position): Position {
    return { line: start.line + r.line, character: r.line === 0 ? start.character + r.character : r.character };
}

function inside(p: Position, r: Range): boolean {
    const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
    const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
    return afterStart && beforeEnd;
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

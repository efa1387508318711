/**
 * Turns an `optimize` recommendation (a WorkflowChange) into text edits of the kmflow
 * source, found through the document's CST: drop one name of an `after` clause, set
 * or add a workflow setting (`max_parallel 4`, `mode pipeline`, `cache intelligent`),
 * add `cache on` to a step. Applied, the text prepares to the workflow that
 * `applyChange` builds, which is what the optimizer simulated.
 */
import { GrammarUtils, isCompositeCstNode, type CstNode, type LangiumDocument } from 'langium';
import type { WorkflowSettings } from '../engine/model/index.js';
import type { WorkflowChange } from '../engine/insight/index.js';
import { isDocument, type Step, type Workflow } from '../language/generated/ast.js';
import { lastOf } from '../language/ast-options.js';

/** Replace `[start, end)` (offsets into the text) by `newText`. */
export interface TextEditSpec {
    start: number;
    end: number;
    newText: string;
}

/** A workflow setting's keyword and AST property. */
const SETTING_KEYWORDS: Partial<Record<keyof WorkflowSettings, { keyword: string; property: keyof Workflow }>> = {
    mode: { keyword: 'mode', property: 'mode' },
    target: { keyword: 'target', property: 'target' },
    selection: { keyword: 'selection', property: 'selection' },
    resources: { keyword: 'resources', property: 'resources' },
    monitoring: { keyword: 'monitoring', property: 'monitoring' },
    cache: { keyword: 'cache', property: 'cache' },
    errors: { keyword: 'errors', property: 'errors' },
    maxParallel: { keyword: 'max_parallel', property: 'maxParallel' },
    timeoutMs: { keyword: 'timeout', property: 'timeout' },
};

/** Why a change cannot be made a text edit (the workflow or step is not in the text). */
export class EditError extends Error {}

function settingText(key: keyof WorkflowSettings, value: unknown): string {
    return key === 'timeoutMs' ? `${String(value)}ms` : String(value);
}

/** The non-hidden direct children of a node: keywords, values and rule calls of that AST node. */
function children(node: CstNode | undefined): CstNode[] {
    return node && isCompositeCstNode(node) ? node.content.filter((c) => !c.hidden) : [];
}

function isKeyword(node: CstNode | undefined, value: string): boolean {
    return node?.grammarSource?.$type === 'Keyword' && node.text === value;
}

/** Indentation of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * A removal of `[start, end)` that leaves tidy text: the whole line when nothing else
 * is on it, else the range with the blanks before it.
 */
function removal(text: string, start: number, end: number): TextEditSpec {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const newline = text.indexOf('\n', end);
    const lineEnd = newline < 0 ? text.length : newline;
    if (text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '') {
        return { start: lineStart, end: newline < 0 ? lineEnd : newline + 1, newText: '' };
    }
    let from = start;
    while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) {
        from--;
    }
    return { start: from, end, newText: '' };
}

/** An insertion of member `line` into a block opened by `open` (`{`): on its own line, indented like its siblings. */
function insertMember(text: string, owner: CstNode, open: CstNode, line: string): TextEditSpec {
    const next = children(owner).find((c) => c.offset > open.offset);
    const ownerIndent = indentAt(text, owner.offset);
    const multiLine = next !== undefined && text.slice(open.end, next.offset).includes('\n');
    const indent = multiLine ? indentAt(text, next.offset) : `${ownerIndent}    `;
    return { start: open.end, end: open.end, newText: `\n${indent}${line}` };
}

function findWorkflow(document: LangiumDocument, id: string): Workflow {
    const root = document.parseResult.value;
    const workflow = isDocument(root) ? root.workflows.find((w) => w.name === id) : undefined;
    if (!workflow?.$cstNode) {
        throw new EditError(`workflow '${id}' is not in this document`);
    }
    return workflow;
}

function findStep(workflow: Workflow, id: string): Step & { $cstNode: CstNode } {
    const step = workflow.steps.find((s) => s.name === id);
    if (!step?.$cstNode) {
        throw new EditError(`step '${id}' is not in workflow '${workflow.name}'`);
    }
    return step as Step & { $cstNode: CstNode };
}

function removeAfter(text: string, step: Step & { $cstNode: CstNode }, after: string): TextEditSpec[] {
    const index = step.after.findIndex((r) => r.$refText === after);
    const ref = index < 0 ? undefined : GrammarUtils.findNodeForProperty(step.$cstNode, 'after', index);
    if (!ref) {
        throw new EditError(`step '${step.name}' has no \`after ${after}\``);
    }
    const nodes = children(step.$cstNode);
    const k = nodes.findIndex((n) => n.offset <= ref.offset && ref.end <= n.end);
    const before = nodes[k - 1];
    const next = nodes[k + 1];
    if (isKeyword(before, ',')) {
        return [{ start: before!.offset, end: nodes[k]!.end, newText: '' }]; // `after a, b` → `after a`
    }
    if (isKeyword(next, ',')) {
        let end = next!.end;
        while (text[end] === ' ') {
            end++;
        }
        return [{ start: nodes[k]!.offset, end, newText: '' }]; // `after a, b` → `after b`
    }
    return [removal(text, before!.offset, nodes[k]!.end)]; // the whole `after a`
}

/**
 * A setting may be written more than once and the last copy counts (ast-options.ts): a new
 * value replaces the last copy, and removing the setting removes every copy (an earlier
 * one would count otherwise).
 */
function setSetting(text: string, workflow: Workflow, key: keyof WorkflowSettings, value: unknown): TextEditSpec[] {
    const cst = workflow.$cstNode!;
    if (key === 'enterprise') {
        const flags = GrammarUtils.findNodesForProperty(cst, 'enterprise');
        if (value && flags.length === 0) {
            return [insertMember(text, cst, GrammarUtils.findNodeForKeyword(cst, '{')!, 'enterprise')];
        }
        return value ? [] : flags.map((flag) => removal(text, flag.offset, flag.end));
    }
    const spec = SETTING_KEYWORDS[key];
    if (!spec) {
        throw new EditError(`setting '${key}' has no keyword`);
    }
    const copies = GrammarUtils.findNodesForProperty(cst, spec.property);
    const node = lastOf(copies);
    if (node) {
        if (value === undefined) {
            const nodes = children(cst);
            return copies.map((copy) => {
                const keyword = nodes[nodes.findIndex((n) => n.offset === copy.offset) - 1]!;
                return removal(text, keyword.offset, copy.end);
            });
        }
        return [{ start: node.offset, end: node.end, newText: settingText(key, value) }];
    }
    return value === undefined ? [] : [insertMember(text, cst, GrammarUtils.findNodeForKeyword(cst, '{')!, `${spec.keyword} ${settingText(key, value)}`)];
}

function cacheStepOn(text: string, step: Step & { $cstNode: CstNode }): TextEditSpec[] {
    const cst = step.$cstNode;
    const existing = lastOf(GrammarUtils.findNodesForProperty(cst, 'cache'));
    if (existing) {
        return existing.text === 'on' ? [] : [{ start: existing.offset, end: existing.end, newText: 'on' }];
    }
    const nodes = children(cst);
    const open = nodes.find((n) => isKeyword(n, '{'));
    const close = nodes.at(-1);
    if (!open || !isKeyword(close, '}')) {
        return [{ start: cst.end, end: cst.end, newText: ' { cache on }' }];
    }
    if (!text.slice(open.end, close!.offset).includes('\n')) {
        const inner = text.slice(open.end, close!.offset);
        return inner.trim() === ''
            ? [{ start: open.end, end: close!.offset, newText: ' cache on ' }]
            : [{ start: close!.offset, end: close!.offset, newText: `${/\s$/.test(inner) ? '' : ' '}cache on ` }];
    }
    return [insertMember(text, cst, open, 'cache on')];
}

/** The text edits that make `change` in workflow `workflowId` of `document` (EditError when they cannot). */
export function changeEdits(document: LangiumDocument, workflowId: string, change: WorkflowChange): TextEditSpec[] {
    const text = document.textDocument.getText();
    const workflow = findWorkflow(document, workflowId);
    switch (change.kind) {
        case 'remove-after':
            return removeAfter(text, findStep(workflow, change.step), change.after);
        case 'settings':
            return Object.entries(change.settings)
                .flatMap(([key, value]) => setSetting(text, workflow, key as keyof WorkflowSettings, value));
        case 'cache-step':
            return [
                ...setSetting(text, workflow, 'cache', change.strategy),
                ...cacheStepOn(text, findStep(workflow, change.step)),
            ];
    }
}

/** `text` with non-overlapping `edits` applied; insertions at one offset keep their order, as in a WorkspaceEdit. */
export function applyTextEdits(text: string, edits: readonly TextEditSpec[]): string {
    let out = text;
    const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
    for (const { e } of order) {
        out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    }
    return out;
}

/** The change in the language's words, e.g. ``remove `after fetch` from step `merge` ``. */
export function describeChange(change: WorkflowChange): string {
    switch (change.kind) {
        case 'remove-after':
            return `remove \`after ${change.after}\` from step \`${change.step}\``;
        case 'settings':
            return Object.entries(change.settings)
                .map(([key, value]) => (key === 'enterprise'
                    ? (value ? 'add `enterprise`' : 'remove `enterprise`')
                    : value === undefined
                        ? `remove \`${SETTING_KEYWORDS[key as keyof WorkflowSettings]?.keyword ?? key}\``
                        : `set \`${SETTING_KEYWORDS[key as keyof WorkflowSettings]?.keyword ?? key} ${settingText(key as keyof WorkflowSettings, value)}\``))
                .join(', ');
        case 'cache-step':
            return `set \`cache ${change.strategy}\` and add \`cache on\` to step \`${change.step}\``;
    }
}

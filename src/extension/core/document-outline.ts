/**
 * Where workflows and steps start in a document's text, found line by line without a
 * parse: cheap enough for every code-lens request and for choosing a workflow before
 * the (slower) full load. Block comments are skipped.
 */

/** A `workflow NAME` or `step NAME` header and its 0-based line. */
export interface OutlineEntry {
    kind: 'workflow' | 'step';
    name: string;
    /** The enclosing workflow, for steps (the workflow itself for workflows). */
    workflow: string;
    line: number;
}

const WORKFLOW = /^\s*workflow\s+([A-Za-z_][A-Za-z0-9_]*)\b/;
const STEP = /^\s*step\s+([A-Za-z_][A-Za-z0-9_]*)\b/;

/** Workflow and step headers in document order. */
export function outline(text: string): OutlineEntry[] {
    const entries: OutlineEntry[] = [];
    let current: string | undefined;
    let inComment = false;
    text.split(/\r?\n/).forEach((raw, line) => {
        let l = raw;
        if (inComment) {
            const end = l.indexOf('*/');
            if (end < 0) {
                return;
            }
            inComment = false;
            l = ' '.repeat(end + 2) + l.slice(end + 2);
        }
        const open = l.indexOf('/*');
        if (open >= 0 && l.indexOf('*/', open + 2) < 0) {
            inComment = true;
            l = l.slice(0, open);
        }
        const wf = WORKFLOW.exec(l);
        if (wf) {
            current = wf[1]!;
            entries.push({ kind: 'workflow', name: current, workflow: current, line });
            return;
        }
        const step = STEP.exec(l);
        if (step && current) {
            entries.push({ kind: 'step', name: step[1]!, workflow: current, line });
        }
    });
    return entries;
}

/** The workflow names of a document, in order. */
export function workflowNames(text: string): string[] {
    return outline(text).filter((e) => e.kind === 'workflow').map((e) => e.name);
}

/** The workflow whose header is the last one at or above `line` (the cursor's). */
export function workflowAt(text: string, line: number): string | undefined {
    return outline(text).filter((e) => e.kind === 'workflow' && e.line <= line).at(-1)?.name;
}

/** The step whose header is the last one at or above `line`, within its workflow. */
export function stepAt(text: string, line: number): { workflow: string; step: string } | undefined {
    const above = outline(text).filter((e) => e.line <= line);
    const last = above.at(-1);
    return last?.kind === 'step' ? { workflow: last.workflow, step: last.name } : undefined;
}

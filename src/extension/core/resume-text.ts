/** How Resume Run's quick pick describes a journaled run. */
import type { ResumeCandidate } from '../../shared/lsp-protocol.js';

/** One line for a quick pick: what happened and what a resume keeps. */
export function describeCandidate(c: ResumeCandidate): string {
    const parts: string[] = [c.status, `${c.done.length} step(s) done`];
    if (c.failed.length > 0) {
        parts.push(`stopped at ${c.failed.join(', ')}`);
    }
    if (c.source?.file) {
        parts.push(c.source.file);
    }
    return parts.join(' · ');
}

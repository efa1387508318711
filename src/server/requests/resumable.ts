/**
 * `kmflow/resumable`: the journaled runs a resume can pick up — every run that did not
 * succeed, newest first, in the folder of `uri` or every workspace folder; or one run
 * by id (`last`: the newest of `workflow`), whatever its status. Reads only.
 */
import type { ResumableParams, ResumeCandidate } from '../../shared/lsp-protocol.js';
import { rootOf, type ServerContext } from '../context.js';
import { findResumable, listResumable } from '../resume-candidates.js';

export async function resumableRequest(ctx: ServerContext, params: ResumableParams): Promise<{ candidates: ResumeCandidate[] }> {
    const roots = params.uri !== undefined ? [rootOf(ctx, params.uri)] : ctx.folders();
    if (params.runId !== undefined) {
        for (const root of roots) {
            const found = await findResumable(root, params.runId, params.workflow);
            if (found) {
                return { candidates: [found] };
            }
        }
        return { candidates: [] };
    }
    const all = (await Promise.all(roots.map((root) => listResumable(root, params.workflow)))).flat();
    return { candidates: all.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId)) };
}

/**
 * Which runs can be resumed: the journals under `.kmflow/runs` whose run did not
 * succeed (it failed, was cancelled, or was killed before its end), newest first, each
 * with the steps a resume restores and where the run came from. A run whose own resume
 * already succeeded is left out: nothing is left to do.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findJournal, readJournal, type ReadJournal } from '../engine/state/index.js';
import type { RunStatus } from '../engine/run/index.js';
import type { ResumeCandidate } from '../shared/lsp-protocol.js';
import { readRunSource, runsDir } from './run-source.js';

export type { ResumeCandidate } from '../shared/lsp-protocol.js';

interface Journaled {
    journal: ReadJournal;
    status: RunStatus | 'interrupted';
}

/** The status of the `run-finished` line (the journal's last), if the run got there. */
function finishedStatus(text: string): RunStatus | undefined {
    const lines = text.trimEnd().split('\n');
    try {
        const last = JSON.parse(lines[lines.length - 1] ?? '') as { type?: string; status?: RunStatus };
        return last.type === 'run-finished' ? last.status : undefined;
    } catch {
        return undefined;
    }
}

async function readOne(file: string): Promise<Journaled | undefined> {
    try {
        const text = await fs.readFile(file, 'utf8');
        const journal = readJournal(file);
        const status = journal.finished ? finishedStatus(text) ?? 'failed' : 'interrupted';
        return { journal, status };
    } catch {
        return undefined; // not a journal, or unreadable: not resumable
    }
}

/** The resumable runs of `root` (optionally of one workflow), newest first. */
export async function listResumable(root: string, workflow?: string): Promise<ResumeCandidate[]> {
    const dir = runsDir(root);
    let names: string[];
    try {
        names = (await fs.readdir(dir)).filter((n) => n.endsWith('.jsonl'));
    } catch {
        return [];
    }
    const all = (await Promise.all(names.map((n) => readOne(path.join(dir, n))))).filter((j): j is Journaled => j !== undefined);
    const resumedOk = new Set(all.filter((j) => j.status === 'succeeded' && j.journal.header.resumedFrom !== undefined)
        .map((j) => j.journal.header.resumedFrom!));
    const candidates = all.filter((j) => j.status !== 'succeeded' && !resumedOk.has(j.journal.header.runId)
        && (workflow === undefined || j.journal.header.workflow === workflow));
    const out = await Promise.all(candidates.map((j) => candidateOf(root, j)));
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId));
}

/**
 * The journaled run `runId` of `root` (or with `last`, the newest of `workflow`), what
 * a resume would restore and where it came from; undefined when there is no journal.
 * Unlike `listResumable` it does not judge: a succeeded run is returned too.
 */
export async function findResumable(root: string, runId: string, workflow = ''): Promise<ResumeCandidate | undefined> {
    const file = findJournal(runsDir(root), runId, workflow);
    const journaled = file ? await readOne(file) : undefined;
    return journaled ? candidateOf(root, journaled) : undefined;
}

async function candidateOf(root: string, { journal, status }: Journaled): Promise<ResumeCandidate> {
    const { header } = journal;
    const done: string[] = [];
    const failed: string[] = [...journal.inFlight];
    for (const [id, record] of journal.steps) {
        if (record.type === 'step-finished' && (record.status === 'succeeded' || (record.status === 'skipped' && record.skippedByWhen))) {
            done.push(id);
        } else if (record.type === 'step-finished' && record.status === 'failed') {
            failed.push(id);
        }
    }
    const source = await readRunSource(root, header.runId);
    return {
        runId: header.runId, workflow: header.workflow, startedAt: header.startedAt, status, done, failed,
        ...(header.resumedFrom !== undefined && { resumedFrom: header.resumedFrom }),
        ...(source && { source }),
    };
}

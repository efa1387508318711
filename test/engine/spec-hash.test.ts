/**
 * The workflow hashes a journal keeps (spec-hash.ts): from version 3 each step's JSON as
 * the model builds it, 16 hex digits a step; journals before version 3 hold canonical
 * hashes, and a resume from one is checked against those (legacyWorkflowHashes).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { canonicalJson } from '../../src/engine/state/cache/canonical.js';
import { sealLine } from '../../src/engine/state/journal/line-seal.js';
import { legacyWorkflowHashes, workflowHashes } from '../../src/engine/state/journal/spec-hash.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import type { WorkflowSpec } from '../../src/engine/model/model.js';
import { lit, obj, ref, setup, step, tool, workflow } from './helpers.js';

const sha = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');
const LOCATION = new Set(['location']);

/** The hashes of journals before version 3, as they were computed then. */
function referenceLegacy(wf: WorkflowSpec): { spec: string; steps: Record<string, string> } {
    const steps: Record<string, string> = {};
    for (const s of wf.steps) {
        steps[s.id] = sha(canonicalJson(s, LOCATION));
    }
    const inputs = sha(canonicalJson(wf.inputs, LOCATION));
    return { spec: sha(canonicalJson({ id: wf.id, inputs, steps: wf.steps.map((s) => steps[s.id]) })), steps };
}

const wf = workflow([
    { ...step('a', 't', { n: lit(1) }), location: { file: 'f.kmflow', line: 3, column: 5 } },
    { ...step('b', 't', { prev: ref('a', 'output') }, { after: ['a'] }), location: { file: 'f.kmflow', line: 4, column: 5 } },
], {}, { inputs: [{ name: 'n', type: 'number', hasDefault: true, default: 1 }] });

describe('workflowHashes', () => {
    it('leaves locations out, keeps 16 hex digits a step, and changes with what a step does', () => {
        const h = workflowHashes(wf);
        expect(h.spec).toMatch(/^[0-9a-f]{64}$/);
        expect(Object.values(h.steps).every((x) => /^[0-9a-f]{16}$/.test(x))).toBe(true);
        const moved = { ...wf, steps: wf.steps.map((s) => ({ ...s, location: { file: 'g.kmflow', line: 40, column: 1 } })) };
        expect(workflowHashes(moved)).toEqual(h);
        const changed = { ...wf, steps: wf.steps.map((s) => (s.id === 'b' ? { ...s, with: obj({ prev: lit(2) }) } : s)) };
        const c = workflowHashes(changed);
        expect(c.spec).not.toBe(h.spec);
        expect(c.steps.a).toBe(h.steps.a);
        expect(c.steps.b).not.toBe(h.steps.b);
        expect(workflowHashes({ ...wf, inputs: [{ ...wf.inputs[0]!, default: 2 }] }).spec).not.toBe(h.spec);
    });

    it('legacyWorkflowHashes are the hashes journals before version 3 hold', () => {
        expect(legacyWorkflowHashes(wf)).toEqual(referenceLegacy(wf));
        expect(legacyWorkflowHashes(wf).spec).not.toBe(workflowHashes(wf).spec);
    });
});

describe('resuming a journal of version 2', () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-spec-hash-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Runs `wf` (b fails), then rewrites its journal's header as version 2 with `hashes`. */
    async function version2Journal(hashes: { spec: string; steps: Record<string, string> }, calls: string[], state: { failB: boolean }) {
        const s = setup([tool('t')], {
            t: (_p, ctx) => {
                calls.push(ctx.stepId!);
                if (ctx.stepId === 'b' && state.failB) {
                    throw new ToolError('tool-error', 'b broke', { retryable: false });
                }
                return { from: ctx.stepId };
            },
        });
        const options = { registry: s.registry, connectors: s.connectors, journalDir: dir };
        await runWorkflow(wf, { ...options, runId: 'r1' });
        const file = path.join(dir, 'r1.jsonl');
        const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
        const { sum: _sum, ...header } = JSON.parse(lines[0]!) as Record<string, unknown>;
        lines[0] = sealLine(JSON.stringify({ ...header, version: 2, specHash: hashes.spec, stepHashes: hashes.steps }));
        fs.writeFileSync(file, `${lines.join('\n')}\n`);
        calls.length = 0;
        state.failB = false;
        return options;
    }

    it('checks it against the hashes of its time: resumes an unchanged workflow, names a changed step', async () => {
        const calls: string[] = [];
        const options = await version2Journal(legacyWorkflowHashes(wf), calls, { failB: true });
        const changed = { ...wf, steps: wf.steps.map((s) => (s.id === 'a' ? { ...s, with: obj({ n: lit(5) }) } : s)) };
        await expect(runWorkflow(changed, { ...options, resume: { runId: 'r1' } })).rejects.toThrow(/changed since \(step 'a' changed\)/);
        const report = await runWorkflow(wf, { ...options, runId: 'r2', resume: { runId: 'r1' } });
        expect(report.status).toBe('succeeded');
        expect(calls).toEqual(['b']);
    });

    it('refuses one whose header holds hashes of another scheme', async () => {
        const calls: string[] = [];
        const options = await version2Journal(workflowHashes(wf), calls, { failB: true });
        await expect(runWorkflow(wf, { ...options, resume: { runId: 'r1' } })).rejects.toThrow(/changed since/);
        expect(calls).toEqual([]);
    });
});

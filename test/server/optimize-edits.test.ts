import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/engine/state/history/index.js';
import type { WorkflowSpec } from '../../src/engine/model/model.js';
import { optimizeWorkflow } from '../../src/engine/insight/optimize.js';
import { applyChange, type WorkflowChange } from '../../src/engine/insight/optimize-changes.js';
import { EditError, applyTextEdits, changeEdits, describeChange } from '../../src/server/optimize-edits.js';
import { effectText, noGainText, noiseMs, optimizationMarkdown, splitByGain } from '../../src/server/views/optimize-view.js';
import { prepareText, runText } from '../helpers/app-runs.js';
import { writeWorkflow } from '../extension/helpers.js';
import { fixtureText } from './helpers.js';

// Three things to optimize: max_parallel 1 over independent delays, a read-only step
// with fixed parameters whose output is read, and an `after a` implied through `c`.
const OPT = fixtureText('optimizable.kmflow');

let root: string;
beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-optimize-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** What a change touches: settings and each step's `after` and `cache`. */
function shape(w: WorkflowSpec): unknown {
    return { settings: w.settings, steps: w.steps.map((s) => ({ id: s.id, after: s.after, cache: s.cache ?? false })) };
}

/** Applies `change` to `text` as edits; checks the edited text prepares to what `applyChange` builds; the new text. */
async function applied(text: string, change: WorkflowChange, workflow = 'opt'): Promise<string> {
    const before = await prepareText(writeWorkflow(root, 'before.kmflow', text), { workflow });
    const edited = applyTextEdits(text, changeEdits(before.document, workflow, change));
    const after = await prepareText(writeWorkflow(root, 'after.kmflow', edited), { workflow });
    expect(shape(after.workflow)).toEqual(shape(applyChange(before.workflow, change)));
    return edited;
}

describe('optimize recommendations as text edits', () => {
    it('applies each real recommendation so the file becomes the workflow the optimizer simulated', async () => {
        const target = writeWorkflow(root, 'opt.kmflow', OPT);
        const prepared = await prepareText(target);
        for (let i = 0; i < 3; i++) {
            expect((await runText(prepared, { root, durable: true })).status).toBe('succeeded');
        }
        const o = await optimizeWorkflow(prepared.workflow, prepared.registry, await loadHistory(root));
        expect(o.recommendations.map((r) => r.kind).sort()).toEqual(['cache', 'max-parallel', 'remove-after']);
        for (const r of o.recommendations) {
            await applied(OPT, r.change);
            expect(effectText(r)).toMatch(/^[−+]\d.* \(-?\d+%\), utilization [+-]?\d+ pts$/);
        }
        const md = optimizationMarkdown(o);
        expect(md).toContain('set `max_parallel 2`');
        expect(md).toContain('remove `after a` from step `e`');
        // Only gains above the noise are offered: the implied `after` saves nothing, so it is listed apart.
        const { offered, belowNoise } = splitByGain(o);
        expect(offered.length).toBeGreaterThan(0);
        expect(offered.every((r) => -r.predicted.deltaMs > noiseMs(o))).toBe(true);
        expect(belowNoise.map((r) => r.kind)).toContain('remove-after');
        expect(belowNoise.every((r) => -r.predicted.deltaMs <= noiseMs(o))).toBe(true);
        expect(md.indexOf('## Below the noise (not offered)')).toBeGreaterThan(md.indexOf('## Predicted to save time'));
        const none = { ...o, recommendations: belowNoise };
        expect(splitByGain(none).offered).toEqual([]);
        expect(noGainText(none)).toMatch(/no change is predicted to save more than \d+ ms \(the noise of a prediction\); \d+ change\(s\) below/);
    }, 30_000);

    it('removes one name of an `after` list, or the whole clause, or the whole line', async () => {
        expect(await applied(OPT, { kind: 'remove-after', step: 'e', after: 'a' })).toContain('} after c }');
        expect(await applied(OPT, { kind: 'remove-after', step: 'e', after: 'c' })).toContain('} after a }');
        expect(await applied(OPT, { kind: 'remove-after', step: 'c', after: 'a' })).toContain('step c uses delay { with { ms: 40 } }');
        const multi = 'workflow opt {\n    step a uses file.list {}\n    step b uses log {\n        after a\n        with { message: "x" }\n    }\n}\n';
        expect(await applied(multi, { kind: 'remove-after', step: 'b', after: 'a' }))
            .toBe('workflow opt {\n    step a uses file.list {}\n    step b uses log {\n        with { message: "x" }\n    }\n}\n');
    });

    it('sets a setting in place, or adds it indented like its siblings', async () => {
        expect(await applied(OPT, { kind: 'settings', settings: { maxParallel: 4 } })).toContain('    max_parallel 4\n');
        const added = await applied(OPT, { kind: 'settings', settings: { mode: 'pipeline', resources: 'aggressive' } });
        expect(added.split('\n').slice(0, 4)).toEqual(['workflow opt {', '    mode pipeline', '    resources aggressive', '    max_parallel 1']);
        const oneLine = 'workflow w { step a uses file.list }\n';
        expect(await applied(oneLine, { kind: 'settings', settings: { maxParallel: 2 } }, 'w')).toBe('workflow w {\n    max_parallel 2 step a uses file.list }\n');
        expect(await applied(OPT, { kind: 'settings', settings: { maxParallel: undefined } })).not.toContain('max_parallel');
    });

    it('edits the copy of a repeated setting that counts, the last, and removes every copy', async () => {
        const twice = 'workflow w {\n    max_parallel 1\n    enterprise\n    max_parallel 3\n    enterprise\n' +
            '    step a uses file.list { cache on cache off }\n}\n';
        expect(await applied(twice, { kind: 'settings', settings: { maxParallel: 2 } }, 'w')).toContain('    max_parallel 1\n    enterprise\n    max_parallel 2\n');
        expect(await applied(twice, { kind: 'settings', settings: { maxParallel: undefined } }, 'w')).not.toContain('max_parallel');
        expect(await applied(twice, { kind: 'settings', settings: { enterprise: false } }, 'w')).not.toContain('enterprise');
        expect(await applied(twice, { kind: 'cache-step', step: 'a', strategy: 'basic' }, 'w')).toContain('step a uses file.list { cache on cache on }');
    });

    it('turns a step\'s cache on, with or without a body, and sets the strategy', async () => {
        const edited = await applied(OPT, { kind: 'cache-step', step: 'd', strategy: 'intelligent' });
        expect(edited).toContain('    cache intelligent\n');
        expect(edited).toContain('step d uses template { with { template: "x", values: {} } cache on }');
        const bare = 'workflow w {\n    cache basic\n    step a uses file.list\n    step b uses file.list {}\n    step c uses file.list { cache off }\n}\n';
        const all = await applied(bare, { kind: 'cache-step', step: 'a', strategy: 'intelligent' }, 'w');
        expect(all).toContain('step a uses file.list { cache on }');
        expect(await applied(bare, { kind: 'cache-step', step: 'b', strategy: 'basic' }, 'w')).toContain('step b uses file.list { cache on }');
        expect(await applied(bare, { kind: 'cache-step', step: 'c', strategy: 'basic' }, 'w')).toContain('step c uses file.list { cache on }');
    });

    it('refuses what is not in the text, and describes each change in the language\'s words', async () => {
        const { document } = await prepareText(writeWorkflow(root, 'opt.kmflow', OPT));
        expect(() => changeEdits(document, 'nope', { kind: 'settings', settings: { maxParallel: 2 } })).toThrow(EditError);
        expect(() => changeEdits(document, 'opt', { kind: 'remove-after', step: 'e', after: 'b' })).toThrow(/no `after b`/);
        expect(describeChange({ kind: 'settings', settings: { maxParallel: 2, mode: 'pipeline' } })).toBe('set `max_parallel 2`, set `mode pipeline`');
        expect(describeChange({ kind: 'cache-step', step: 'd', strategy: 'basic' })).toBe('set `cache basic` and add `cache on` to step `d`');
    });
});

import { describe, expect, it } from 'vitest';
import { stepClosure, subWorkflowTo } from '../../src/engine/graph/sub-workflow.js';
import { prepareText, runText } from '../helpers/app-runs.js';
import { fixture } from '../extension/helpers.js';

describe('run to step', () => {
    it('keeps the step and its transitive dependencies, in file order', async () => {
        const { workflow } = await prepareText(fixture('pipeline.kmflow'));
        expect(stepClosure(workflow, 'report')).toEqual(['fetch_a', 'fetch_b', 'merge', 'report']);
        expect(stepClosure(workflow, 'merge')).toEqual(['fetch_a', 'fetch_b', 'merge']);
        expect(stepClosure(workflow, 'side')).toEqual(['side']);
        expect(subWorkflowTo(workflow, 'merge').settings).toBe(workflow.settings);
        expect(() => stepClosure(workflow, 'nope')).toThrow(/no step 'nope'/);
    });

    it('runs only those steps', async () => {
        const prepared = await prepareText(fixture('pipeline.kmflow'), { toStep: 'merge' });
        const report = await runText(prepared);
        expect(report.steps.map((s) => s.id)).toEqual(['fetch_a', 'fetch_b', 'merge']);
        expect(report.status).toBe('succeeded');
    });

    it('follows after, references and requires/ensures', async () => {
        const f = fixture('pipeline.kmflow');
        const text = f.text.replace('step side uses log { with { message: "independent" } }',
            'step side uses log { with { message: "independent" } ensures logged }\n    step last uses log { with { message: "x" } requires logged after fetch_b }');
        const { workflow } = await prepareText({ file: f.file, text });
        expect(stepClosure(workflow, 'last')).toEqual(['fetch_b', 'side', 'last']);
    });
});

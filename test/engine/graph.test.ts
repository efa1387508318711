import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/engine/graph/critical-path.js';
import { buildGraph, findCycle, topologicalLevels } from '../../src/engine/graph/graph.js';
import { ref, step, workflow } from './helpers.js';

describe('graph', () => {
    const wf = workflow([
        step('list', 't', {}, { ensures: ['listed'] }),
        step('engine', 't'),
        step('check', 't', { macros: ref('list', 'output') }, { requires: ['listed'] }),
        step('report', 't', {}, { after: ['engine'], when: ref('check', 'ok') }),
        step('each', 't', {}, { each: { name: 'm', items: ref('engine', 'output') } }),
    ]);

    it('collects after, references, when, each and requires/ensures', () => {
        const g = buildGraph(wf);
        const deps = (id: string) => g.deps[g.index.get(id)!]!.map((i) => g.ids[i]).sort();
        expect(deps('check')).toEqual(['list']);
        expect(deps('report')).toEqual(['check', 'engine']);
        expect(deps('each')).toEqual(['engine']);
        expect(g.unknown).toEqual([]);
    });

    it('levels and critical path', () => {
        expect(topologicalLevels(wf)).toEqual([['list', 'engine'], ['check', 'each'], ['report']]);
        const g = buildGraph(wf);
        const cp = criticalPath(g, wf.steps.map((s) => (s.id === 'list' ? 300 : 100)), 'predicted');
        expect(cp).toEqual({ lengthMs: 500, steps: ['list', 'check', 'report'], kind: 'predicted' });
        expect(criticalPath(g, wf.steps.map((s) => (s.id === 'engine' ? 1000 : 100)), 'measured'))
            .toEqual({ lengthMs: 1100, steps: ['engine', 'report'], kind: 'measured' });
    });

    it('finds a cycle and names its steps', () => {
        const cyclic = workflow([
            step('a', 't', { x: ref('c', 'output') }),
            step('b', 't', {}, { after: ['a'] }),
            step('c', 't', {}, { after: ['b'] }),
            step('d', 't'),
        ]);
        const cycle = findCycle(cyclic)!;
        expect(cycle.sort()).toEqual(['a', 'b', 'c']);
        expect(findCycle(wf)).toBeUndefined();
        expect(() => topologicalLevels(cyclic)).toThrow(/cycle/);
        expect(findCycle(workflow([step('self', 't', { x: ref('self', 'output') })]))).toEqual(['self']);
    });

    it('reports unknown references', () => {
        expect(buildGraph(workflow([step('a', 't', {}, { after: ['ghost'] })])).unknown).toEqual([{ step: 'a', ref: 'ghost' }]);
    });

    it('handles a 10k chain without deep recursion', () => {
        const steps = Array.from({ length: 10_000 }, (_, i) => step(`s${i}`, 't', {}, { after: i ? [`s${i - 1}`] : [] }));
        expect(findCycle(workflow(steps))).toBeUndefined();
        expect(criticalPath(buildGraph(workflow(steps)), steps.map(() => 100), 'predicted').lengthMs).toBe(1_000_000);
    });
});

import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/engine/graph/critical-path.js';
import { buildGraph, findCycle, topologicalLevels } from '../../src/engine/graph/graph.js';
import { seededRandom } from '../../src/engine/run/retry.js';
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

    it('finds a cycle in random graphs exactly when there is one, and a real one', () => {
        const next = seededRandom(11);
        const random = (n: number): number => Math.floor(next() * n);
        let cyclic = 0;
        for (let round = 0; round < 300; round++) {
            const n = 2 + random(40);
            // Mostly backward edges (a DAG), now and then a forward one that may close a cycle.
            const steps = Array.from({ length: n }, (_, i) => {
                const after = new Set<string>();
                for (let k = random(4); k > 0; k--) {
                    const j = random(10) === 0 ? random(n) : i > 0 ? random(i) : -1;
                    if (j >= 0) {
                        after.add(`s${j}`);
                    }
                }
                return step(`s${i}`, 't', {}, { after: [...after] });
            });
            const wf = workflow(steps);
            const g = buildGraph(wf);
            const cycle = findCycle(g);
            let acyclic = true;
            try {
                topologicalLevels(g);
            } catch {
                acyclic = false;
            }
            expect(cycle === undefined).toBe(acyclic);
            if (cycle) {
                cyclic++;
                // Each step of it waits for the next, the last for the first.
                cycle.forEach((id, k) => {
                    const next = cycle[(k + 1) % cycle.length]!;
                    expect(g.deps[g.index.get(id)!]!.map((d) => g.ids[d])).toContain(next);
                });
                expect(new Set(cycle).size).toBe(cycle.length);
            }
        }
        expect(cyclic).toBeGreaterThan(20);
        expect(cyclic).toBeLessThan(280);
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

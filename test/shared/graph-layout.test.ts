/**
 * The one graph layout (src/shared/graph-layout.ts): the webview draws it, and the CLI's
 * SVG is the same boxes and edges, so both pictures of a workflow agree.
 */
import { describe, expect, it } from 'vitest';
import { toSvg } from '../../src/engine/graph/graph-svg.js';
import { layoutGraph, NODE_HEIGHT, nodeWidth, pickDirection } from '../../src/shared/graph-layout.js';
import { step, workflow } from '../engine/helpers.js';

const graph = {
    nodes: [{ id: 'a', level: 0 }, { id: 'b', level: 1 }, { id: 'c', level: 1 }, { id: 'd', level: 2 }],
    edges: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }],
};

describe('the graph layout', () => {
    it('puts each layer after its dependencies, in the direction asked', async () => {
        const right = await layoutGraph(graph, 'RIGHT');
        const x = new Map(right.nodes.map((n) => [n.id, n.x]));
        expect(x.get('a')! < x.get('b')! && x.get('b')! < x.get('d')!).toBe(true);
        expect(x.get('b')).toBe(x.get('c'));
        const down = await layoutGraph(graph, 'DOWN');
        const y = new Map(down.nodes.map((n) => [n.id, n.y]));
        expect(y.get('a')! < y.get('b')! && y.get('b')! < y.get('d')!).toBe(true);
        expect(down.nodes.every((n) => n.height === NODE_HEIGHT)).toBe(true);
    });

    it('routes every edge from its source to its target', async () => {
        const layout = await layoutGraph(graph, 'RIGHT', (id) => (id === 'a' ? 200 : 150));
        expect(layout.edges.map((e) => `${e.from}->${e.to}`)).toEqual(graph.edges.map((e) => `${e.from}->${e.to}`));
        expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
        expect(layout.nodes.find((n) => n.id === 'a')!.width).toBe(200);
    });

    it('sizes boxes within bounds and picks the direction that fits the view', () => {
        expect(nodeWidth([10])).toBe(120);
        expect(nodeWidth([1000])).toBe(260);
        const chain = { nodes: Array.from({ length: 8 }, (_, level) => ({ level })) };
        expect(pickDirection(chain, { width: 1600, height: 300 })).toBe('RIGHT');
        expect(pickDirection(chain, { width: 300, height: 1600 })).toBe('DOWN');
    });

    it('is what the CLI draws as SVG', async () => {
        const wf = workflow([step('a', 't'), step('b', 't', {}, { after: ['a'] }), step('c', 't', {}, { after: ['a'] })]);
        const svg = await toSvg(wf, { criticalPath: ['a', 'b'], tools: new Map([['a', 't'], ['b', 't'], ['c', 't']]) });
        const layout = await layoutGraph({ nodes: wf.steps, edges: [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }] }, 'RIGHT',
            () => nodeWidth([0]));
        for (const n of layout.nodes) {
            expect(svg).toContain(`<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}"`);
        }
        expect(svg.match(/<polyline /g)).toHaveLength(2);
        expect(svg).toContain('stroke="#d84315" stroke-width="3" marker-end');
    });
});

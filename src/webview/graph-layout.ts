/**
 * Lays the DAG out with ELK's layered algorithm (elkjs, in-thread: the bundled build
 * needs no worker, which a strict CSP would refuse): node boxes left to right by
 * dependency, edges routed orthogonally around them.
 */
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { GraphMessage } from '../shared/messages.js';

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 46;

export interface LaidOutNode {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
}

export interface LaidOutEdge {
    from: string;
    to: string;
    /** Polyline points, start to end. */
    points: Array<{ x: number; y: number }>;
}

export interface Layout {
    width: number;
    height: number;
    nodes: LaidOutNode[];
    edges: LaidOutEdge[];
}

// A CommonJS module whose typings say `export default`: the constructor is the module
// itself once bundled, or its `default` under Node's interop.
type ElkConstructor = new () => ELK;
const ElkClass = ((ElkBundled as unknown as { default?: ElkConstructor }).default ?? ElkBundled) as unknown as ElkConstructor;
const elk = new ElkClass();

/** The layout of a graph message. */
export async function layoutGraph(graph: GraphMessage): Promise<Layout> {
    const root: ElkNode = {
        id: '__root',
        layoutOptions: {
            'elk.algorithm': 'layered',
            'elk.direction': 'RIGHT',
            'elk.edgeRouting': 'ORTHOGONAL',
            'elk.layered.spacing.nodeNodeBetweenLayers': '48',
            'elk.spacing.nodeNode': '22',
            'elk.padding': '[top=16,left=16,bottom=16,right=16]',
        },
        children: graph.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
        edges: graph.edges.map((e, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
    };
    const laid = await elk.layout(root);
    const nodes = (laid.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? NODE_WIDTH, height: c.height ?? NODE_HEIGHT }));
    const edges = (laid.edges ?? []).map((e, i) => {
        const section = e.sections?.[0];
        const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
        return { from: graph.edges[i]!.from, to: graph.edges[i]!.to, points };
    });
    return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}

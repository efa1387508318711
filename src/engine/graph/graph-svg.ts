/**
 * The DAG as a standalone SVG, laid out by ELK's layered algorithm (the same library the
 * VS Code webview uses), critical path marked, statuses coloured when given.
 */
import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk-api.js';
import { buildGraph } from './graph.js';
import type { WorkflowSpec } from '../model/model.js';
import type { RenderOptions } from './graph-render.js';

const FILL: Record<string, string> = {
    succeeded: '#2e7d32', failed: '#c62828', skipped: '#9e9e9e', cancelled: '#6d4c41', compensated: '#f9a825',
};

function escapeXml(text: string): string {
    return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function toSvg(workflow: WorkflowSpec, options: RenderOptions = {}): Promise<string> {
    const graph = buildGraph(workflow);
    const critical = new Set(options.criticalPath ?? []);
    const width = (id: string): number => Math.max(id.length, options.tools?.get(id)?.length ?? 0) * 7.5 + 24;
    // elkjs is CommonJS: its class is the module itself or its `default`, by loader.
    const mod = elkModule as unknown as { default?: new () => ElkApi } & (new () => ElkApi);
    const Elk = mod.default ?? mod;
    const elk = new Elk();
    const layout: ElkNode = await elk.layout({
        id: 'root',
        layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '24', 'elk.layered.spacing.nodeNodeBetweenLayers': '48' },
        children: workflow.steps.map((s) => ({ id: s.id, width: width(s.id), height: 44 })),
        edges: graph.deps.flatMap((deps, i) => deps.map((d) => ({ id: `${graph.ids[d]}->${graph.ids[i]}`, sources: [graph.ids[d]!], targets: [graph.ids[i]!] }))),
    });
    const parts: string[] = [];
    for (const edge of layout.edges ?? []) {
        for (const section of edge.sections ?? []) {
            const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
            const [from, to] = [edge.sources[0]!, edge.targets[0]!];
            const hot = critical.has(from) && critical.has(to);
            parts.push(`<polyline points="${points.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" ` +
                `stroke="${hot ? '#d84315' : '#78909c'}" stroke-width="${hot ? 3 : 1.5}" marker-end="url(#arrow)"/>`);
        }
    }
    for (const node of layout.children ?? []) {
        const status = options.statuses?.get(node.id);
        const fill = status ? FILL[status] : '#eceff1';
        const ink = status ? '#ffffff' : '#263238';
        const hot = critical.has(node.id);
        const tool = options.tools?.get(node.id);
        parts.push(`<g class="step" data-step="${escapeXml(node.id)}">` +
            `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="6" fill="${fill}" ` +
            `stroke="${hot ? '#d84315' : '#90a4ae'}" stroke-width="${hot ? 3 : 1}"/>` +
            `<text x="${node.x! + node.width! / 2}" y="${node.y! + 18}" text-anchor="middle" fill="${ink}" font-weight="bold">${escapeXml(node.id)}</text>` +
            (tool ? `<text x="${node.x! + node.width! / 2}" y="${node.y! + 34}" text-anchor="middle" fill="${ink}" font-size="11">${escapeXml(tool)}</text>` : '') +
            '</g>');
    }
    const w = Math.ceil((layout.width ?? 0) + 20);
    const h = Math.ceil((layout.height ?? 0) + 20);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="-10 -10 ${w} ${h}" font-family="Helvetica, Arial, sans-serif" font-size="13">\n` +
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">' +
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#78909c"/></marker></defs>\n' +
        `<title>${escapeXml(workflow.title ?? workflow.id)}</title>\n${parts.join('\n')}\n</svg>\n`;
}

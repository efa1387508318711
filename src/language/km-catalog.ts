/**
 * The bundled `km` catalog, generated: every tool the Keyboard Maestro MCP server
 * publishes, exactly as it publishes it (name, description, input and output schema, from
 * `catalogs/km/server-tools.json`), plus kmflow's own metadata from `catalogs/km/overlay.json`
 * (category, capabilities, security, status, hints, estimates), plus the tools the server
 * does not publish (`catalogs/km/unpublished.kmflow`: removed and never-implemented ones).
 * The overlay may not carry a schema, so the server's contract is the only one.
 * `npm run catalog:km` writes `catalogs/km.kmflow`; a test fails when it drifts.
 */
import type { JsonSchema, SecurityLevel } from '../engine/model/index.js';
import { toolDeclaration, type CatalogEntry } from './catalog-writer.js';

/** One tool of the server's published surface (the fields the catalog reads). */
export interface KmServerTool {
    name: string;
    status: 'canonical' | 'alias';
    alias_of?: string;
    served: boolean;
    description: string;
    inputSchema: JsonSchema;
    outputSchema?: JsonSchema;
}

export interface KmServerSurface {
    repo: string;
    commit: string;
    tools: KmServerTool[];
}

/** kmflow's metadata for one server tool. */
export interface KmOverlayEntry {
    title: string;
    category: string;
    status?: 'alias' | 'removed';
    replaced_by?: string;
    capabilities: string[];
    depends_on?: string[];
    integrates?: string[];
    resources?: Record<string, number>;
    performance?: { response_time_ms?: number; reliability?: number };
    security: SecurityLevel;
    hints?: Array<'read_only' | 'idempotent' | 'destructive'>;
    cache?: 'on' | 'off';
}

export interface KmOverlay {
    tools: Record<string, KmOverlayEntry>;
}

/** Error codes of the server that may succeed when the call is made again. */
export const KM_RETRYABLE_CODES = ['KM_CONNECTION_FAILED', 'TIMEOUT_ERROR'];

/**
 * How the server says "failed": FastMCP tools answer `{"success": false, "error": {code,
 * message, recovery_suggestion}}` in a normal result, never with `isError`.
 */
export const KM_FAILURE_RULE = [
    '    failure {',
    '        when output.success == false',
    '        code output.error.code',
    '        message output.error.message',
    '        advice output.error.recovery_suggestion',
    `        retryable ${KM_RETRYABLE_CODES.map((c) => JSON.stringify(c)).join(', ')}`,
    '    }',
].join('\n');

const OVERLAY_KEYS = new Set<string>([
    'title', 'category', 'status', 'replaced_by', 'capabilities', 'depends_on', 'integrates', 'resources',
    'performance', 'security', 'hints', 'cache',
]);

/** The overlay's entry for a tool, checked: known keys only (never a schema), a status that fits. */
function overlayFor(tool: KmServerTool, overlay: KmOverlay): KmOverlayEntry {
    const entry = overlay.tools[tool.name];
    if (!entry) {
        throw new Error(`km overlay: no entry for the server's tool '${tool.name}'`);
    }
    const extra = Object.keys(entry).filter((k) => !OVERLAY_KEYS.has(k));
    if (extra.length > 0) {
        throw new Error(`km overlay: '${tool.name}' sets ${extra.join(', ')}; the overlay may not change the server's contract`);
    }
    const expected = !tool.served ? 'removed' : tool.status === 'alias' ? 'alias' : undefined;
    if (entry.status !== expected) {
        throw new Error(`km overlay: '${tool.name}' is ${tool.served ? tool.status : 'not published'} on the server, ` +
            `so its status is ${expected ?? 'live'}, not ${entry.status ?? 'live'}`);
    }
    return entry;
}

function entryOf(tool: KmServerTool, o: KmOverlayEntry): CatalogEntry {
    return {
        id: tool.name,
        title: o.title,
        description: tool.description,
        category: o.category,
        status: o.status,
        replacedBy: o.replaced_by,
        capabilities: o.capabilities,
        dependsOn: o.depends_on,
        integrates: o.integrates,
        resources: o.resources,
        performance: o.performance && {
            responseTimeMs: o.performance.response_time_ms,
            reliability: o.performance.reliability,
        },
        security: o.security,
        hints: o.hints,
        cache: o.cache,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        via: { server: 'km', tool: tool.name },
        failure: KM_FAILURE_RULE,
    };
}

export function renderKmCatalog(surface: KmServerSurface, overlay: KmOverlay, unpublished: string): string {
    const known = new Set(surface.tools.map((t) => t.name));
    const stray = Object.keys(overlay.tools).filter((n) => !known.has(n));
    if (stray.length > 0) {
        throw new Error(`km overlay: ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} not among the server's tools`);
    }
    const tools = [...surface.tools].sort((a, b) => Number(b.served) - Number(a.served)
        || Number(a.status === 'alias') - Number(b.status === 'alias') || a.name.localeCompare(b.name));
    return [
        '// The bundled `km` catalog: the tools of the Keyboard Maestro MCP server. Bring it in with',
        '// `import "km"`; running them needs the server, declared by you as `server km` (see',
        '// docs/keyboard-maestro.md).',
        '//',
        '// GENERATED by `npm run catalog:km`; do not edit. Names, descriptions and schemas are the',
        `// server's own, as ${surface.repo} publishes them at commit ${surface.commit.slice(0, 7)}`,
        '// (src/language/catalogs/km/server-tools.json); category, capabilities, security, status and',
        '// hints are kmflow\'s (km/overlay.json); tools the server no longer or never published come',
        '// from km/unpublished.kmflow.',
        '//',
        '// status: live (canonical, the default), alias (still served, deprecated), removed (shipped',
        '// once, gone now: a call fails), spec (designed, never implemented: a call fails).',
        '',
        ...tools.map((t) => `${toolDeclaration(entryOf(t, overlayFor(t, overlay)))}\n`),
        '// ------------------------------------------------ not published by the server',
        '',
        unpublished.trimEnd(),
        '',
    ].join('\n');
}

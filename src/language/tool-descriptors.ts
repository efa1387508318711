/**
 * A `tool` declaration as the engine's `ToolDescriptor`: the one place that reads the
 * orchestration metadata out of the AST.
 */
import { AstUtils, type LangiumCoreServices } from 'langium';
import type { JsonSchema, SecurityLevel, ToolDescriptor, ToolSource, ToolStatus } from '../engine/model/index.js';
import type { ToolDecl } from './generated/ast.js';
import { jsonValue } from './static-values.js';
import { parseDuration } from './durations.js';
import { isCatalogUri } from './catalogs.js';
import { locationOf } from './locations.js';
import { toFailureRule } from './to-engine-model.js';
import { isSet, lastOf } from './ast-options.js';
import { ParseCache } from './parse-cache.js';

/** Per parse: a descriptor holds its declaration's location, which moves when an edit above re-parses a block. */
const cache = new ParseCache<ToolDecl, ToolDescriptor>();

/** The tool id as users write it: `ev."get-sum"` becomes `ev.get-sum`. */
export function normalizeToolId(id: string | undefined): string {
    if (id === undefined || !id.includes('"')) {
        return id ?? '';
    }
    return id.replace(/"((?:\\.|[^"\\])*)"/g, (_m, inner: string) => JSON.parse(`"${inner}"`) as string);
}

export function toToolDescriptor(services: LangiumCoreServices, decl: ToolDecl): ToolDescriptor {
    return cache.get(decl, () => describe(services, decl));
}

function describe(services: LangiumCoreServices, decl: ToolDecl): ToolDescriptor {
    const uri = AstUtils.getDocument(decl).uri;
    const source: ToolSource = isCatalogUri(uri) ? (uri.path.endsWith('/std.kmflow') ? 'builtin' : 'catalog') : 'declared';
    const resources: Record<string, number> = {};
    for (const r of decl.resources) {
        resources[r.kind] = r.amount;
    }
    const performance: ToolDescriptor['performance'] = {};
    for (const p of decl.performance) {
        const value = p.duration !== undefined ? parseDuration(p.duration) : p.value;
        if (p.name === 'response_time') {
            performance.responseTimeMs = value;
        } else if (p.name === 'reliability') {
            performance.reliability = value;
        }
    }
    const schema = (nodes: ToolDecl['inputSchema']): JsonSchema | undefined => {
        const node = lastOf(nodes);
        return node ? jsonValue(node) as JsonSchema : undefined;
    };
    const failure = toFailureRule(services, lastOf(decl.failure));
    const cacheOption = lastOf(decl.cache);
    const readOnly = isSet(decl.readOnly);
    const idempotent = isSet(decl.idempotent);
    const via = lastOf(decl.via);
    const descriptor: ToolDescriptor = {
        ...(failure && { failure }),
        id: normalizeToolId(decl.name),
        title: decl.title,
        description: lastOf(decl.description),
        category: lastOf(decl.category),
        capabilities: [...decl.capabilities],
        dependsOn: decl.dependsOn.map((d) => normalizeToolId(d.$refText)),
        resources,
        performance,
        integrates: decl.integrates.map((d) => normalizeToolId(d.$refText)),
        security: (lastOf(decl.security) ?? 'standard') as SecurityLevel,
        enterpriseReady: isSet(decl.enterpriseReady) || undefined,
        aiEnhanced: isSet(decl.aiEnhanced) || undefined,
        cacheable: cacheOption === 'on' || (cacheOption === undefined && (readOnly || idempotent)),
        readOnly,
        idempotent: idempotent || undefined,
        destructive: isSet(decl.destructive) || undefined,
        status: lastOf(decl.status) as ToolStatus | undefined,
        replacedBy: lastOf(decl.replacedBy)?.$refText,
        inputSchema: schema(decl.inputSchema),
        outputSchema: schema(decl.outputSchema),
        via: via ? { server: via.server, tool: via.tool ?? normalizeToolId(decl.name) } : undefined,
        source,
        location: locationOf(decl),
    };
    return descriptor;
}

/**
 * The bundled `km` catalog is the Keyboard Maestro server's own surface: generated from the
 * server's published tools (catalogs/km/server-tools.json) and kmflow's overlay, and a
 * declared server's contract always wins over it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmptyFileSystem, URI } from 'langium';
import { createKmflowServices } from '../../src/language/kmflow-module.js';
import { createCatalogDocuments } from '../../src/language/kmflow-workspace-manager.js';
import { renderKmCatalog, type KmOverlay, type KmServerSurface } from '../../src/language/km-catalog.js';
import { buildLock } from '../../src/engine/state/schema-lock.js';
import { validateParams } from '../../src/engine/model/param-schema.js';
import type { McpToolInfo } from '../../src/engine/tools/connectors/index.js';
import { buildWorkspace, codesAt, diagnosticsOf } from '../helpers/documents.js';

const dir = path.join(import.meta.dirname, '../../src/language/catalogs');
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
const surface = JSON.parse(read('km/server-tools.json')) as KmServerSurface & { tools: Array<KmServerSurface['tools'][number] & { alias_of?: string }> };
const overlay = JSON.parse(read('km/overlay.json')) as KmOverlay;

async function kmTools() {
    const ws = await buildWorkspace({ 'a.kmflow': 'import "km"' });
    return new Map(ws.services.tools.ToolIndex.visibleTools(ws.documents.get('a.kmflow')!).map((t) => [t.id, t]));
}

describe('the km catalog', () => {
    it('is exactly what the server\'s tools, the overlay and the unpublished tools generate (npm run catalog:km)', () => {
        expect(read('km.kmflow')).toBe(renderKmCatalog(surface, overlay, read('km/unpublished.kmflow')));
    });

    it('declares every published tool with the server\'s own description and schemas', async () => {
        const tools = await kmTools();
        const published = surface.tools.filter((t) => t.served);
        expect(published).toHaveLength(29);
        for (const t of published) {
            const tool = tools.get(t.name);
            expect(tool, t.name).toBeDefined();
            expect(tool!.inputSchema, t.name).toEqual(t.inputSchema);
            expect(tool!.outputSchema, t.name).toEqual(t.outputSchema);
            expect(tool!.description, t.name).toBe(t.description);
            expect(tool!.via, t.name).toEqual({ server: 'km', tool: t.name });
            expect(tool!.failure, t.name).toBeDefined();
        }
    });

    it('can check a call against every published schema (Python-style regex escapes included)', () => {
        for (const t of surface.tools.filter((x) => x.served)) {
            const errors = validateParams(t.inputSchema, {});
            expect(errors.filter((e) => e.keyword === 'schema'), t.name).toEqual([]);
        }
        const execute = surface.tools.find((t) => t.name === 'km_execute_macro')!.inputSchema;
        expect(validateParams(execute, { identifier: 'Daily (Work) & more' })).toEqual([]);
        expect(validateParams(execute, { identifier: 'bad\u0001name' }).map((e) => e.keyword)).toEqual(['pattern']);
    });

    it('marks served aliases alias (replaced_by where the server names a tool), unpublished ones removed', async () => {
        const tools = await kmTools();
        for (const t of surface.tools) {
            const tool = tools.get(t.name)!;
            if (!t.served) {
                expect(tool.status, t.name).toBe('removed');
            } else if (t.status === 'alias') {
                expect(tool.status, t.name).toBe('alias');
                const target = t.alias_of && tools.has(t.alias_of) ? t.alias_of : undefined;
                expect(tool.replacedBy, t.name).toBe(target);
            } else {
                expect(tool.status ?? 'live', t.name).toBe('live');
            }
        }
        const statuses = [...tools.values()].filter((t) => t.id.startsWith('km_')).map((t) => t.status ?? 'live');
        expect(statuses.filter((s) => s === 'live')).toHaveLength(21);
        expect(statuses.filter((s) => s === 'spec')).toHaveLength(6);
    });

    it('refuses an overlay that changes a schema or misstates a status', () => {
        const unpublished = read('km/unpublished.kmflow');
        const withSchema = structuredClone(overlay) as unknown as { tools: Record<string, Record<string, unknown>> };
        withSchema.tools.km_list_macros!.input_schema = { type: 'object' };
        expect(() => renderKmCatalog(surface, withSchema as unknown as KmOverlay, unpublished)).toThrow(/may not change the server's contract/);
        const wrongStatus = structuredClone(overlay);
        wrongStatus.tools.km_token_stats!.status = undefined;
        expect(() => renderKmCatalog(surface, wrongStatus, unpublished)).toThrow(/km_token_stats.*alias/);
        const stray = structuredClone(overlay);
        stray.tools.km_nonexistent = { ...overlay.tools.km_list_macros! };
        expect(() => renderKmCatalog(surface, stray, unpublished)).toThrow(/km_nonexistent/);
    });

    it('routes capabilities only to runnable tools', async () => {
        const text = 'import "km"\nworkflow w {\n  step a uses capability ocr\n  step b uses capability calculation\n}\n';
        const ws = await buildWorkspace({ 'main.kmflow': text });
        const d = diagnosticsOf(ws, 'main.kmflow').filter((x) => x.code === 'unknown-capability');
        // `ocr` only ever came from a removed tool; `calculation` now from km_engine_control.
        expect(codesAt(d)).toEqual(['unknown-capability@3:26']);
        expect(d[0]!.message).toMatch(/no runnable tool provides the capability 'ocr': only km_visual_automation \(removed\)/);
    });
});

describe('a declared server\'s contract wins', () => {
    /** A workspace whose schema lock says what server `km` publishes. */
    async function withLock(files: Record<string, string>, tools: McpToolInfo[]) {
        const { Kmflow } = createKmflowServices(EmptyFileSystem);
        Kmflow.tools.ServerTools.setLock(buildLock({ km: tools }));
        const docs = Kmflow.shared.workspace.LangiumDocuments;
        const factory = Kmflow.shared.workspace.LangiumDocumentFactory;
        createCatalogDocuments(factory).forEach((d) => docs.addDocument(d));
        const documents = new Map(Object.entries(files).map(([name, text]) => {
            const doc = factory.fromString(text, URI.file(`/ws/${name}`));
            docs.addDocument(doc);
            return [name, doc];
        }));
        await Kmflow.shared.workspace.DocumentBuilder.build(docs.all.toArray(), { validation: true });
        return { services: Kmflow, documents };
    }

    const published = (name: string) => surface.tools.find((t) => t.name === name)!;
    const server = 'server km { command "km-server" }\n';
    const step = 'import "km"\nworkflow w {\n  step a uses km_list_macros { with { limit: 5 } }\n}\n';

    it('checks `uses km_list_macros` against the locked schema, with one schema-drift info on the server line', async () => {
        // A server version whose km_list_macros requires a `library` parameter.
        const changed = structuredClone(published('km_list_macros').inputSchema) as { properties: Record<string, unknown>; required?: string[] };
        changed.properties.library = { type: 'string' };
        changed.required = ['library'];
        const ws = await withLock({ 'servers.kmflow': server, 'main.kmflow': step },
            [{ name: 'km_list_macros', inputSchema: changed }, { name: 'km_macro_editor', inputSchema: published('km_macro_editor').inputSchema }]);
        const main = diagnosticsOf(ws, 'main.kmflow').filter((d) => d.severity !== 'hint');
        expect(codesAt(main)).toEqual(['invalid-param@3:37']);
        expect(main[0]!.message).toMatch(/missing required parameter 'library'/);
        const servers = diagnosticsOf(ws, 'servers.kmflow');
        expect(codesAt(servers)).toEqual(['schema-drift@1:8']);
        expect(servers[0]!.severity).toBe('info');
        expect(servers[0]!.message).toMatch(/1 tool\(s\): km_list_macros; the server's own are used/);
    });

    it('says nothing where the server publishes what the catalog declares', async () => {
        const ws = await withLock({ 'servers.kmflow': server, 'main.kmflow': step },
            surface.tools.filter((t) => t.served).map((t) => ({ name: t.name, inputSchema: t.inputSchema, outputSchema: t.outputSchema })));
        expect(codesAt(diagnosticsOf(ws, 'main.kmflow'))).toEqual([]);
        expect(codesAt(diagnosticsOf(ws, 'servers.kmflow'))).toEqual([]);
    });
});

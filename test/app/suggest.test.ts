import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUGGEST_TARGETS, Workspace, capabilityChoices, checkText, checkedSuggestion, knownTools, suggestWorkflow } from '../../src/app/index.js';

/** A workspace that loaded the active document (or one importing the bundled catalogs). */
async function workspaceOf(active?: { file: string; text: string }): Promise<Workspace> {
    const workspace = Workspace.open({ root: active ? path.dirname(active.file) : os.tmpdir() });
    await workspace.load({ sources: [active ?? { file: path.join(os.tmpdir(), 'tools.kmflow'), text: 'import "km"\n' }], context: false });
    return workspace;
}

describe('suggest workflow', () => {
    it('lists every capability of the bundled catalogs with its tool counts', async () => {
        const workspace = await workspaceOf();
        const tools = knownTools(workspace);
        expect(tools.some((t) => t.id === 'log')).toBe(true);
        expect(tools.some((t) => t.id.startsWith('km_'))).toBe(true);
        expect(new Set(tools.map((t) => t.id)).size).toBe(tools.length);
        const choices = capabilityChoices(tools);
        const names = choices.map((c) => c.capability);
        expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
        expect(choices.find((c) => c.capability === 'file_read')).toEqual({ capability: 'file_read', tools: 1, usable: 1 });
        const every = new Set(tools.flatMap((t) => t.capabilities));
        expect(names.length).toBe(every.size);
        for (const c of choices) {
            expect(c.tools).toBe(tools.filter((t) => t.capabilities.includes(c.capability)).length);
            expect(c.usable).toBeLessThanOrEqual(c.tools);
        }
    });

    it('adds the tools the active document declares', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-suggest-'));
        try {
            const file = path.join(dir, 'own.kmflow');
            const text = 'server mine {\n    command "node"\n}\ntool my.tool {\n    capabilities paint_walls\n    via mine\n}\n';
            fs.writeFileSync(file, text);
            const tools = knownTools(await workspaceOf({ file, text }));
            expect(capabilityChoices(tools).find((c) => c.capability === 'paint_walls')).toEqual({ capability: 'paint_walls', tools: 1, usable: 1 });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('writes a workflow that covers the capabilities and checks clean', async () => {
        const workspace = await workspaceOf();
        const tools = knownTools(workspace);
        const { suggestion, text } = suggestWorkflow(['file_read', 'assert'], 'performance', tools);
        expect(suggestion.uncovered).toEqual([]);
        expect(suggestion.tools.map((t) => t.tool.id).sort()).toEqual(['assert', 'file.read']);
        expect(text).toMatch(/workflow suggested /);
        expect(text).toContain('target performance');
        expect((await checkText(workspace, text)).filter((p) => p.severity === 'error')).toEqual([]);
        expect(SUGGEST_TARGETS).toContain('user_experience');
        expect(suggestWorkflow(['no_such_capability'], 'cost', tools).suggestion.uncovered).toEqual(['no_such_capability']);
    });

    it('checks the suggestion before it is shown: placeholders pass the schema, a tool that cannot check clean is left out', async () => {
        const workspace = await workspaceOf();
        const tools = knownTools(workspace);
        const http = await checkedSuggestion(['http'], 'performance', tools, undefined, (t) => checkText(workspace, t));
        expect(http.problems).toEqual([]);
        expect(http.text).toContain('url: "https://example.com/TODO"');
        const layout = await checkedSuggestion(['layout'], 'performance', tools, undefined, (t) => checkText(workspace, t));
        expect(layout.problems).toEqual([]);
        expect(layout.text).toMatch(/operation: "move"/);
        // A tool whose step always fails the check (here: a stub checker blames it) is left out.
        const first = suggestWorkflow(['file_read', 'assert'], 'reliability', tools).text;
        const readLine = first.split('\n').findIndex((l) => l.includes('uses file.read')) + 2;
        const blamed = await checkedSuggestion(['file_read', 'assert'], 'reliability', tools,
            undefined, async (text) => (text.includes('uses file.read') ? [{ line: readLine, severity: 'warning', message: 'nope' }] : checkText(workspace, text)));
        expect(blamed.dropped).toEqual([{ tool: 'file.read', problem: 'nope' }]);
        expect(blamed.suggestion.uncovered).toEqual(['file_read']);
        expect(blamed.problems).toEqual([]);
    });
});

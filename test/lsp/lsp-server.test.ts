/**
 * The language server over a real connection: `node bin/kmflow lsp --stdio` as a child
 * process, a workspace folder on disk, and every feature asserted on its wire answer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, LocationLink } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, positionOf } from './lsp-client.js';

const MAIN = `import "./tools.kmflow"

tool my_tool "Mine" {
    category custom
    capabilities mine
    performance response_time 500ms
    input_schema {
        type: "object",
        properties: { message: { type: "string" }, level: { type: "string", enum: ["info", "warn"] } }
    }
    output_schema { type: "object", properties: { total: { type: "number" }, items: { type: "array" } } }
    via local "mine"
}

server local { command "node" }

workflow demo "Demo" {
    input group: string = "Work"
    input count: number
    mode parallel

    step fetch uses http.request {
        with { url: "https://x/\${input.group}", method: "GET" }
    }
    step mine uses my_tool {
        with { message: fetch.output.body }
    }
    step report uses log {
        after mine
        with { message: "got \${fetch.output.status} for \${input.group}: \${mine.output.total}" }
    }
    step bad uses htp.request {
        after fech
    }
}
`;

const TOOLS = `tool shared_tool "Shared" {
    category custom
    depends_on nothing_here
    via builtin "log"
}
`;

const OTHER = `import "./tools.kmflow"

workflow other {
    step s uses shared_tool {
        with { message: "hi" }
    }
}
`;

let dir: string;
let client: LspClient;
const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();
const diagnostics = new Map<string, Diagnostic[]>();

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-lsp-'));
    for (const [name, text] of Object.entries({ 'main.kmflow': MAIN, 'tools.kmflow': TOOLS, 'other.kmflow': OTHER })) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    client = await LspClient.start(dir);
    for (const [name, text] of Object.entries({ 'main.kmflow': MAIN, 'tools.kmflow': TOOLS, 'other.kmflow': OTHER })) {
        const ticket = client.open(uriOf(name), text);
        diagnostics.set(name, await client.diagnosticsAfter(uriOf(name), ticket));
    }
});

afterAll(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('diagnostics', () => {
    it('publishes codes at their ranges', () => {
        const main = diagnostics.get('main.kmflow')!.map((d) => [d.code, d.range.start]);
        expect(main).toEqual(expect.arrayContaining([['unknown-tool', positionOf(MAIN, 'htp.request')], ['unknown-step', positionOf(MAIN, 'fech')]]));
        expect(diagnostics.get('main.kmflow')!.filter((d) => d.severity === 1)).toHaveLength(2);
        const tools = diagnostics.get('tools.kmflow')!.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
        expect(tools).toContain('missing-dependency@2:15');
        expect(diagnostics.get('other.kmflow')).toEqual([]);
    });
});

describe('completion', () => {
    it('proposes tools after `uses` with category and title', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, 'uses http', 5));
        const http = items.find((i) => i.label === 'http.request');
        expect(http?.detail).toMatch(/communication/);
        expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['log', 'my_tool', 'shared_tool', 'capability']));
    });

    it('proposes parameter names not yet present inside `with {}`', async () => {
        const text = 'workflow w {\n    step a uses http.request { with { url: "x",  method: "GET" } }\n}\n';
        const ticket = client.open(uriOf('keys.kmflow'), text);
        await client.diagnosticsAfter(uriOf('keys.kmflow'), ticket);
        const items = await client.completion(uriOf('keys.kmflow'), positionOf(text, '"x", ', 5));
        const labels = items.map((i) => i.label);
        expect(labels).toEqual(expect.arrayContaining(['headers', 'body']));
        expect(labels).not.toContain('url');
        expect(labels).not.toContain('method');
    });

    it('proposes enum values for a parameter', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, 'method: "GET"', 9));
        expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['"GET"', '"POST"', '"DELETE"']));
        const text = 'workflow w {\n    step a uses my_tool { with { level:  } }\n}\ntool my_tool { input_schema { properties: { level: { enum: ["info", "warn"] } } } }\n';
        const ticket = client.open(uriOf('enum.kmflow'), text);
        await client.diagnosticsAfter(uriOf('enum.kmflow'), ticket);
        const levels = await client.completion(uriOf('enum.kmflow'), positionOf(text, 'level: ', 7));
        expect(levels.slice(0, 2).map((i) => i.textEdit?.newText)).toEqual(['"info"', '"warn"']);
    });

    it('proposes step ids after `after`, not the step itself', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, 'after mine', 6));
        const labels = items.map((i) => i.label);
        expect(labels).toEqual(expect.arrayContaining(['fetch', 'mine', 'bad']));
        expect(labels).not.toContain('report');
    });

    it('proposes input names after `input.`, also inside ${}', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, '${input.group}', 8));
        expect(items.map((i) => i.label)).toEqual(['group', 'count']);
    });

    it('proposes output fields from the output schema', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, 'mine.output.total', 12));
        expect(items.map((i) => i.label)).toEqual(['total', 'items']);
        const members = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, 'mine.output.total', 5));
        expect(members.map((i) => i.label)).toEqual(['output', 'ok', 'status', 'result', 'error', 'attempts']);
    });

    it('proposes only the keywords valid in a step body', async () => {
        const items = await client.completion(uriOf('main.kmflow'), positionOf(MAIN, '        after mine', 8));
        const labels = items.map((i) => i.label);
        expect(labels).toEqual(expect.arrayContaining(['with', 'after', 'when', 'timeout', 'retry']));
        expect(labels).not.toContain('workflow');
        expect(labels).not.toContain('sequential');
    });
});

describe('hover', () => {
    it('shows a tool descriptor with a parameter table', async () => {
        const hover = await client.hover(uriOf('main.kmflow'), positionOf(MAIN, 'uses http.request', 7));
        const text = (hover?.contents as { value: string }).value;
        expect(text).toContain('**http.request**');
        expect(text).toContain('security: high');
        expect(text).toContain('| `url` |');
    });

    it('shows a step with its tool and dependencies', async () => {
        const hover = await client.hover(uriOf('main.kmflow'), positionOf(MAIN, 'step report', 6));
        const text = (hover?.contents as { value: string }).value;
        expect(text).toContain('uses `log`');
        expect(text).toContain('after: `mine`');
        expect(text).toContain('reads: `fetch`');
    });

    it('shows an input with its type and default', async () => {
        const hover = await client.hover(uriOf('main.kmflow'), positionOf(MAIN, 'input.group}', 7));
        expect((hover?.contents as { value: string }).value).toBe('**input group**: `string` = `"Work"`');
    });
});

describe('navigation', () => {
    it('goes to a bundled tool in kmflow-catalog:/std.kmflow', async () => {
        const links = await client.definition(uriOf('main.kmflow'), positionOf(MAIN, 'uses http.request', 7)) as LocationLink[];
        expect(links[0]!.targetUri).toBe('kmflow-catalog:/std.kmflow');
    });

    it('goes from a step named inside ${} to the step, and from `via` to the server', async () => {
        const step = await client.definition(uriOf('main.kmflow'), positionOf(MAIN, '${fetch', 3)) as LocationLink[];
        expect(step[0]!.targetSelectionRange.start).toEqual(positionOf(MAIN, 'step fetch', 5));
        const server = await client.definition(uriOf('main.kmflow'), positionOf(MAIN, 'via local', 5)) as LocationLink[];
        expect(server[0]!.targetSelectionRange.start).toEqual(positionOf(MAIN, 'server local', 7));
        const file = await client.definition(uriOf('main.kmflow'), positionOf(MAIN, './tools', 2)) as LocationLink[];
        expect(file[0]!.targetUri).toBe(uriOf('tools.kmflow'));
    });

    it('finds the references of a step, ${} ones included', async () => {
        const refs = await client.references(uriOf('main.kmflow'), positionOf(MAIN, 'step fetch', 6));
        expect(refs?.map((r) => r.range.start)).toEqual([
            positionOf(MAIN, 'fetch uses'), positionOf(MAIN, 'fetch.output.body'), positionOf(MAIN, 'fetch.output.status'),
        ]);
        const mine = await client.references(uriOf('main.kmflow'), positionOf(MAIN, '${mine', 3), false);
        expect(mine?.map((r) => r.range.start)).toEqual([positionOf(MAIN, 'after mine', 6), positionOf(MAIN, '${mine', 2)]);
    });

    it('finds the references of an input', async () => {
        const refs = await client.references(uriOf('main.kmflow'), positionOf(MAIN, 'input group', 7));
        expect(refs).toHaveLength(3);
    });

    it('renames a step everywhere, in ${} strings and `after` too', async () => {
        const edit = await client.rename(uriOf('main.kmflow'), positionOf(MAIN, 'after mine', 7), 'compute');
        const renamed = applyEdits(MAIN, edit!.changes![uriOf('main.kmflow')]!);
        expect(renamed).toContain('step compute uses my_tool');
        expect(renamed).toContain('after compute');
        const edit2 = await client.rename(uriOf('main.kmflow'), positionOf(MAIN, 'step fetch', 6), 'download');
        const renamed2 = applyEdits(MAIN, edit2!.changes![uriOf('main.kmflow')]!);
        expect(renamed2).toContain('message: download.output.body');
        expect(renamed2).toContain('got ${download.output.status}');
        expect(renamed2).not.toMatch(/\bfetch\b/);
    });

    it('renames an input and a tool across files', async () => {
        const edit = await client.rename(uriOf('main.kmflow'), positionOf(MAIN, 'input group', 7), 'team');
        const renamed = applyEdits(MAIN, edit!.changes![uriOf('main.kmflow')]!);
        expect(renamed.match(/\bteam\b/g)).toHaveLength(3);
        const tool = await client.rename(uriOf('other.kmflow'), positionOf(OTHER, 'shared_tool', 2), 'common_tool');
        expect(Object.keys(tool!.changes!).sort()).toEqual([uriOf('other.kmflow'), uriOf('tools.kmflow')]);
    });

    it('outlines workflows with their inputs and steps', async () => {
        const symbols = await client.documentSymbols(uriOf('main.kmflow'));
        expect(symbols?.map((s) => s.name)).toEqual(['my_tool', 'local', 'demo']);
        expect(symbols?.[2]!.children?.map((s) => s.name)).toEqual(['group', 'count', 'fetch', 'mine', 'report', 'bad']);
    });

    it('sends semantic tokens', async () => {
        const tokens = await client.semanticTokens(uriOf('main.kmflow'));
        expect(tokens!.data.length).toBeGreaterThan(50);
        expect(tokens!.data.length % 5).toBe(0);
    });
});

describe('formatting', () => {
    const UGLY = 'server s { url "http://x"  timeout 5s }\nworkflow w {\n  mode parallel  step a uses log { with {message:"x",\n  "k":1} }\n}\n';

    it('formats idempotently, and the result still parses', async () => {
        const uri = uriOf('ugly.kmflow');
        let ticket = client.open(uri, UGLY);
        await client.diagnosticsAfter(uri, ticket);
        const once = applyEdits(UGLY, (await client.formatting(uri)) ?? []);
        expect(once).toBe('server s {\n    url "http://x"\n    timeout 5s\n}\nworkflow w {\n    mode parallel\n    step a uses log {\n' +
            '        with {\n            message: "x",\n            "k": 1\n        }\n    }\n}\n');
        ticket = client.change(uri, once);
        const after = await client.diagnosticsAfter(uri, ticket);
        expect(after.filter((d) => d.code === 'syntax')).toEqual([]);
        expect(await client.formatting(uri)).toEqual([]);
    });

    it('formats a spec example idempotently', async () => {
        const text = fs.readFileSync(path.join(__dirname, '../fixtures/spec/example-3.kmflow'), 'utf8');
        const uri = uriOf('example-3.kmflow');
        let ticket = client.open(uri, text);
        const before = await client.diagnosticsAfter(uri, ticket);
        const once = applyEdits(text, (await client.formatting(uri)) ?? []);
        expect(once).toContain('\n    step engine uses km.km_engine_status {\n        parallel_group discovery\n    }\n');
        ticket = client.change(uri, once);
        const after = await client.diagnosticsAfter(uri, ticket);
        expect(after.map((d) => d.code).sort()).toEqual(before.map((d) => d.code).sort());
        expect(await client.formatting(uri)).toEqual([]);
    });
});

describe('code lenses and inlay hints', () => {
    it('puts one row, Run | Debug | Plan | Graph | Analyze | the predicted critical path, over a workflow and by default nothing over its steps', async () => {
        const lenses = (await client.codeLens(uriOf('main.kmflow')))!;
        const uri = uriOf('main.kmflow');
        expect(lenses.map((l) => [l.command!.title, l.command!.command, l.command!.arguments])).toEqual([
            ['Run', 'kmflow.runWorkflow', [uri, 'demo']],
            ['Debug', 'kmflow.debugWorkflow', [uri, 'demo']],
            ['Plan', 'kmflow.plan', [uri, 'demo']],
            ['Graph', 'kmflow.showGraph', [uri, 'demo']],
            ['Analyze', 'kmflow.analyze', [uri, 'demo']],
            // fetch (default 100ms) → mine (declared 500ms) → report (default 100ms).
            ['~700 ms critical path (declared and default)', 'kmflow.plan', [uri, 'demo']],
        ]);
        expect(new Set(lenses.map((l) => l.range.start.line)).size).toBe(1);
    });

    it('shows a short estimate, and a star on the critical path, after step headers; the tooltip says where it comes from', async () => {
        const hints = (await client.inlayHints(uriOf('main.kmflow'), { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }))!;
        const labels = hints.map((h) => h.label);
        expect(labels).toEqual(['~100 ms ★', '~500 ms ★', '~100 ms ★', '~100 ms']);
        expect(hints[0]!.position).toEqual(positionOf(MAIN, 'uses http.request', 'uses http.request'.length));
        expect(hints[0]!.tooltip).toBe('~100 ms default (100 ms: no recorded run, no declared response_time), predicted start +0 ms, on the predicted critical path');
        expect(hints[1]!.tooltip).toBe('~500 ms declared (the tool\'s performance response_time), predicted start +100 ms, on the predicted critical path');
        // Nothing outside the Basic Multilingual Plane or the emoji presentation range: no ⏱.
        expect(labels.join('')).not.toMatch(/[\u{1F000}-\u{1FFFF}\u{2300}-\u{23FF}\u{FE0F}]/u);
    });
});

describe('lens and inlay hint settings', () => {
    const whole = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
    let other: LspClient | undefined;

    afterEach(async () => {
        await other?.stop();
        other = undefined;
    });

    async function startWith(options: { initializationOptions?: unknown; configuration?: Record<string, unknown> }): Promise<LspClient> {
        other = await LspClient.start(dir, options);
        await other.diagnosticsAfter(uriOf('main.kmflow'), other.open(uriOf('main.kmflow'), MAIN));
        return other;
    }

    it('puts Run to here over each step with lenses.steps in initializationOptions, and no hints with inlayHints.enabled false', async () => {
        const c = await startWith({ initializationOptions: { lenses: { steps: true }, inlayHints: { enabled: false } } });
        const uri = uriOf('main.kmflow');
        const lenses = (await c.codeLens(uri))!;
        expect(lenses[6]!.command).toEqual({ title: 'Run to here', command: 'kmflow.runToStep', arguments: [uri, 'demo', 'fetch'] });
        expect(lenses[6]!.range.start.line).toBe(positionOf(MAIN, 'step fetch').line);
        expect(lenses.filter((l) => l.command!.command === 'kmflow.runToStep')).toHaveLength(4);
        expect(await c.inlayHints(uri, whole)).toEqual([]);
    });

    it('reads the kmflow section over workspace/configuration, which wins over initializationOptions, and follows its changes', async () => {
        const c = await startWith({
            initializationOptions: { lenses: { steps: false } },
            configuration: { kmflow: { lenses: { steps: true }, inlayHints: { enabled: true } } },
        });
        const uri = uriOf('main.kmflow');
        expect((await c.codeLens(uri))!).toHaveLength(10);
        expect((await c.inlayHints(uri, whole))!).toHaveLength(4);

        await c.changeConfiguration({ kmflow: { lenses: { steps: false }, inlayHints: { enabled: false } } });
        await expect.poll(() => c.refreshes.length).toBeGreaterThanOrEqual(2);
        expect(c.refreshes).toEqual(expect.arrayContaining(['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']));
        expect((await c.codeLens(uri))!).toHaveLength(6);
        expect(await c.inlayHints(uri, whole)).toEqual([]);
    });
});

describe('quick fixes', () => {
    it('replaces an unknown tool with the nearest name and offers kmflow-ignore', async () => {
        const diagnostic = diagnostics.get('main.kmflow')!.find((d) => d.code === 'unknown-tool')!;
        const actions = (await client.codeActions(uriOf('main.kmflow'), diagnostic.range, [diagnostic]))!;
        expect(actions.map((a) => a.title)).toEqual(["Replace with 'http.request'", "Ignore 'unknown-tool' on this line"]);
        const fixed = applyEdits(MAIN, actions[0]!.edit!.changes![uriOf('main.kmflow')]!);
        expect(fixed).toContain('step bad uses http.request {');
        const ignored = applyEdits(MAIN, actions[1]!.edit!.changes![uriOf('main.kmflow')]!);
        expect(ignored).toContain('    // kmflow-ignore unknown-tool\n    step bad uses htp.request');
    });

    it('replaces an unknown step with the nearest step', async () => {
        const diagnostic = diagnostics.get('main.kmflow')!.find((d) => d.code === 'unknown-step')!;
        const actions = (await client.codeActions(uriOf('main.kmflow'), diagnostic.range, [diagnostic]))!;
        expect(actions[0]!.title).toBe("Replace with step 'fetch'");
    });

    it('replaces a deprecated alias with the tool the server names instead', async () => {
        const text = 'import "km"\nworkflow w {\n    step stats uses km_token_stats\n}\n';
        const ticket = client.open(uriOf('alias.kmflow'), text);
        const found = await client.diagnosticsAfter(uriOf('alias.kmflow'), ticket);
        const diagnostic = found.find((d) => d.code === 'tool-status')!;
        expect(diagnostic.message).toMatch(/'km_token_stats' is deprecated; use 'km_token_processor'/);
        const actions = (await client.codeActions(uriOf('alias.kmflow'), diagnostic.range, [diagnostic]))!;
        expect(actions[0]!.title).toBe("Use 'km_token_processor' instead");
        expect(applyEdits(text, actions[0]!.edit!.changes![uriOf('alias.kmflow')]!)).toContain('step stats uses km_token_processor\n');
    });

    it('declares a stub for a missing dependency', async () => {
        const diagnostic = diagnostics.get('tools.kmflow')!.find((d) => d.code === 'missing-dependency')!;
        const actions = (await client.codeActions(uriOf('tools.kmflow'), diagnostic.range, [diagnostic]))!;
        const fixed = applyEdits(TOOLS, actions[0]!.edit!.changes![uriOf('tools.kmflow')]!);
        expect(fixed).toContain('tool nothing_here {');
        const ticket = client.change(uriOf('tools.kmflow'), fixed);
        const after = await client.diagnosticsAfter(uriOf('tools.kmflow'), ticket);
        expect(after.filter((d) => d.severity === 1)).toEqual([]);
    });
});

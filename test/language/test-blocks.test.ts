/**
 * The language of `test` blocks: what the checker says and where (unknown workflow, step,
 * tool and input, stubs the tool could never answer, a missing cassette, repeats), that the
 * new words stay usable as names, that `run` is the run inside a test, completion after
 * `given`, `expect`, `for` and `STEP.`/`run.`, and formatting.
 */
import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import type { CompletionItem } from 'vscode-languageserver';
import { buildWorkspace, check } from '../helpers/documents.js';
import { toTestSpec } from '../../src/language/to-test-spec.js';
import type { Document } from '../../src/language/generated/ast.js';

const FLOW = `import "km"
tool fetch { output_schema { type: "object", properties: { count: { type: "number" } }, required: ["count"] } }
workflow wf {
    input group: string = "Work"
    step list uses km_list_macros { with { limit: 10 } }
    step count uses fetch
    step pick uses capability macro_discovery
}
`;

const at = (d: { line: number; column: number; severity: string; code: string; message: string }): string =>
    `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;

describe('the checker', () => {
    it('places unknown workflows, steps, tools and inputs, and invalid stubs', async () => {
        const diagnostics = await check(`${FLOW}
test "t" for wf {
    input grup = "x"
    given lst returns {}
    given tool fech returns {}
    given list returns ["not", "an", "object"]
    given count returns { count: "three" }
    given pick returns "anything: the tool is chosen at run time"
    given count returns { total: 1 }
    expect lis.ok and run.status == "succeeded"
}
test "other" for nope {
    given list returns {}
    expect list.ok
}
`);
        expect(diagnostics.filter((d) => d.severity !== 'info').map(at)).toEqual([
            "12:11 error unknown-step 'lst' is not a step of workflow 'wf'",
            "13:16 error unknown-tool unknown tool 'fech'; did you mean 'fetch'?",
            "18:12 error unknown-step 'lis' is not a step of workflow 'wf' (the run is 'run', inputs are 'input.lis')",
            "20:18 error unknown-workflow no workflow 'nope' is declared here or in an imported file",
            "11:11 error unknown-input workflow 'wf' has no input 'grup' (inputs: group)",
            '14:24 error invalid-stub km_list_macros never answers this (its output schema): the output must be object',
            "15:34 error invalid-stub fetch never answers this (its output schema): 'count' must be number",
            "15:5 warning repeated-option 'step count' is stubbed again on line 17; only that one counts",
            "17:25 error invalid-stub fetch never answers this (its output schema): missing required field 'count'",
        ]);
    });

    it('wants a stub fixed before the run, titles unique, one replay; warns about a missing cassette', async () => {
        const diagnostics = await check(`${FLOW}
test "t" for wf {
    given count returns { count: list.output.total }
    given list returns { data: input.group }
    replay "a"
    replay "./none.json"
}
test "t" for wf {
}
`);
        expect(diagnostics.filter((d) => d.severity !== 'info').map(at)).toEqual([
            "16:6 error duplicate-id test \"t\" is already declared on line 10",
            "14:12 warning missing-cassette no cassette /ws/none.json: record it with 'kmflow run WORKFLOW_FILE --record NAME'",
            "11:34 error invalid-stub a stub's value is fixed before the run: it may read input.NAME, not 'list'",
            "13:5 warning repeated-option 'replay' is given 2 times in test \"t\"; only the last one (line 14) counts",
        ]);
    });

    it('sees a workflow of an imported file, and its steps', async () => {
        const ws = await buildWorkspace({
            'flow.kmflow': FLOW,
            'main.kmflow': 'import "./flow.kmflow"\ntest "t" for wf {\n    given list returns { success: true }\n    expect list.ok and count.status == "skipped"\n}\n',
        });
        const main = ws.documents.get('main.kmflow')!;
        expect(main.diagnostics).toEqual([]);
        const spec = toTestSpec(ws.services, (main.parseResult.value as Document).tests[0]!);
        expect(spec).toMatchObject({ name: 't', workflow: 'wf', stubs: [{ step: 'list', outcomes: [{ kind: 'returns', count: 1 }] }] });
        expect(spec.expects[0]!.text).toBe('list.ok and count.status == "skipped"');
    });
});

describe('the words of test blocks', () => {
    const WORDS = ['test', 'for', 'replay', 'given', 'returns', 'fails', 'times', 'out', 'then', 'disconnects', 'expect', 'snapshot', 'report'];

    it('stay usable as step names, references, object keys and tool names', async () => {
        const steps = WORDS.map((w, i) => `    step ${w} uses log { with { message: "${w}" } ${i > 0 ? `after ${WORDS[i - 1]}` : ''} }`).join('\n');
        const text = `tool report { via builtin "log" }\nworkflow given {\n${steps}\n    step last uses report { with { message: "\${out.output}", test: { for: 1, times: 2 } } when then.ok and expect.status == "succeeded" }\n}\n` +
            `test "names" for given {\n${WORDS.map((w) => `    given ${w} returns { message: "${w}" }`).join('\n')}\n    given tool report returns { message: "r" }\n    expect times.ok and out.output.message == "out"\n}\n`;
        expect((await check(text)).filter((d) => d.severity !== 'info')).toEqual([]);
    });

    it('make `run` the run inside a test, even beside a step called run', async () => {
        const ws = await buildWorkspace({ 'main.kmflow': 'workflow w {\n    step run uses log { with { message: "r" } }\n}\ntest "t" for w {\n    given run returns { message: "x" }\n    expect run.status == "succeeded"\n}\n' });
        const doc = ws.documents.get('main.kmflow')!;
        expect(doc.diagnostics).toEqual([]);
        const spec = toTestSpec(ws.services, (doc.parseResult.value as Document).tests[0]!);
        expect(spec.stubs[0]!.step).toBe('run');
        expect(spec.expects[0]!.expr).toMatchObject({ left: { kind: 'ref', root: 'item', name: 'run' } });
    });
});

async function complete(text: string, trigger?: string): Promise<string[]> {
    const offset = text.indexOf('<|>');
    const ws = await buildWorkspace({ 'flow.kmflow': FLOW, 'main.kmflow': text.replace('<|>', '') });
    const doc = ws.documents.get('main.kmflow')!;
    const list = await ws.services.lsp.CompletionProvider!.getCompletion(doc, {
        textDocument: { uri: URI.file('/ws/main.kmflow').toString() },
        position: doc.textDocument.positionAt(offset),
        context: trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 },
    });
    return (list?.items ?? []).map((i: CompletionItem) => i.label);
}

describe('completion in a test block', () => {
    const head = 'import "./flow.kmflow"\ntest "t" for wf {\n';

    it('offers the tested workflow\'s steps after given and expect, and the workflows after for', async () => {
        expect(await complete(`${head}    given <|>\n}\n`, ' ')).toEqual(['tool', 'list', 'count', 'pick']);
        expect(await complete(`${head}    expect <|>\n}\n`, ' ')).toEqual(expect.arrayContaining(['run', 'list', 'count', 'pick', 'input']));
        expect(await complete('import "./flow.kmflow"\ntest "t" for <|>\n', ' ')).toEqual(['wf']);
    });

    it('offers tools after given tool, outcomes after a step, members after STEP. and run.', async () => {
        expect(await complete(`${head}    given tool <|>\n}\n`, ' ')).toEqual(expect.arrayContaining(['fetch', 'km_list_macros', 'log']));
        expect(await complete(`${head}    given list <|>\n}\n`)).toEqual(['returns', 'fails', 'times', 'disconnects']);
        expect(await complete(`${head}    expect count.<|>\n}\n`, '.')).toEqual(['output', 'ok', 'status', 'result', 'error', 'attempts']);
        expect(await complete(`${head}    expect count.output.<|>\n}\n`, '.')).toEqual(['count']);
        expect(await complete(`${head}    expect run.<|>\n}\n`, '.')).toEqual(['status', 'durationMs', 'criticalPathMs', 'criticalPath', 'steps', 'metrics', 'bottlenecks']);
    });
});

describe('formatting', () => {
    it('puts each line of a test block on its own line, and is idempotent', async () => {
        const text = 'workflow wf { step a uses log { with { message: "a" } } }\ntest "t" for wf { input x=1  given a returns { message: "x" } then fails "C" "m" 2 times\n  expect a.ok    snapshot report replay "x" }\n';
        const format = async (source: string): Promise<string> => {
            const ws = await buildWorkspace({ 'main.kmflow': source });
            const edits = await ws.services.lsp.Formatter!.formatDocument(ws.documents.get('main.kmflow')!, { textDocument: { uri: 'file:///ws/main.kmflow' }, options: { tabSize: 4, insertSpaces: true } });
            return edits[0]?.newText ?? source;
        };
        const once = await format(text);
        expect(once.split('\n').slice(5)).toEqual([
            'test "t" for wf {',
            '    input x = 1',
            '    given a returns { message: "x" } then fails "C" "m" 2 times',
            '    expect a.ok',
            '    snapshot report',
            '    replay "x"',
            '}',
            '',
        ]);
        expect(await format(once)).toBe(once);
    });
});

describe('semantic tokens', () => {
    it('mark the tested workflow, the stubbed steps and tools, and what expectations read', async () => {
        const text = 'workflow wf {\n    step a uses log { with { message: "a" } }\n}\ntest "t" for wf {\n    given a returns { message: "x" }\n    given tool log returns { message: "y" }\n    expect a.ok and run.status == "succeeded" and input.x == null\n}\n';
        const ws = await buildWorkspace({ 'main.kmflow': text });
        const doc = ws.documents.get('main.kmflow')!;
        const provider = ws.services.lsp.SemanticTokenProvider!;
        const { data } = await provider.semanticHighlight(doc, { textDocument: { uri: doc.uri.toString() } });
        const legend = provider.tokenTypes;
        const types = Object.fromEntries(Object.entries(legend).map(([name, i]) => [i, name]));
        const tokens: string[] = [];
        let line = 0;
        let char = 0;
        for (let i = 0; i < data.length; i += 5) {
            line += data[i]!;
            char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
            if (line >= 3) {
                tokens.push(`${text.split('\n')[line]!.slice(char, char + data[i + 2]!)}:${types[data[i + 3]!]}`);
            }
        }
        expect(tokens).toEqual(expect.arrayContaining(['wf:class', 'a:function', 'log:type', 'run:variable', 'x:parameter']));
    });
});

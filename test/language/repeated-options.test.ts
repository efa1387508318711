/**
 * An option written more than once: the AST keeps every copy and every reader takes the
 * last one (src/language/ast-options.ts), as the `repeated-option` warning promises.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/language/generated/ast.js';
import { toWorkflowSpec } from '../../src/language/to-engine-model.js';
import { toServerSpec } from '../../src/language/to-server-spec.js';
import { toToolDescriptor } from '../../src/language/tool-descriptors.js';
import { buildWorkspace, codesAt, diagnosticsOf } from '../helpers/documents.js';

/** The engine's view of a document: workflows, servers and declared tools, without source locations. */
async function model(text: string) {
    const ws = await buildWorkspace({ 'main.kmflow': text });
    const root = ws.documents.get('main.kmflow')!.parseResult.value as Document;
    const unlocated = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'location' ? undefined : v)));
    return {
        engine: unlocated({
            workflows: root.workflows.map((w) => toWorkflowSpec(ws.services, w)),
            servers: root.servers.map((s) => toServerSpec(ws.services, s)),
            tools: root.tools.map((t) => toToolDescriptor(ws.services, t)),
        }),
        diagnostics: diagnosticsOf(ws, 'main.kmflow'),
    };
}

const LAST = [
    'server s {',
    '  command "node"',
    '  args ["b.js"]',
    '  timeout 30s',
    '  failure { when output.ok == false  code "B"  message "b" }',
    '}',
    'tool t.x "T" {',
    '  category data',
    '  description "b"',
    '  cache off',
    '  security high',
    '  read_only',
    '  status alias replaced_by t.y',
    '  input_schema { type: "object" }',
    '  via s "b"',
    '}',
    'tool t.y { via s "y" }',
    'workflow w {',
    '  description "b"',
    '  mode pipeline',
    '  target cost',
    '  selection manual',
    '  resources balanced',
    '  monitoring detailed',
    '  cache basic',
    '  errors resilient',
    '  max_parallel 3',
    '  timeout 2m',
    '  enterprise',
    '  step a uses log {',
    '    description "b"',
    '    with { message: "b" }',
    '    when true',
    '    each item in [2]',
    '    timeout 30s',
    '    retry 2 backoff 2s',
    '    parallel_group g2',
    '    cache on',
    '    public',
    '    compensate uses log { with { message: "undo b" } }',
    '  }',
    '}',
];

/** Each option line of LAST preceded by a different copy of it, which the last one overrides. */
const EARLIER: Record<string, string> = {
    '  command "node"': '  command "deno"',
    '  args ["b.js"]': '  args ["a.js"]',
    '  timeout 30s': '  timeout 5s',
    '  failure { when output.ok == false  code "B"  message "b" }': '  failure { when output.ok == true  code "A" }',
    '  category data': '  category web',
    '  description "b"': '  description "a"',
    '  cache off': '  cache on',
    '  security high': '  security standard',
    '  read_only': '  read_only',
    '  status alias replaced_by t.y': '  status removed',
    '  input_schema { type: "object" }': '  input_schema { type: "string" }',
    '  via s "b"': '  via s "a"',
    '  mode pipeline': '  mode parallel',
    '  target cost': '  target reliability',
    '  selection manual': '  selection adaptive',
    '  resources balanced': '  resources unlimited',
    '  monitoring detailed': '  monitoring minimal',
    '  cache basic': '  cache none',
    '  errors resilient': '  errors fail_fast',
    '  max_parallel 3': '  max_parallel 1',
    '  timeout 2m': '  timeout 1m',
    '  enterprise': '  enterprise',
    '    description "b"': '    description "a"',
    '    with { message: "b" }': '    with { message: "a" }',
    '    when true': '    when false',
    '    each item in [2]': '    each item in [1]',
    '    timeout 30s': '    timeout 1s',
    '    retry 2 backoff 2s': '    retry 1 backoff 1s',
    '    parallel_group g2': '    parallel_group g1',
    '    cache on': '    cache off',
    '    public': '    public',
    '    compensate uses log { with { message: "undo b" } }': '    compensate uses log { with { message: "undo a" } }',
};

describe('an option written more than once', () => {
    it('reaches the engine as its last copy: workflows, steps, servers, failure rules and tools', async () => {
        const repeated = LAST.flatMap((line) => (EARLIER[line] === undefined ? [line] : [EARLIER[line]!, line]));
        const once = await model(`${LAST.join('\n')}\n`);
        const twice = await model(`${repeated.join('\n')}\n`);
        expect(twice.engine).toEqual(once.engine);
        expect(once.diagnostics.filter((d) => d.code === 'repeated-option')).toEqual([]);
        // A warning on each earlier copy of the options that take one value (not `failure`, `each`, `compensate`).
        expect(twice.diagnostics.filter((d) => d.code === 'repeated-option').length).toBe(30);
    });

    it('is checked where the copy that counts is', async () => {
        const handler = 'workflow w {\n  step risky uses assert { with { condition: false } }\n' +
            '  step h uses log {\n    when not risky.ok\n    when risky.ok\n    with { message: "${risky.output}" }\n  }\n}\n';
        expect(codesAt((await model(handler)).diagnostics.filter((d) => d.code === 'unreachable-handler')))
            .toEqual(['unreachable-handler@5:10']);
        const server = 'server s {\n  url "http://a/${input.a}"\n  url "http://b/${input.b}"\n}\n';
        const { engine, diagnostics } = await model(server);
        expect(codesAt(diagnostics.filter((d) => d.code === 'server-value'))).toEqual(['server-value@3:19']);
        expect(engine).toMatchObject({ servers: [{ url: 'http://b/${input.b}' }] });
    });

    it('declares the item variable of the last `each` only', async () => {
        const text = 'workflow w {\n  step a uses log {\n    each x in [1]\n    each y in [2]\n    with { message: x }\n  }\n}\n';
        const { diagnostics } = await model(text);
        expect(diagnostics.some((d) => d.line === 5 && d.severity === 'error')).toBe(true);
        expect((await model(text.replace('message: x', 'message: y'))).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
});

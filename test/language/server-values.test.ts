/**
 * `${secret.NAME}` and `${env.NAME}` in server blocks: what the ServerSpec carries (the
 * placeholders, resolved at connect time), and what the checker says about them.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/language/generated/ast.js';
import { toServerSpec } from '../../src/language/to-server-spec.js';
import { toWorkflowSpec } from '../../src/language/to-engine-model.js';
import { buildWorkspace, codesAt, diagnosticsOf } from '../helpers/documents.js';

async function specs(text: string) {
    const ws = await buildWorkspace({ 'main.kmflow': text });
    const doc = ws.documents.get('main.kmflow')!;
    const root = doc.parseResult.value as Document;
    return { ws, root, servers: root.servers.map((s) => toServerSpec(ws.services, s)), diagnostics: diagnosticsOf(ws, 'main.kmflow') };
}

describe('server blocks read secrets and variables', () => {
    it('keeps ${secret.X} and ${env.X} as placeholders in args, env, headers, url and cwd', async () => {
        const { servers, diagnostics } = await specs([
            'server web {',
            '    url "https://${env.HOST}/mcp"',
            '    headers { Authorization: "Bearer ${secret.KM_TOKEN}", Plain: "x", Literal: "\\${kept}" }',
            '}',
            'server local {',
            '    command "node"',
            '    args ["server.js", "--port=${env.PORT}", 7]',
            '    env { TOKEN: "${secret.KM_TOKEN}", BARE: secret.OTHER }',
            '    cwd "${env.HOME}/srv"',
            '}',
        ].join('\n'));
        expect(servers[0]).toMatchObject({ url: 'https://${env.HOST}/mcp', headers: { Authorization: 'Bearer ${secret.KM_TOKEN}', Plain: 'x', Literal: '$${kept}' } });
        expect(servers[1]).toMatchObject({
            args: ['server.js', '--port=${env.PORT}', '7'],
            env: { TOKEN: '${secret.KM_TOKEN}', BARE: '${secret.OTHER}' },
            cwd: '${env.HOME}/srv',
        });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });

    it('reports anything else a server block tries to read, and a secret in args', async () => {
        const { diagnostics } = await specs([
            'server web {',
            '    url "https://x/${input.path}"',
            '    headers { A: "${secret.T.field}", B: "${ 1 + }" }',
            '}',
            'server local {',
            '    command "node"',
            '    args ["-e", "${secret.KM_TOKEN}"]',
            '    env { OK: "${secret.KM_TOKEN}" }',
            '}',
        ].join('\n'));
        expect(codesAt(diagnostics.filter((d) => d.code === 'server-value' || d.code === 'secret-in-args'))).toEqual([
            'secret-in-args@7:20', 'server-value@2:22', 'server-value@3:21', 'server-value@3:45',
        ]);
        const args = diagnostics.find((d) => d.code === 'secret-in-args')!;
        expect(args).toMatchObject({ severity: 'warning' });
        expect(args.message).toMatch(/process list.*env \{ KM_TOKEN/);
    });

    it('an unset secret is no finding: secrets are given at run time', async () => {
        const { diagnostics } = await specs('server web {\n    url "http://127.0.0.1:9/mcp"\n    headers { A: "${secret.NEVER_SET_ANYWHERE}" }\n}\n');
        expect(diagnostics).toEqual([]);
    });

    it('parses `input NAME: TYPE secret` and a step `public`', async () => {
        const { ws, root } = await specs([
            'workflow w {',
            '    input pw: string secret',
            '    input n: number = 2',
            '    step a uses log { with { message: input.pw } public }',
            '}',
        ].join('\n'));
        const wf = toWorkflowSpec(ws.services, root.workflows[0]!);
        expect(wf.inputs).toEqual([
            { name: 'pw', type: 'string', hasDefault: false, default: undefined, secret: true },
            { name: 'n', type: 'number', hasDefault: true, default: 2 },
        ]);
        expect(wf.steps[0]!.public).toBe(true);
        expect(diagnosticsOf(ws, 'main.kmflow').filter((d) => d.code === 'syntax')).toEqual([]);
    });
});

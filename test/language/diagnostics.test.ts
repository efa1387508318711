/**
 * Every stable diagnostic code: a document that triggers it at a known line and column,
 * and the corrected document that does not.
 */
import { describe, expect, it } from 'vitest';
import { check, codesAt } from '../helpers/documents.js';

/** `code@line:col` of the diagnostics with one of `codes`. */
async function found(text: string, codes: string[], others: Record<string, string> = {}): Promise<string[]> {
    return codesAt((await check(text, others)).filter((d) => codes.includes(d.code)));
}

/** A workflow whose one step's message is `expr`. */
function withMessage(expr: string): string {
    return `workflow w {\n  step a uses log { with { message: ${expr} } }\n}\n`;
}

describe('syntax', () => {
    it('reports text that does not parse where it stops parsing', async () => {
        const text = 'workflow w {\n  step a uses log {\n    with { message: "x" \n  }\n}\n';
        const diags = await check(text);
        expect(diags.length).toBeGreaterThan(0);
        expect(diags.every((d) => d.code === 'syntax')).toBe(true);
        expect(diags[0].line).toBeGreaterThanOrEqual(3);
    });
    it('says a name or which value is missing, in one line', async () => {
        const syntax = async (text: string): Promise<string[]> => (await check(text)).filter((d) => d.code === 'syntax').map((d) => `${d.line}:${d.message}`);
        expect(await syntax('workflow w {\n  step b uses log { after , }\n}\n')).toEqual(["2:expected a name but found ','", "2:expected a name but found '}'"]);
        expect(await syntax('workflow w {\n  step c uses log { cache maybe }\n}\n')).toContain("2:expected one of 'on', 'off' but found 'maybe'");
    });
    it('reports a bad character with its position', async () => {
        expect(await found('workflow w { § }', ['syntax'])).toContain('syntax@1:14');
    });
    it('reports a broken ${} interpolation inside a string', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "x ${ 1 + }" } }\n}\n';
        expect(await found(text, ['syntax'])).toEqual(['syntax@2:40']);
    });
    it('reports brackets nested too deep instead of overflowing the parser', async () => {
        const text = `workflow w {\n  step a uses log { with { message: ${'('.repeat(400)}1${')'.repeat(400)} } }\n}\n`;
        const diags = await check(text);
        expect(diags[0]).toMatchObject({ code: 'syntax', line: 2, message: 'brackets nested more than 64 deep' });
    });
    for (const [what, expr] of [
        ['unary minus', `${'-'.repeat(1000)}1`],
        ['not', `${'not '.repeat(1000)}true`],
        ['a chain of binary operators', `${'1 + '.repeat(10_000)}1`],
        ['operators inside brackets', `${'(-'.repeat(200)}1${')'.repeat(200)}`],
    ]) {
        it(`reports ${what} nested too deep instead of overflowing the stack`, async () => {
            const diags = await check(`workflow w {\n  step a uses log { with { message: ${expr} } }\n}\n`);
            expect(diags[0]).toMatchObject({ code: 'syntax', line: 2 });
            expect(diags[0].message).toMatch(/nested more than 64 deep/);
        });
    }
    for (const [what, prefix] of [['an unclosed quote', '"x '], ['an unclosed comment', '/* x '], ['a comment ended by \\r', '// x\r']]) {
        it(`sees brackets after ${what} as the lexer does, as code`, async () => {
            const diags = await check(`workflow w {\n  step a uses log { with { message: ${prefix}${'('.repeat(400)}1 } }\n}\n`);
            expect(diags.map((d) => d.message)).toContain('brackets nested more than 64 deep');
        });
    }
    it('reports operators nested too deep inside ${} instead of overflowing the stack', async () => {
        const diags = await check(withMessage(`"\${${'-'.repeat(1000)}1}"`));
        expect(diags.map((d) => d.message)).toContainEqual(expect.stringMatching(/expression nested more than 64 deep/));
        expect(diags.map((d) => d.message)).not.toContainEqual(expect.stringMatching(/error occurred|call stack/i));
    });
    it('blanks every region nested too deep, not only the first', async () => {
        const deep = `${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`;
        const diags = await check(`workflow w {\n  step a uses log { with { message: "x", o: ${deep}, p: ${deep} } }\n}\n`);
        expect(diags.filter((d) => d.message === 'brackets nested more than 64 deep')).toHaveLength(2);
    });
    it('accepts a well-formed document', async () => {
        expect(await check('workflow w {\n  step a uses log { with { message: "x ${ 1 + 2 }" } }\n}\n')).toEqual([]);
    });
});

describe('unknown-tool', () => {
    it('names the nearest tool', async () => {
        const diags = await check('workflow w {\n  step a uses file.reed { with { path: "x" } }\n}\n');
        expect(codesAt(diags)).toEqual(['unknown-tool@2:15']);
        expect(diags[0].message).toContain("did you mean 'file.read'");
        expect(diags[0].endColumn).toBe(24);
    });
    it('covers compensations', async () => {
        const text = 'workflow w {\n  step a uses log {\n    with { message: "m" }\n    compensate uses lgo { with { message: "undo" } }\n  }\n}\n';
        expect(await found(text, ['unknown-tool'])).toEqual(['unknown-tool@4:21']);
    });
    it('does not know km tools unless km is imported', async () => {
        const text = 'workflow w {\n  step a uses km_list_macros\n}\n';
        expect(await found(text, ['unknown-tool'])).toEqual(['unknown-tool@2:15']);
        expect(await found(`import "km"\n${text}`, ['unknown-tool'])).toEqual([]);
    });
    it('accepts SERVER.TOOL for a declared server', async () => {
        const text = 'server ev { command "node" }\nworkflow w {\n  step a uses ev."get-sum" { with { a: 1, b: 2 } }\n}\n';
        expect(await found(text, ['unknown-tool'])).toEqual([]);
        expect(await found(text.replace('server ev', 'server other'), ['unknown-tool'])).toEqual(['unknown-tool@3:15']);
    });
    it('sees tools of imported files', async () => {
        const shared = 'tool notify "Notify" { category communication capabilities notify via builtin "log" }\n';
        const text = 'import "./shared.kmflow"\nworkflow w {\n  step a uses notify\n}\n';
        expect(await found(text, ['unknown-tool', 'unknown-import'], { 'shared.kmflow': shared })).toEqual([]);
        expect(await found(text.replace('import "./shared.kmflow"\n', '\n'), ['unknown-tool'], { 'shared.kmflow': shared }))
            .toEqual(['unknown-tool@3:15']);
    });
});

describe('unknown-capability', () => {
    it('reports a capability no tool provides', async () => {
        const text = 'workflow w {\n  step a uses capability teleportation\n}\n';
        expect(await found(text, ['unknown-capability'])).toEqual(['unknown-capability@2:26']);
        expect(await found(text.replace('teleportation', 'json_query'), ['unknown-capability'])).toEqual([]);
    });
});

describe('unknown-step', () => {
    it('reports an after naming no step', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "a" } }\n  step b uses log { with { message: "b" } after c }\n}\n';
        expect(await found(text, ['unknown-step'])).toEqual(['unknown-step@3:49']);
        expect(await found(text.replace('after c', 'after a'), ['unknown-step'])).toEqual([]);
    });
    it('reports references in expressions and in ${} strings', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "a" } }\n' +
            '  step b uses log { with { message: x.output } when "${y.ok}" == "true" }\n}\n';
        expect(await found(text, ['unknown-step'])).toEqual(['unknown-step@3:37', 'unknown-step@3:56']);
        expect(await found(text.replace('x.output', 'a.output').replace('y.ok', 'a.ok'), ['unknown-step'])).toEqual([]);
    });
    it('knows the each variable', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: m } each m in [1, 2] }\n}\n';
        expect(await found(text, ['unknown-step'])).toEqual([]);
    });
});

describe('duplicate-id', () => {
    it('reports the second of two steps, tools, servers or workflows with one id', async () => {
        const text = [
            'server s { url "http://127.0.0.1:1/mcp" }', 'server s { url "http://127.0.0.1:2/mcp" }',
            'tool t { via builtin "log" }', 'tool t { via builtin "log" }',
            'workflow w {', '  step a uses log { with { message: "1" } }', '  step a uses log { with { message: "2" } }', '}',
            'workflow w { }', '',
        ].join('\n');
        expect(await found(text, ['duplicate-id'])).toEqual(
            ['duplicate-id@2:8', 'duplicate-id@4:6', 'duplicate-id@7:8', 'duplicate-id@9:10']);
    });
    it('accepts distinct ids', async () => {
        expect(await found('workflow w {\n step a uses log { with { message: "1" } }\n step b uses log { with { message: "2" } }\n}\n',
            ['duplicate-id'])).toEqual([]);
    });
});

describe('cycle', () => {
    it('reports a cycle once, on its first step, naming every step on it', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: c.output } }\n  step b uses log { with { message: "b" } after a }\n' +
            '  step c uses log { with { message: "c" } after b }\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'cycle');
        expect(codesAt(diags)).toEqual(['cycle@2:8']);
        expect(diags[0].message).toBe('dependency cycle (each step waits for the next): a → c → b → a');
        expect(await found(text.replace('c.output', '"a"'), ['cycle'])).toEqual([]);
    });
    it('finds cycles through requires and ensures', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "a" } requires f ensures g }\n' +
            '  step b uses log { with { message: "b" } requires g ensures f }\n}\n';
        expect(await found(text, ['cycle'])).toEqual(['cycle@2:8']);
    });
    it('reports a 10,000-step cycle as one short diagnostic', async () => {
        const n = 10_000;
        const steps = Array.from({ length: n }, (_, i) => `  step s${i} uses log { with { message: "x" } after s${(i + 1) % n} }`);
        const diags = (await check(`workflow w {\n${steps.join('\n')}\n}\n`)).filter((d) => d.code === 'cycle');
        expect(codesAt(diags)).toEqual(['cycle@2:8']);
        expect(diags[0].message).toBe('dependency cycle (each step waits for the next): s0 → s1 → s2 → s3 → s4 → s5 → s6 → s7 → s8 → s9 → ' +
            '… (9,980 more) → s9990 → s9991 → s9992 → s9993 → s9994 → s9995 → s9996 → s9997 → s9998 → s9999 → s0');
    }, 120_000);
});

describe('unmet-requires', () => {
    it('reports a fact nobody ensures', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "a" } ensures ready }\n  step b uses log { with { message: "b" } requires raedy }\n}\n';
        expect(await found(text, ['unmet-requires'])).toEqual(['unmet-requires@3:52']);
        expect(await found(text.replace('raedy', 'ready'), ['unmet-requires'])).toEqual([]);
    });
});

describe('invalid-param', () => {
    it('reports wrong types, unknown keys and missing required parameters', async () => {
        const text = 'workflow w {\n  step a uses delay { with { ms: "soon", extra: 1 } }\n  step b uses file.read { with { } }\n' +
            '  step c uses http.request { with { url: "http://x", method: "FETCH" } }\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'invalid-param');
        expect(codesAt(diags)).toEqual(['invalid-param@2:34', 'invalid-param@2:42', 'invalid-param@3:32', 'invalid-param@4:62']);
        const messages = diags.map((d) => d.message).sort();
        expect(messages[0]).toBe("delay: 'ms' must be number");
        expect(messages[1]).toBe("delay: unknown parameter 'extra'");
        expect(messages[2]).toBe("file.read: missing required parameter 'path'");
        expect(messages[3]).toMatch(/^http\.request: 'method' must be one of "GET"/);
    });
    it('leaves run-time values to the run but still checks their keys', async () => {
        const text = 'workflow w {\n  input n: number = 5\n  step a uses delay { with { ms: input.n } }\n  step b uses delay { with { ms: a.output, typo: a.output } }\n}\n';
        expect(await found(text, ['invalid-param'])).toEqual(['invalid-param@4:44']);
    });
    it('checks km tools against their schemas', async () => {
        // The server's own schema: km_variable_manager's instance parameter is `_instance_id`.
        const text = 'import "km"\nworkflow w {\n  step a uses km_variable_manager { with { operation: "get", name: "X", instance_id: "i" } }\n}\n';
        expect(await found(text, ['invalid-param'])).toEqual(['invalid-param@3:73']);
        expect(await found(text.replace('instance_id', '_instance_id'), ['invalid-param'])).toEqual([]);
        const editor = 'import "km"\nworkflow w {\n  step a uses km_macro_editor { with { operation: "explode", macro_id: "M" } }\n}\n';
        expect(await found(editor, ['invalid-param'])).toEqual(['invalid-param@3:51']);
        expect(await found(editor.replace('explode', 'set_enabled'), ['invalid-param'])).toEqual([]);
    });
});

describe('missing-dependency', () => {
    it('reports depends_on naming an undeclared tool', async () => {
        const text = 'tool a { depends_on b via builtin "log" }\n';
        expect(await found(text, ['missing-dependency'])).toEqual(['missing-dependency@1:21']);
        expect(await found(`${text}tool b { via builtin "log" }\n`, ['missing-dependency'])).toEqual([]);
    });
});

describe('security-escalation', () => {
    const base = 'tool vault "Vault" { security enterprise via builtin "log" }\nworkflow w {\n' +
        '  step read uses file.read { with { path: "a.txt" } }\n  step mid uses shell { with { command: "cat", stdin: read.output.content } }\n' +
        '  step store uses vault { with { message: mid.output } }\n}\n';
    it('warns when standard output flows, through other steps, into an enterprise tool', async () => {
        const diags = (await check(base)).filter((d) => d.code === 'security-escalation');
        expect(codesAt(diags)).toEqual(['security-escalation@5:19']);
        expect(diags[0].severity).toBe('warning');
        expect(diags[0].message).toContain("'read'");
    });
    it('is an error in an enterprise workflow', async () => {
        const diags = (await check(base.replace('workflow w {', 'workflow w {\n  enterprise'))).filter((d) => d.code === 'security-escalation');
        expect(diags.map((d) => d.severity)).toEqual(['error']);
    });
    it('is quiet when no standard data reaches the enterprise tool', async () => {
        expect(await found(base.replace('mid.output', '"fixed"'), ['security-escalation'])).toEqual([]);
    });
});

describe('sensitive-data', () => {
    it('warns when a secret or a credential-like parameter goes to a standard tool', async () => {
        const text = 'workflow w {\n  step a uses log { with { message: "key=${secret.API_KEY}" } }\n' +
            '  step b uses http.request { with { url: "https://x", headers: { token: secret.API_KEY } } }\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'sensitive-data');
        expect(codesAt(diags)).toEqual(['sensitive-data@2:37']);
        expect(diags[0].severity).toBe('warning');
    });
    it('is an error in an enterprise workflow', async () => {
        const text = 'workflow w {\n  enterprise\n  step a uses log { with { message: secret.TOKEN } }\n}\n';
        expect((await check(text)).filter((d) => d.code === 'sensitive-data').map((d) => d.severity)).toEqual(['error']);
    });
});

describe('resource-overcommit', () => {
    it('warns when one step asks more than the pool holds', async () => {
        const text = 'tool heavy { resources cpu 0.8 via builtin "delay" }\nworkflow w {\n  resources conservative\n' +
            '  step a uses heavy { with { ms: 1 } }\n}\n';
        expect(await found(text, ['resource-overcommit'])).toEqual(['resource-overcommit@4:15']);
        expect(await found(text.replace('conservative', 'balanced'), ['resource-overcommit'])).toEqual([]);
    });
});

describe('unbound-server', () => {
    it('is one info per server, not per step', async () => {
        const text = 'import "km"\nworkflow w {\n  step a uses km_list_macros\n  step b uses km_list_templates\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'unbound-server');
        expect(codesAt(diags)).toEqual(['unbound-server@3:15']);
        expect(diags[0].severity).toBe('info');
        expect(await found(`server km { command "python" }\n${text}`, ['unbound-server'])).toEqual([]);
    });
});

describe('kmflow-ignore', () => {
    it('silences the named code on the next line only', async () => {
        const text = 'workflow w {\n  // kmflow-ignore unknown-tool\n  step a uses nope\n  step b uses nope2\n}\n';
        expect(await found(text, ['unknown-tool'])).toEqual(['unknown-tool@4:15']);
    });
    it('does not silence other codes', async () => {
        const text = 'workflow w {\n  // kmflow-ignore cycle\n  step a uses nope\n}\n';
        expect(await found(text, ['unknown-tool'])).toEqual(['unknown-tool@3:15']);
    });
});

describe('no-compensation', () => {
    it('warns on a destructive tool without compensate when the workflow recovers', async () => {
        const text = 'workflow w {\n  errors recovery\n  step a uses file.delete { with { path: "x" } }\n}\n';
        expect(await found(text, ['no-compensation'])).toEqual(['no-compensation@3:15']);
        expect(await found(text.replace('recovery', 'resilient'), ['no-compensation'])).toEqual([]);
        const undo = text.replace('with { path: "x" } }', 'with { path: "x" }\n    compensate uses log { with { message: "undo" } }\n  }');
        expect(await found(undo, ['no-compensation'])).toEqual([]);
    });
});

describe('tool-status', () => {
    it('warns that a spec tool cannot run and that an alias is deprecated', async () => {
        const text = 'import "km"\nserver km { command "python" }\nworkflow w {\n' +
            '  step a uses km_macro_testing_framework { with { operation: "run", macro_identifier: "m" } }\n' +
            '  step b uses km_notification_status\n  step c uses km_list_macros\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'tool-status');
        expect(diags.map((d) => `${d.severity}@${d.line}:${d.column}`)).toEqual(['warning@4:15', 'warning@5:15']);
        expect(diags[1].message).toBe("'km_notification_status' is deprecated; use 'km_notifications'");
    });
});

describe('repeated-option', () => {
    it('warns on every earlier copy of an option given twice, naming the one that counts', async () => {
        const text = 'workflow w {\n  timeout 1m\n  step a uses delay {\n    with { ms: 1 }\n    timeout 5s\n    parallel_group timeout\n' +
            '    timeout 30s\n  }\n  timeout 2m\n}\n';
        const diags = (await check(text)).filter((d) => d.code === 'repeated-option');
        expect(codesAt(diags)).toEqual(['repeated-option@2:3', 'repeated-option@5:5']);
        expect(diags.find((d) => d.line === 5)!.message).toBe("'timeout' is given 2 times in step 'a'; only the last one (line 7) counts");
        expect(await found(text.replace('    timeout 5s\n', '').replace('  timeout 1m\n', ''), ['repeated-option'])).toEqual([]);
    });
});

describe('unreachable-handler', () => {
    it('warns where a handler also waits for the success of the step it handles', async () => {
        const text = 'workflow w {\n  step risky uses assert { with { condition: false } }\n' +
            '  step h uses log { when not risky.ok with { message: "${risky.output}" } }\n}\n';
        expect(await found(text, ['unreachable-handler'])).toEqual(['unreachable-handler@3:26']);
        expect(await found(text.replace('risky.output', 'risky.error.message'), ['unreachable-handler'])).toEqual([]);
        const after = 'workflow w {\n  step risky uses assert { with { condition: false } }\n' +
            '  step h uses log { after risky when not risky.ok with { message: "x" } }\n}\n';
        expect(await found(after, ['unreachable-handler'])).toEqual(['unreachable-handler@3:38']);
        expect(await found(after.replace('after risky', 'after risky always'), ['unreachable-handler', 'syntax'])).toEqual([]);
    });
});

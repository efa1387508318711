/**
 * What a caller of `km_ecosystem_orchestrator` reads when something is wrong (issue
 * 12.9): proper messages for paths, syntax errors and ambiguous definitions, never the
 * internals (Langium's service registry, "Root node", the CLI's flags, a stack); a run
 * that did not succeed is `isError` with its report; every input bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { LIMITS } from '../../src/mcp/input-limits.js';
import type { OperationContext } from '../../src/mcp/operations.js';
import { answerCall, INTERNAL_ERROR } from '../../src/mcp/tool-answer.js';
import { errorLines, runAnswer, startOrchestrator, type OrchestratorClient } from './orchestrator-client.js';

let mcp: OrchestratorClient;

const NOISE = /service registry|Root node|An error occurred during validation|--workflow|\n\s+at /;

beforeAll(async () => {
    mcp = await startOrchestrator({
        'two.kmflow': 'workflow a {\n    step s uses log { with { message: "a" } }\n}\nworkflow b {\n    step s uses log { with { message: "b" } }\n}\n',
        'script.mjs': 'console.log(1)\n',
    });
});

afterAll(async () => {
    await mcp?.close();
});

async function refusal(args: Record<string, unknown>): Promise<string> {
    const text = errorLines(await mcp.call(args)).join('\n');
    expect(text).not.toMatch(NOISE);
    return text;
}

describe('km_ecosystem_orchestrator answers in its own words', () => {
    it('{file: "../../etc/passwd"}: outside the root', async () => {
        expect(await refusal({ operation: 'orchestrate', workflow_definition: { file: '../../etc/passwd' } }))
            .toBe("workflow_definition.file: '../../etc/passwd' is outside the workspace root: refused (paths stay inside the server's root)");
    });

    it('a .mjs file: not a .kmflow file', async () => {
        expect(await refusal({ operation: 'analyze', workflow_definition: { file: 'script.mjs' } }))
            .toBe("workflow_definition.file: 'script.mjs' is not a .kmflow file: refused");
    });

    it('a missing file: no such file', async () => {
        expect(await refusal({ operation: 'plan', workflow_definition: { file: 'missing.kmflow' } }))
            .toBe("workflow_definition.file: 'missing.kmflow': no such file");
    });

    it('a syntax error: the syntax error, without a check\'s crash', async () => {
        const text = await refusal({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    step s uses log { with { message: \n' });
        expect(text.split('\n')[0]).toMatch(/^workflow_definition:2:\d+ error syntax /);
    });

    it('two workflows in a file: choose one with workflow_definition.workflow', async () => {
        expect(await refusal({ operation: 'orchestrate', workflow_definition: { file: 'two.kmflow' } }))
            .toBe('two.kmflow: the definition has 2 workflows (a, b); choose one with workflow_definition.workflow');
        const inline = await refusal({ operation: 'plan', workflow_definition: 'workflow a {\n    step s uses log { with { message: "a" } }\n}\nworkflow b {\n    step s uses log { with { message: "b" } }\n}\n' });
        expect(inline).toMatch(/2 workflows \(a, b\); give one workflow, or use operation coordinate/);
    });

    it('a failed run answers isError with its report', async () => {
        const result = await mcp.call({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    cache none\n    step r uses file.read { with { path: "nowhere.txt" } }\n}\n' });
        expect(result.isError).toBe(true);
        const report = runAnswer<RunReport>(result);
        expect(report.status).toBe('failed');
        expect(report.steps[0]!.error!.code).toBeTruthy();
    });

    it('coordinate: isError when one of the runs did not succeed', async () => {
        const result = await mcp.call({
            operation: 'coordinate',
            workflow_definition: ['workflow ok {\n    step s uses log { with { message: "fine" } }\n}\n', 'workflow ko {\n    cache none\n    step r uses file.read { with { path: "nowhere.txt" } }\n}\n'],
        });
        const answer = runAnswer<{ reports: RunReport[] }>(result);
        expect(answer.reports.map((r) => r.status)).toEqual(['succeeded', 'failed']);
    });
});

describe('km_ecosystem_orchestrator bounds its inputs', () => {
    const step = 'workflow w {\n    step s uses log { with { message: "hi" } }\n}\n';

    it('definition text of more than 1 MB', async () => {
        const big = `${step}// ${'x'.repeat(LIMITS.definitionChars)}\n`;
        expect(await refusal({ operation: 'analyze', workflow_definition: big })).toMatch(/^workflow_definition: too large \(\d+ characters; the limit is 1000000\)$/);
    });

    it('more definitions than the limit', async () => {
        expect(await refusal({ operation: 'coordinate', workflow_definition: Array(LIMITS.definitions + 1).fill(step) }))
            .toBe(`workflow_definition: ${LIMITS.definitions + 1} definitions; the limit is ${LIMITS.definitions}`);
    });

    it('a dictionary nested too deeply, or with too large an array', async () => {
        let deep: Record<string, unknown> = { leaf: true };
        for (let i = 0; i < 100; i++) {
            deep = { deeper: deep };
        }
        expect(await refusal({ operation: 'plan', workflow_definition: { workflow_id: 'w', steps: [], extra: deep } }))
            .toBe(`workflow_definition: nested too deeply (more than ${LIMITS.jsonDepth} levels of objects and arrays)`);
        const steps = Array.from({ length: LIMITS.arrayItems + 1 }, (_, i) => ({ step_id: `s${i}`, tool_id: 'log', parameters: { message: 'x' } }));
        expect(await refusal({ operation: 'plan', workflow_definition: { workflow_id: 'w', steps } }))
            .toBe(`workflow_definition: an array has ${LIMITS.arrayItems + 1} items; the limit is ${LIMITS.arrayItems}`);
    });

    it('more steps than the limit', async () => {
        const many = `workflow w {\n${Array.from({ length: LIMITS.steps + 1 }, (_, i) => `    step s${i} uses log { with { message: "x" } }\n`).join('')}}\n`;
        expect(await refusal({ operation: 'analyze', workflow_definition: many })).toBe(`workflow 'w': ${LIMITS.steps + 1} steps; the limit is ${LIMITS.steps}`);
    });

    it('a timeout over the limit, as the argument or in a caller\'s workflow', async () => {
        expect(await refusal({ operation: 'orchestrate', workflow_definition: step, timeout: '2h' })).toBe('timeout: 7200 s is more than the limit of 3600 s');
        expect(await refusal({ operation: 'orchestrate', workflow_definition: step, timeout: 99999 })).toBe('timeout: 99999 s is more than the limit of 3600 s');
        expect(await refusal({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    timeout 2h\n    step s uses log { with { message: "hi" } }\n}\n' }))
            .toBe("workflow 'w': timeout 7200 s is more than the limit of 3600 s");
    });
});

describe('an unexpected exception', () => {
    it('answers "internal error; see the server\'s log", the detail in the log only', async () => {
        const logged: string[] = [];
        // A context that throws when the operation reads it, as an engine bug would.
        const ctx = { rootServers: new Map(), log: (m: string) => logged.push(m) } as unknown as OperationContext;
        Object.defineProperty(ctx, 'grants', { get: () => { throw new Error('secret detail /home/operator/.ssh'); } });
        const result = await answerCall({ operation: 'monitor' }, ctx);
        expect(result.isError).toBe(true);
        expect((result.content[0] as { text: string }).text).toBe(`monitor failed: ${INTERNAL_ERROR}`);
        expect(JSON.stringify(result)).not.toContain('secret detail');
        expect(logged.join('\n')).toMatch(/monitor: internal error: Error: secret detail/);
    });
});

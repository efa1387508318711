/** `kmflow run` as a user meets it: reports, exit codes, typed inputs, bad input, Ctrl-C. */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KMFLOW, runCli } from '../helpers/cli.js';

let dir: string;

const inputs = `workflow typed {
    input n: number = 1
    input flag: boolean = false
    input names: list = ["a"]
    input label: string
    step show uses log { with { message: "\${input.label}:\${input.n * 2}:\${input.flag}" } }
    step each_name uses template { each x in input.names with { template: "<{{x}}>", values: { x: x } } }
}
`;
const failing = `workflow failing {
    errors resilient
    step ok uses log { with { message: "fine" } }
    step bad uses assert { with { condition: false, message: "nope" } }
    step after_bad uses log { with { message: bad.output } }
}
`;
const slow = `workflow slow {
    step first uses log { with { message: "started" } }
    step wait uses delay { with { ms: 60000 } after first }
    step never uses log { with { message: "never" } after wait }
}
`;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-run-'));
    fs.writeFileSync(path.join(dir, 'typed.kmflow'), inputs);
    fs.writeFileSync(path.join(dir, 'failing.kmflow'), failing);
    fs.writeFileSync(path.join(dir, 'slow.kmflow'), slow);
    fs.writeFileSync(path.join(dir, 'two.kmflow'), `${failing}\nworkflow other { step a uses log { with { message: "x" } } }\n`);
    fs.writeFileSync(path.join(dir, 'invalid.kmflow'), 'workflow w { step a uses nope }\n');
    fs.writeFileSync(path.join(dir, 'secret.kmflow'),
        'workflow s { step call uses log { with { message: "Bearer ${secret.KMFLOW_TEST_UNSET_TOKEN}" } } }\n');
});

describe('kmflow run', () => {
    it('converts --input to the declared types and prints the report as JSON', async () => {
        const r = await runCli(['run', 'typed.kmflow', '--json', '--input', 'label=hi', '--input', 'n=21', '--input', 'flag=true',
            '--input', 'names=["p","q"]'], { cwd: dir });
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout);
        expect(Object.keys(report)).toEqual(expect.arrayContaining(['runId', 'workflow', 'status', 'startedAt', 'endedAt', 'durationMs',
            'criticalPathMs', 'steps', 'metrics', 'bottlenecks']));
        expect(report.status).toBe('succeeded');
        expect(report.steps[0]).toMatchObject({ id: 'show', tool: 'log', status: 'succeeded', attempts: 1, cached: false, output: { message: 'hi:42:true' } });
        expect(report.steps[1]).toMatchObject({ id: 'each_name', items: 2, output: ['<p>', '<q>'] });
        expect(Date.parse(report.startedAt)).not.toBeNaN();
        expect(report.metrics.tools.log.calls).toBe(1);
    });

    it('exits 1 when the run fails, with the failure in the report', async () => {
        const r = await runCli(['run', 'failing.kmflow', '--json'], { cwd: dir });
        expect(r.code).toBe(1);
        const report = JSON.parse(r.stdout);
        expect(report.status).toBe('partial');
        expect(report.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'failed', 'skipped']);
        expect(report.steps[1].error).toMatchObject({ code: 'assertion', message: expect.stringContaining('nope') });
    });

    for (const [args, message] of [
        [['typed.kmflow'], "workflow 'typed' needs input 'label' (string): pass --input label=..."],
        [['typed.kmflow', '--input', 'label=x', '--input', 'n=many'], "input 'n' is a number, not 'many'"],
        [['typed.kmflow', '--input', 'nope=1'], "unknown input 'nope'"],
        [['two.kmflow'], 'choose one with --workflow'],
        [['two.kmflow', '--workflow', 'missing'], "no workflow 'missing'"],
        [['invalid.kmflow'], "invalid.kmflow:1:26 error unknown-tool unknown tool 'nope'"],
        [['absent.kmflow'], 'absent.kmflow: no such file'],
        [['secret.kmflow'], "step 'call' reads secret.KMFLOW_TEST_UNSET_TOKEN, which is not set: set the environment variable KMFLOW_TEST_UNSET_TOKEN"],
    ] as Array<[string[], string]>) {
        it(`exits 2 with one clear line: ${message}`, async () => {
            const r = await runCli(['run', ...args], { cwd: dir });
            expect(r.code).toBe(2);
            expect(r.stderr).toContain(message);
            expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        });
    }

    it('cancels on SIGINT: the running step stops, the report is still printed', async () => {
        const child = spawn(process.execPath, [KMFLOW, 'run', 'slow.kmflow', '--json'], { cwd: dir });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        const started = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            if (stderr.includes('wait (delay)')) {
                resolve();
            }
        }));
        await started;
        const t0 = Date.now();
        child.kill('SIGINT');
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(Date.now() - t0).toBeLessThan(30_000);
        expect(code).toBe(1);
        const report = JSON.parse(stdout);
        expect(report.status).toBe('cancelled');
        expect(report.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'cancelled', 'skipped']);
    });
});

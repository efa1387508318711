/**
 * Recording a run against the real server-everything, then replaying it with the server
 * absent (its path points nowhere): the same report, built-ins run in a copy of the
 * workspace; the nth identical call gets the nth answer; changed arguments fail the step
 * with a diff (`replay-divergence`), unrecorded calls fail naming them (`replay-missing`).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCassette, parseCassette, type Cassette } from '../../../src/engine/state/recordings/index.js';
import type { RunReport } from '../../../src/shared/run-report.js';
import { everythingServer } from '../../helpers/mcp-servers.js';
import { outcome, runFlow, stepError, withServersAbsent, workspace } from './helpers.js';

const FLOW = `${everythingServer()}
workflow rr {
    mode sequential
    errors resilient
    step greet uses ev.echo { with { message: "hello" } }
    step sum uses ev."get-sum" { with { b: 3, a: 2 } }
    step weather uses ev."get-structured-content" { with { location: "Chicago" } }
    step again uses ev.echo { with { message: "hello" } after greet }
    step note uses template {
        with { template: "{{g}} | {{s}} | {{t}} | {{a}}", values: { g: greet.output, s: sum.output, t: weather.output.temperature, a: again.output } }
    }
    step save uses file.write { with { path: "out/note.txt", content: note.output } }
}
`;

let ws: Awaited<ReturnType<typeof workspace>>;
let file: string;
let recorded: RunReport;
let cassetteText: string;

/** FLOW with the server absent and `edit` applied, replayed from the cassette. */
function replay(edit: (text: string) => string = (t) => t, cassette: string = file): Promise<RunReport> {
    return runFlow(ws.root, edit(withServersAbsent(FLOW)), { replay: cassette, durable: true });
}

async function journals(): Promise<number> {
    return existsSync(path.join(ws.root, '.kmflow/runs')) ? (await readdir(path.join(ws.root, '.kmflow/runs'))).length : 0;
}

beforeAll(async () => {
    ws = await workspace();
    file = path.join(ws.root, '.kmflow/recordings/rr.json');
    recorded = await runFlow(ws.root, FLOW, { record: file, durable: true });
    cassetteText = await readFile(file, 'utf8');
});

afterAll(async () => {
    await ws.remove();
});

describe('recording', () => {
    it('runs for real and writes every call, grouped by server and tool in call order', () => {
        expect(recorded.status).toBe('succeeded');
        expect(recorded.steps.find((s) => s.id === 'note')!.output).toBe('Echo: hello | The sum of 2 and 3 is 5. | 36 | Echo: hello');
        const cassette = JSON.parse(cassetteText) as Cassette;
        expect(cassette.version).toBe(1);
        expect(cassette.workflows).toEqual(['rr']);
        expect(cassette.servers.ev!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-structured-content']));
        expect(cassette.interactions.map((i) => [i.server, i.tool, i.step, i.arguments])).toEqual([
            ['ev', 'echo', 'greet', { message: 'hello' }],
            ['ev', 'echo', 'again', { message: 'hello' }],
            ['ev', 'get-structured-content', 'weather', { location: 'Chicago' }],
            ['ev', 'get-sum', 'sum', { a: 2, b: 3 }],
        ]);
        const sum = cassette.interactions[3]!;
        expect(sum.result).toEqual({ content: [{ text: 'The sum of 2 and 3 is 5.', type: 'text' }] });
        expect(sum.annotations).toMatchObject({ readOnlyHint: true });
        expect(typeof sum.durationMs).toBe('number');
        expect(sum.attempts).toBeUndefined();
    });

    it('is plain, diffable JSON: 2-space indent, stable key order, version first', () => {
        expect(cassetteText.startsWith('{\n  "version": 1,\n  "workflows": [')).toBe(true);
        expect(cassetteText.endsWith('}\n')).toBe(true);
        expect(formatCassette(parseCassette(cassetteText, file))).toBe(cassetteText);
        expect(cassetteText).toContain('"arguments": {\n        "a": 2,\n        "b": 3\n      }');
    });
});

describe('replay', () => {
    it('needs the server: without the cassette, the same text cannot reach it', async () => {
        // The server cannot start, so it lists no tools and its steps' tools are unknown.
        await expect(runFlow(ws.root, withServersAbsent(FLOW))).rejects.toThrow("step 'greet' uses unknown tool 'ev.echo'");
    });

    it('gives the same report with no server, built-ins writing a copy of the workspace, nothing journaled', async () => {
        await rm(path.join(ws.root, 'out'), { recursive: true, force: true });
        const before = await journals();
        const replayed = await replay();
        expect(replayed.status).toBe('succeeded');
        expect(outcome(replayed)).toEqual(outcome(recorded));
        expect(existsSync(path.join(ws.root, 'out/note.txt'))).toBe(false);
        expect(await journals()).toBe(before);
        expect(await readFile(file, 'utf8')).toBe(cassetteText);
    });

    it('gives the nth identical call the nth recorded answer', async () => {
        const cassette = JSON.parse(cassetteText) as Cassette;
        cassette.interactions[1]!.result = { content: [{ type: 'text', text: 'Echo: the second answer' }] };
        const edited = path.join(ws.root, 'edited.json');
        await writeFile(edited, formatCassette(cassette));
        const replayed = await replay(undefined, edited);
        const output = (id: string): unknown => replayed.steps.find((s) => s.id === id)!.output;
        expect(output('greet')).toBe('Echo: hello');
        expect(output('again')).toBe('Echo: the second answer');
    });

    it('fails a call whose arguments differ from the recording, with the diff', async () => {
        const replayed = await replay((t) => t.replace('step greet uses ev.echo { with { message: "hello" } }', 'step greet uses ev.echo { with { message: "hullo" } }'));
        expect(replayed.status).toBe('partial');
        const error = stepError(replayed, 'greet');
        expect(error.code).toBe('replay-divergence');
        expect(error.message).toContain(`ev.echo: the arguments differ from the recorded call of step 'greet' in ${file}`);
        expect(error.message).toContain('- message: "hello"\n  + message: "hullo"');
        const sum = await replay((t) => t.replace('{ b: 3, a: 2 }', '{ b: 4, a: 2 }'));
        expect(stepError(sum, 'sum').message).toMatch(/- b: 3\n {2}\+ b: 4$/);
    });

    it('fails an unrecorded call naming it: another tool, or one identical call too many', async () => {
        const replayed = await replay((t) => t.replace('    step save', [
            '    step image uses ev."get-tiny-image" { with {} }',
            '    step third uses ev.echo { with { message: "hello" } after again }',
            '    step save',
        ].join('\n')));
        const image = stepError(replayed, 'image');
        expect(image.code).toBe('replay-missing');
        expect(image.message).toBe(`ev.get-tiny-image: unrecorded call with arguments {}: ${file} holds no call of tool 'get-tiny-image' on server 'ev'; record the run again`);
        const third = stepError(replayed, 'third');
        expect(third.code).toBe('replay-missing');
        expect(third.message).toBe(`ev.echo: call 3 with arguments {"message":"hello"} was not recorded (${file} holds 2)`);
        expect(replayed.steps.find((s) => s.id === 'again')!.status).toBe('succeeded');
    });
});

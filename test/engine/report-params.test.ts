/**
 * The report says what each step was called with: its parameters as evaluated (what
 * `${...}` became), secrets masked in them and on disk, long values shortened, none
 * for a fan-out (each item has its own) or a step that never called its tool.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { lit, ref, root, setup, step, tool, workflow } from './helpers.js';

const SECRET = 'tok-51d2c0ffee';
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-params-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const byId = (report: RunReport, id: string) => report.steps.find((s) => s.id === id)!;

describe('step parameters in the report', () => {
    it('are the evaluated values, secrets masked, long strings cut, absent where nothing was called', async () => {
        const s = setup([tool('t', { readOnly: true })], { '*': (p) => ({ echoed: p.v ?? null }) });
        const wf = workflow([
            step('first', 't', { v: lit('hello') }),
            step('second', 't', { v: ref('first', 'output', 'echoed'), n: lit(3) }),
            step('login', 't', { v: root('secret', 'TOKEN') }),
            step('long', 't', { v: lit('x'.repeat(5000)) }),
            step('bare', 't'),
            step('never', 't', { v: lit('no') }, { when: lit(false) }),
        ]);
        const report = await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, clock: new FakeClock(0), root: dir, journalDir: dir, runId: 'p1',
            secrets: { TOKEN: SECRET },
        });
        expect(report.status).toBe('succeeded');
        expect(byId(report, 'first').params).toEqual({ v: 'hello' });
        expect(byId(report, 'second').params).toEqual({ v: 'hello', n: 3 });
        expect(byId(report, 'login').params).toEqual({ v: '***' });
        expect(String(byId(report, 'long').params?.v)).toMatch(/^x{2000}… \(5000 characters\)$/);
        expect(byId(report, 'bare').params).toBeUndefined();
        expect(byId(report, 'never').params).toBeUndefined();
        const onDisk = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
        expect(onDisk).not.toContain(SECRET);
    });
});

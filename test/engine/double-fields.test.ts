/**
 * Step states and tasks keep one shape when a run stores clock readings and priorities
 * in them (double-fields.ts). Checked in a child process with V8's natives syntax: the
 * shape (map) of an instance is compared before and after such stores.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src/engine/run');

function shapesKept(prime: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-double-fields-'));
    const script = path.join(dir, 'shapes.ts');
    fs.writeFileSync(script, `
        import { doubleFields } from ${JSON.stringify(path.join(src, 'double-fields.ts'))};
        import { StepState, Task } from ${JSON.stringify(path.join(src, 'run-state.ts'))};
        const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
        ${prime ? 'doubleFields();' : ''}
        const step = () => new StepState(0, { id: 's' } as never, {} as never, undefined as never, undefined as never, undefined as never);
        const [a, b] = [step(), step()];
        a.startedAt = 1.25; a.endedAt = 1.25;
        const [t, u] = [new Task({} as never, a, -1, undefined, 0), new Task({} as never, b, -1, undefined, 0)];
        t.startedAt = 2.5; t.endedAt = 2.5;
        console.log(JSON.stringify({ step: sameMap(a, b), task: sameMap(t, u) }));
    `);
    try {
        const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        return r.stdout.trim();
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe('double fields', () => {
    it('keeps the shape of step states and tasks when fractions are stored in their time and priority fields', () => {
        expect(shapesKept(true)).toBe('{"step":true,"task":true}');
    });

    it('is needed: without it those stores change the shape', () => {
        expect(shapesKept(false)).toBe('{"step":false,"task":false}');
    });
});

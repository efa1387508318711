/**
 * HistoryCache over a real history file: `peek` never waits (nothing before the first
 * read), looks at the file again only when due, reloads only when it changed and then
 * says so; `get` always looks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../src/engine/run/scheduler.js';
import { HistoryCache, loadHistory, recordRun, type History } from '../../../src/engine/state/history/index.js';
import { ToolRegistry } from '../../../src/engine/tools/registry.js';
import { lit, step, workflow } from '../helpers.js';

const wf = workflow([step('pause', 'delay', { ms: lit(3) })], {}, { id: 'cached' });
let dir: string;

async function recordOneRun(): Promise<void> {
    await recordRun(dir, wf, await runWorkflow(wf, { registry: new ToolRegistry(), root: dir }));
}

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-history-cache-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('HistoryCache', () => {
    it('answers at once, reloads a changed file when due, and tells', async () => {
        let now = 0;
        const changes: History[] = [];
        const cache = new HistoryCache({ intervalMs: 1000, now: () => now, onChange: (_root, h) => changes.push(h) });
        expect(cache.peek(dir)).toBeUndefined();
        const empty = await cache.get(dir);
        expect(empty.runs).toEqual([]);
        expect(changes).toEqual([]); // no file: nothing a reader showed changes

        await recordOneRun();
        expect(cache.peek(dir)).toBe(empty); // not due yet: not even looked at
        now += 1000;
        expect(cache.peek(dir)).toBe(empty); // due: looks in the background
        await expect.poll(() => changes.length).toBe(1);
        const first = cache.peek(dir)!;
        expect(first).toBe(changes[0]);
        expect(first.runs).toHaveLength(1);
        expect(first).toEqual(await loadHistory(dir));

        now += 1000;
        expect(await cache.get(dir)).toBe(first); // unchanged file: the same object, no reload
        expect(changes).toHaveLength(1);

        await recordOneRun();
        const second = await cache.get(dir); // get always looks
        expect(second.runs).toHaveLength(2);
        expect(changes).toEqual([first, second]);
    });
});

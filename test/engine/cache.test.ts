/** `cache basic|intelligent|predictive`, the disk store's LRU cap, and predictCacheHit. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskStore } from '../../src/engine/state/cache/disk-store.js';
import { predictCacheHit } from '../../src/engine/state/cache/predict.js';
import { planWorkflow } from '../../src/engine/insight/plan.js';
import { canonicalJson } from '../../src/engine/state/cache/canonical.js';
import { FakeClock } from '../../src/engine/run/clock.js';
import type { CacheStrategy, StepSpec } from '../../src/engine/model/model.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { lit, ref, root, setup, step, tool, workflow } from './helpers.js';

const t0 = Date.UTC(2025, 0, 1);
let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tools() {
    return setup(
        [
            tool('get', { readOnly: true }),
            tool('put'),
            tool('rm', { destructive: true, cacheable: true }),
            tool('idem', { idempotent: true }),
        ],
        { '*': (p) => ({ echo: p }) },
    );
}

async function run(steps: StepSpec[], cache: CacheStrategy, extra: { env?: Record<string, string> } = {}) {
    const s = tools();
    const report = await runWorkflow(workflow(steps, { cache }), { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), root: dir, env: extra.env ?? {} });
    return { report, calls: s.connector.calls.length, s };
}

const byId = (report: Awaited<ReturnType<typeof runWorkflow>>, id: string) => report.steps.find((s) => s.id === id)!;

describe('cache basic', () => {
    it('makes identical calls once per run, key order aside; others reuse the result', async () => {
        const { report, calls } = await run([
            step('a', 'get', { x: lit(1), y: lit(2) }),
            step('b', 'get', { y: lit(2), x: lit(1) }),
            step('c', 'get', { x: lit(1), y: lit(3) }),
        ], 'basic');
        expect(calls).toBe(2);
        const cached = report.steps.filter((s) => s.cached).map((s) => s.id);
        expect(cached).toHaveLength(1);
        expect(byId(report, 'a').output).toEqual(byId(report, 'b').output);
        expect(report.steps.find((s) => s.cached)!.attempts).toBe(0);
        expect(fs.existsSync(path.join(dir, '.kmflow', 'cache'))).toBe(false);
    });

    it('never dedupes tools that are not cacheable, destructive ones, or steps with cache off', async () => {
        const { calls } = await run([
            step('a', 'put', { x: lit(1) }),
            step('b', 'put', { x: lit(1) }),
            step('c', 'rm', { x: lit(1) }),
            step('d', 'rm', { x: lit(1) }, { cache: true }),
            step('e', 'get', { x: lit(1) }, { cache: false }),
            step('f', 'get', { x: lit(1) }, { cache: false }),
        ], 'basic');
        expect(calls).toBe(6);
    });

    it('dedupes a `cache on` step of an otherwise uncacheable tool, and idempotent tools', async () => {
        const { calls } = await run([
            step('a', 'put', { x: lit(1) }, { cache: true }),
            step('b', 'put', { x: lit(1) }, { cache: true }),
            step('c', 'idem', { x: lit(1) }),
            step('d', 'idem', { x: lit(1) }),
        ], 'basic');
        expect(calls).toBe(2);
    });

    it('does nothing under cache none', async () => {
        const { calls } = await run([step('a', 'get', { x: lit(1) }), step('b', 'get', { x: lit(1) })], 'none');
        expect(calls).toBe(2);
    });
});

describe('cache intelligent', () => {
    it('persists results across runs under ROOT/.kmflow/cache', async () => {
        const steps = [step('a', 'get', { x: lit(1) }), step('b', 'put', { v: ref('a', 'output') })];
        const first = await run(steps, 'intelligent');
        expect(first.calls).toBe(2);
        // A small result lives in the index itself.
        const index = JSON.parse(fs.readFileSync(path.join(dir, '.kmflow', 'cache', 'index.json'), 'utf8')) as { entries: Record<string, { inline?: unknown }> };
        expect(Object.values(index.entries).map((e) => e.inline)).toEqual([{ echo: { x: 1 } }]);
        const second = await run(steps, 'intelligent');
        expect(second.calls).toBe(1); // only the non-cacheable `put`
        expect(byId(second.report, 'a')).toMatchObject({ cached: true, attempts: 0, output: { echo: { x: 1 } } });
        expect(byId(second.report, 'b').cached).toBe(false);
    });

    it('keeps secrets out: parameters holding a secret are not cached, outputs holding one not persisted', async () => {
        const env = { TOKEN: 's3cr3t-value' };
        const steps = [step('a', 'get', { auth: root('secret', 'TOKEN') }), step('b', 'get', { x: lit('plain') })];
        await run(steps, 'intelligent', { env });
        const second = await run(steps, 'intelligent', { env });
        expect(second.calls).toBe(1);
        expect(byId(second.report, 'a').cached).toBe(false);
        const cacheDir = path.join(dir, '.kmflow', 'cache');
        const files = fs.readdirSync(cacheDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) {
            expect(fs.readFileSync(path.join(cacheDir, f), 'utf8')).not.toContain('s3cr3t-value');
        }
    });

    it('a changed input schema is a different tool (new key)', async () => {
        const steps = [step('a', 'get', { x: lit(1) })];
        await run(steps, 'intelligent');
        const s = setup([tool('get', { readOnly: true, inputSchema: { type: 'object' } })], { '*': () => 1 });
        await runWorkflow(workflow(steps, { cache: 'intelligent' }), { registry: s.registry, connectors: s.connectors, root: dir, env: {} });
        expect(s.connector.calls).toHaveLength(1);
    });

    it('reports cached only when every item of a fan-out was a hit', async () => {
        const items = (xs: number[]) => ({ kind: 'list' as const, items: xs.map(lit) });
        const each = (xs: number[]) => [step('a', 'get', { x: root('item', 'i') }, { each: { name: 'i', items: items(xs) } })];
        await run(each([1, 2]), 'intelligent');
        const again = await run(each([1, 2]), 'intelligent');
        expect(again.calls).toBe(0);
        expect(again.report.steps[0]!.cached).toBe(true);
        const more = await run(each([1, 2, 3]), 'intelligent');
        expect(more.calls).toBe(1);
        expect(more.report.steps[0]!.cached).toBe(false);
    });
});

describe('DiskStore', () => {
    it('evicts least recently used entries past its size cap', () => {
        let now = 1;
        const store = new DiskStore(path.join(dir, 'c'), 5000, () => (now += 60_000));
        const big = 'x'.repeat(1500); // too big to live in the index: one file each
        const key = (n: number) => n.toString(16).padStart(64, '0');
        store.put(key(1), 't', big);
        store.put(key(2), 't', big);
        store.put(key(3), 't', big);
        expect(store.get(key(1))).toBeDefined(); // 1 is now the most recent
        store.put(key(4), 't', big); // over 5000 bytes: 2 goes (least recently used)
        expect(store.has(key(2))).toBe(false);
        expect(store.has(key(1))).toBe(true);
        expect(store.has(key(3))).toBe(true);
        expect(store.bytes).toBeLessThanOrEqual(5000);
        expect(fs.readdirSync(path.join(dir, 'c', 'entries'))).toHaveLength(3);
        store.flush();
        const index = JSON.parse(fs.readFileSync(path.join(dir, 'c', 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
        expect(Object.keys(index.entries).sort()).toEqual([key(1), key(3), key(4)].sort());
    });

    it('keeps small results in the index, counted against the cap and evicted alike', () => {
        let now = 1;
        const store = new DiskStore(path.join(dir, 'd'), 100, () => (now += 60_000));
        const key = (n: number) => n.toString(16).padStart(64, '0');
        for (let n = 1; n <= 5; n++) {
            store.put(key(n), 't', 'y'.repeat(28)); // 30 bytes of JSON each
        }
        expect(fs.existsSync(path.join(dir, 'd', 'entries'))).toBe(false);
        expect([1, 2, 3, 4, 5].map((n) => store.has(key(n)))).toEqual([false, false, true, true, true]);
        store.flush();
        const again = new DiskStore(path.join(dir, 'd'), 100);
        expect(again.get(key(5))).toEqual({ output: 'y'.repeat(28) });
    });

    it('canonical JSON sorts keys at every depth', () => {
        expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    });
});

describe('cache predictive', () => {
    it('starts cacheable read-only steps first when slots are scarce', async () => {
        const s = tools();
        const steps = [step('w1', 'put', { n: lit(1) }), step('w2', 'put', { n: lit(2) }), step('r', 'get', { n: lit(3) })];
        const wf = workflow(steps, { cache: 'predictive', maxParallel: 1 });
        await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, clock: new FakeClock(t0), root: dir, env: {} });
        expect(s.connector.started[0]).toBe('r');
    });
});

describe('predictCacheHit', () => {
    const registry = tools().registry;
    const wf = (cache: CacheStrategy, steps: StepSpec[]) => workflow(steps, { cache }, { inputs: [{ name: 'q', type: 'string', hasDefault: true, default: 'x' }] });

    it('says why a step would not hit, and when it would', async () => {
        const steps = [
            step('a', 'get', { q: root('input', 'q') }),
            step('b', 'put', {}),
            step('c', 'rm', {}),
            step('d', 'get', { v: ref('a', 'output') }),
            step('e', 'get', {}, { cache: false }),
        ];
        const predict = (cache: CacheStrategy, id: string) => predictCacheHit(wf(cache, steps), steps.find((s) => s.id === id)!, { registry, root: dir, env: {} });
        expect(predict('none', 'a')).toMatchObject({ hit: false, reason: expect.stringMatching(/cache none/) });
        expect(predict('intelligent', 'b')).toMatchObject({ hit: false, reason: expect.stringMatching(/not cacheable/) });
        expect(predict('intelligent', 'c')).toMatchObject({ hit: false, reason: expect.stringMatching(/destructive/) });
        expect(predict('intelligent', 'd')).toMatchObject({ hit: false, reason: expect.stringMatching(/depend on the outputs of 'a'/) });
        expect(predict('intelligent', 'e')).toMatchObject({ hit: false, reason: expect.stringMatching(/cache off/) });
        expect(predict('basic', 'a')).toMatchObject({ hit: false, reason: expect.stringMatching(/one run/) });
        expect(predict('intelligent', 'a')).toMatchObject({ hit: false, reason: expect.stringMatching(/not in the cache/) });
        const s = tools();
        await runWorkflow(wf('intelligent', steps), { registry: s.registry, connectors: s.connectors, root: dir, env: {} });
        expect(predict('intelligent', 'a')).toMatchObject({ hit: true, reason: expect.stringMatching(/read-only/) });
        // Another input value is another call.
        expect(predictCacheHit(wf('intelligent', steps), steps[0]!, { registry, root: dir, env: {}, inputs: { q: 'other' } }).hit).toBe(false);
    });

    it('planWorkflow reports it per step when given a root', async () => {
        const steps = [step('a', 'get', { q: lit(1) }), step('b', 'put', {})];
        const plan = await planWorkflow(wf('intelligent', steps), { registry, root: dir, env: {} });
        expect(plan.cache).toBe('intelligent');
        expect(plan.steps.map((s) => s.cache?.hit)).toEqual([false, false]);
        expect(plan.steps[1]!.cache!.reason).toMatch(/not cacheable/);
        const bare = await planWorkflow(wf('intelligent', steps), { registry });
        expect(bare.steps[0]!.cache).toBeUndefined();
    });

    it('params with a secret are never a hit', () => {
        const steps = [step('a', 'get', { t: root('secret', 'T') })];
        expect(predictCacheHit(wf('intelligent', steps), steps[0]!, { registry, root: dir, env: { T: 'v' } })).toMatchObject({ hit: false, reason: expect.stringMatching(/secret/) });
    });
});

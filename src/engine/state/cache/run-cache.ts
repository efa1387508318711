/**
 * A run's view of the cache: an in-memory memo (`cache basic`: identical calls in one
 * run are made once; concurrent ones wait for the first) over an optional DiskStore
 * (`cache intelligent|predictive`: results outlive the run).
 *
 * Keys: SHA-256 of the tool id, a hash of its implementation and input schema (a tool
 * whose schema changed is a different tool) and the canonical JSON of the parameters.
 * Secrets never enter the cache: a step computed from a secret (`taint.ts`) never
 * reaches it, parameters holding a secret's value in any form are not cached at all
 * (the key would be derived from the secret), and an output holding one is kept in
 * memory for the run but never written to disk.
 */
import type { ToolDescriptor } from '../../model/model.js';
import type { Redactor } from '../../security/redaction.js';
import { canonicalJson, sha256 } from './canonical.js';
import type { DiskStore } from './disk-store.js';

/** A reusable result. */
export interface CacheHit {
    output: unknown;
}

const versions = new WeakMap<ToolDescriptor, string>();

/** Hash of what makes two tools with one id different: implementation and input schema. */
export function toolVersion(tool: ToolDescriptor): string {
    let v = versions.get(tool);
    if (v === undefined) {
        v = sha256(canonicalJson({ via: tool.via ?? null, schema: tool.inputSchema ?? null }));
        versions.set(tool, v);
    }
    return v;
}

/** The cache key of a call. */
export function cacheKey(tool: ToolDescriptor, params: unknown): string {
    return sha256(`${tool.id}\n${toolVersion(tool)}\n${canonicalJson(params)}`);
}

export class RunCache {
    private readonly memo = new Map<string, CacheHit | Promise<CacheHit | undefined>>();
    private readonly waiting = new Map<string, (hit: CacheHit | undefined) => void>();

    constructor(
        private readonly redactor: Redactor,
        readonly disk: DiskStore | undefined,
    ) {}

    /** The key of a call, or undefined when its parameters hold a secret value. */
    keyFor(tool: ToolDescriptor, params: unknown): string | undefined {
        if (this.redactor.holds(params)) {
            return undefined;
        }
        return cacheKey(tool, params);
    }

    /** A stored result, a pending one (an identical call is running), or undefined. */
    lookup(key: string): CacheHit | Promise<CacheHit | undefined> | undefined {
        const known = this.memo.get(key);
        if (known !== undefined) {
            return known;
        }
        const stored = this.disk?.get(key);
        if (stored) {
            this.memo.set(key, stored);
        }
        return stored;
    }

    /** The caller makes the call: identical calls wait for `settle`. */
    begin(key: string): void {
        this.memo.set(key, new Promise((resolve) => this.waiting.set(key, resolve)));
    }

    /** The call made after `begin` is over: a success is kept, a failure forgotten. */
    settle(key: string, tool: ToolDescriptor, ok: boolean, output: unknown): void {
        const resolve = this.waiting.get(key);
        this.waiting.delete(key);
        if (!ok) {
            this.memo.delete(key);
            resolve?.(undefined);
            return;
        }
        const hit: CacheHit = { output };
        this.memo.set(key, hit);
        resolve?.(hit);
        if (this.disk && !this.redactor.holds(output)) {
            try {
                this.disk.put(key, tool.id, output);
            } catch {
                // The cache is an optimisation: a full disk or an unserialisable output
                // must not fail the step.
            }
        }
    }

    /** Writes what the disk store needs to keep (its LRU index). */
    flush(): void {
        try {
            this.disk?.flush();
        } catch {
            // As above: never fail a run over its cache.
        }
    }
}

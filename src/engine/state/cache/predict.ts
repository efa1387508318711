/**
 * `predictCacheHit`: whether a step of a workflow would be answered from the
 * persistent cache if it ran now, and in words why not. For `kmflow plan`.
 */
import * as path from 'node:path';
import { forEachRef } from '../../model/expression-refs.js';
import { evaluate, referencedSteps, type EvalScope } from '../../model/expressions.js';
import type { StepSpec, WorkflowSpec } from '../../model/model.js';
import type { ToolRegistry } from '../../tools/registry.js';
import { lookupTool, resolveInputs, selectTool } from '../../run/run-setup.js';
import { DiskStore } from './disk-store.js';
import { cacheDecision } from './policy.js';
import { cacheKey } from './run-cache.js';

export interface CachePrediction {
    hit: boolean;
    reason: string;
}

export interface PredictOptions {
    registry: ToolRegistry;
    /** Workspace root; the cache is `ROOT/.kmflow/cache` unless `cacheDir` says. */
    root: string;
    inputs?: Readonly<Record<string, unknown>>;
    env?: Readonly<Record<string, string | undefined>>;
    cacheDir?: string;
}

/** Predicts a cache hit for `step` of `workflow` (see the module comment). */
export function predictCacheHit(workflow: WorkflowSpec, step: StepSpec, options: PredictOptions): CachePrediction {
    const settings = workflow.settings;
    const tool = step.tool !== undefined ? lookupTool(options.registry, step.tool) : selectTool(step.capability ?? '', options.registry, settings);
    if (!tool) {
        return { hit: false, reason: `no tool for step '${step.id}'` };
    }
    const decision = cacheDecision(step, tool, settings.cache);
    if (!decision.cacheable) {
        return { hit: false, reason: decision.reason };
    }
    if (settings.cache === 'basic') {
        return { hit: false, reason: 'cache basic only reuses identical calls within one run' };
    }
    const deps = referencedSteps(step.with, referencedSteps(step.each?.items));
    if (deps.size > 0) {
        return { hit: false, reason: `its parameters depend on the outputs of ${[...deps].map((d) => `'${d}'`).join(', ')}` };
    }
    if (readsSecret(workflow, step)) {
        return { hit: false, reason: 'its parameters hold a secret, which is never cached' };
    }
    let calls: unknown[];
    try {
        // No secret is read here: a step reading one returned above.
        const scope: EvalScope = { steps: new Map(), inputs: resolveInputs(workflow, options.inputs), env: options.env ?? process.env, secrets: {} };
        if (step.each) {
            const items = evaluate(step.each.items, scope);
            if (!Array.isArray(items)) {
                return { hit: false, reason: 'its each list is not a list' };
            }
            calls = items.map((value) => evaluate(step.with, { ...scope, items: { [step.each!.name]: value } }));
        } else {
            calls = [evaluate(step.with, scope)];
        }
    } catch (err) {
        return { hit: false, reason: `its parameters cannot be evaluated before the run: ${(err as Error).message}` };
    }
    const store = new DiskStore(options.cacheDir ?? path.join(options.root, '.kmflow', 'cache'));
    const missing = calls.filter((params) => !store.has(cacheKey(tool, params))).length;
    if (missing > 0) {
        return { hit: false, reason: calls.length > 1 ? `${missing} of ${calls.length} items are not in the cache` : 'not in the cache (never run with these parameters, or evicted)' };
    }
    return { hit: true, reason: `in the cache (${decision.reason})` };
}

/** Whether the step's parameters read `secret.NAME` or an input declared `secret` (`taint.ts`: never cached). */
function readsSecret(workflow: WorkflowSpec, step: StepSpec): boolean {
    const secretInputs = new Set(workflow.inputs.filter((i) => i.secret).map((i) => i.name));
    let found = false;
    const visit = (ref: Extract<StepSpec['with'], { kind: 'ref' }>): void => {
        found ||= ref.root === 'secret' || (ref.root === 'input' && secretInputs.has(ref.name));
    };
    forEachRef(step.with, visit);
    forEachRef(step.each?.items, visit);
    return found;
}

/**
 * Where a run's `env.NAME` and `secret.NAME` come from, and which values are secret.
 *
 * - `env.NAME` reads the caller's `env` when it gives one; otherwise the host
 *   variables its Trust grants (`trust.env`: all, none, or named ones).
 * - `secret.NAME` reads the caller's `secrets` first (VS Code's SecretStorage, a vault),
 *   then that same environment's variable `NAME`.
 * - Secret values are every value in `secrets`, every environment value read as
 *   `secret.NAME`, and the value of every input declared `secret`. Wherever a value came
 *   from, the run's sink masks it in everything it shows or persists.
 */
import { referencedSecrets } from '../model/expression-refs.js';
import type { InputSpec, StepSpec, WorkflowSpec } from '../model/model.js';
import type { RunOptions } from '../run/run-types.js';
import { grantedEnv, type Trust } from './trust.js';

type Values = Readonly<Record<string, string | undefined>>;

/** The variables `env.NAME` reads: the caller's `env`, else the host variables `trust` grants. */
export function envView(env: Values | undefined, trust: Trust | undefined): Values {
    return env ?? grantedEnv(trust);
}

/** `secret.NAME`: the caller's secret of that name, else the environment variable. */
export function lookupSecret(name: string, secrets: Values | undefined, env: Values): string | undefined {
    return own(secrets, name) ?? own(env, name);
}

function own(values: Values | undefined, name: string): string | undefined {
    return values !== undefined && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

/** Whether a step holds no expression: an empty `with`, no `when`, `each` or `compensate`. */
function readsNothing(step: StepSpec): boolean {
    return step.with.kind === 'object' && step.with.entries.length === 0 && !step.when && !step.each && !step.compensate;
}

/** Adds the names of the secrets one step reads (`secret.NAME`) to `into`. */
function stepSecretNames(step: StepSpec, into: Set<string>): Set<string> {
    if (readsNothing(step)) {
        return into; // nothing to read: the common case on big workflows
    }
    referencedSecrets(step.with, into);
    referencedSecrets(step.when, into);
    referencedSecrets(step.each?.items, into);
    referencedSecrets(step.compensate?.with, into);
    return into;
}

/** Names of the secrets a workflow's steps read (`secret.NAME`). */
export function workflowSecretNames(workflow: WorkflowSpec): Set<string> {
    const names = new Set<string>();
    // Indexed: runs over every step before each run, mostly before V8 optimizes it,
    // where `for...of` allocates per step.
    const steps = workflow.steps;
    for (let i = 0; i < steps.length; i++) {
        stepSecretNames(steps[i]!, names);
    }
    return names;
}

/** What `secret.NAME` reads in a run: the caller's secrets, plus the environment's for names the workflow reads. */
export function runSecrets(workflow: WorkflowSpec, secrets: Values | undefined, env: Values): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = { ...secrets };
    for (const name of workflowSecretNames(workflow)) {
        out[name] = lookupSecret(name, secrets, env);
    }
    return out;
}

/** Names of the inputs declared `secret`. */
export function secretInputNames(inputs: readonly InputSpec[]): Set<string> {
    return new Set(inputs.filter((i) => i.secret).map((i) => i.name));
}

/** Every secret value of a run: its secrets' and its secret inputs' (as text). */
export function secretValuesOf(secrets: Values, inputs: Readonly<Record<string, unknown>>, secretInputs: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const value of Object.values(secrets)) {
        if (typeof value === 'string' && value !== '') {
            out.push(value);
        }
    }
    for (const name of secretInputs) {
        const value = inputs[name];
        if (value !== undefined && value !== null && value !== '') {
            out.push(typeof value === 'string' ? value : JSON.stringify(value));
        }
    }
    return out;
}

/** The `env` and `secrets` scope of a run, from its options. */
export function scopeValues(workflow: WorkflowSpec, options: Pick<RunOptions, 'env' | 'secrets' | 'trust'>): { env: Values; secrets: Record<string, string | undefined> } {
    const env = envView(options.env, options.trust);
    return { env, secrets: runSecrets(workflow, options.secrets, env) };
}

/** The values of the named secrets that are set (`secrets` first, then `env`): a run's `secrets` for a server block's names. */
export function pickSecrets(names: Iterable<string>, secrets: Values | undefined, env: Values): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of names) {
        const value = lookupSecret(name, secrets, env);
        if (value !== undefined) {
            out[name] = value;
        }
    }
    return out;
}

/**
 * The line a front door shows when resuming: the secrets the steps read and the inputs
 * declared `secret` are never journaled, so they are given again (`how`: from where).
 */
export function resumeSecretNote(workflow: WorkflowSpec, how: { secrets: string; inputs: string }): string | undefined {
    const again = { secrets: [...workflowSecretNames(workflow)].sort(), inputs: [...secretInputNames(workflow.inputs)] };
    if (again.secrets.length === 0 && again.inputs.length === 0) {
        return undefined;
    }
    const parts: string[] = [];
    if (again.secrets.length > 0) {
        parts.push(`secret.${again.secrets.join(', secret.')} ${how.secrets}`);
    }
    if (again.inputs.length > 0) {
        parts.push(`input${again.inputs.length > 1 ? 's' : ''} ${again.inputs.join(', ')} ${how.inputs}`);
    }
    return `secrets are never journaled, so this resume asks for them again: ${parts.join('; ')}; ` +
        'steps computed from a secret run again when a step still to run needs them';
}

/**
 * The secrets a workflow reads that nothing provides, each with the first step reading
 * it: a run stops before starting rather than send an empty token or fail a step later
 * with "missing required parameter".
 */
export function missingSecrets(workflow: WorkflowSpec, options: Pick<RunOptions, 'env' | 'secrets' | 'trust'>): Array<{ name: string; step: string }> {
    const env = envView(options.env, options.trust);
    const missing = new Map<string, string>();
    // Indexed, and no Set for a step that reads nothing (most of them): this runs over
    // every step before each run, and a Set and its iterator a step were ~150 bytes of a
    // 10k-step run's garbage each.
    const steps = workflow.steps;
    for (let i = 0; i < steps.length; i++) {
        const step = steps[i]!;
        if (readsNothing(step)) {
            continue;
        }
        for (const name of stepSecretNames(step, new Set())) {
            if (!missing.has(name) && lookupSecret(name, options.secrets, env) === undefined) {
                missing.set(name, step.id);
            }
        }
    }
    return [...missing].map(([name, step]) => ({ name, step }));
}

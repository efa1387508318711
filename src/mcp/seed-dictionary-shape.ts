/**
 * The seed's dictionary form of `workflow_definition`, checked for shape before it is
 * translated: required keys, types, names kmflow can spell. Every problem names its
 * JSON path (`$.steps[2].retry_count`). What the language checks (tools, parameters
 * against schemas, cycles, facts, duplicate ids) is left to the language's checker.
 */
import { parseDuration } from '../language/durations.js';
import { FLAG_SETTINGS, SETTING_VALUES, type StatedSettings } from './settings-precedence.js';

export interface SeedStep {
    step_id: string;
    tool_id: string;
    parameters: Record<string, unknown>;
    preconditions: string[];
    postconditions: string[];
    /** Seconds; undefined: the seed's step default. */
    timeout?: number;
    retry_count?: number;
    parallel_group?: string;
}

export interface SeedWorkflow {
    workflow_id: string;
    name?: string;
    description?: string;
    /** kmflow files (or bundled catalogs) to import: declared tools and servers for `SERVER.TOOL`. */
    imports: string[];
    steps: SeedStep[];
    /** The workflow-level settings the dictionary states. */
    settings: StatedSettings;
}

/** A shape problem and where it is. */
export interface PathProblem {
    path: string;
    message: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DURATION = /^[0-9]+(ms|s|m|h)$/;
/** Words the grammar never takes as a name (the rest of its keywords are soft). */
const RESERVED = new Set(['input', 'env', 'secret', 'capability', 'in', 'true', 'false', 'null', 'and', 'or', 'not']);
/** The seed's fields kmflow accepts and does not use (EcosystemWorkflow's planning estimates). */
const INFORMATIONAL = ['expected_duration', 'resource_requirements', 'success_criteria', 'rollback_strategy'];
const STEP_KEYS = new Set(['step_id', 'tool_id', 'parameters', 'preconditions', 'postconditions', 'timeout', 'retry_count', 'parallel_group']);
const WORKFLOW_KEYS = new Set(['workflow_id', 'name', 'description', 'imports', 'steps', 'timeout',
    ...Object.keys(SETTING_VALUES), ...FLAG_SETTINGS, ...INFORMATIONAL]);

/** A JSON path one key deeper (`.key`, or `["key"]` when the key is not an identifier). */
export function childPath(path: string, key: string | number): string {
    return typeof key === 'number' ? `${path}[${key}]` : IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Whether `name` can be written as a kmflow name (step, workflow, fact, group). */
export function isKmflowName(name: string): boolean {
    return IDENT.test(name) && !RESERVED.has(name);
}

function kind(value: unknown): string {
    return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class ShapeReader {
    readonly problems: PathProblem[] = [];

    fail(path: string, message: string): undefined {
        this.problems.push({ path, message });
        return undefined;
    }

    /** A string at `path` (`what` names it in messages); null or missing is undefined unless required. */
    string(value: unknown, path: string, what: string, required = false): string | undefined {
        if (value === undefined || (value === null && !required)) {
            return required ? this.fail(path, `${what} is required`) : undefined;
        }
        return typeof value === 'string' ? value : this.fail(path, `${what} must be a string, not ${kind(value)}`);
    }

    name(value: unknown, path: string, what: string, required = false): string | undefined {
        const name = this.string(value, path, what, required);
        if (name !== undefined && !isKmflowName(name)) {
            return this.fail(path, `${what} '${name}' is not a kmflow name: letters, digits and _, not starting with a digit` +
                `${RESERVED.has(name) ? `, and not the reserved word '${name}'` : ''} (e.g. '${suggestName(name)}')`);
        }
        return name;
    }

    names(value: unknown, path: string, label: string, what: string): string[] {
        if (value === undefined || value === null) {
            return [];
        }
        if (!Array.isArray(value)) {
            this.fail(path, `${label} must be a list of ${what}s, not ${kind(value)}`);
            return [];
        }
        return value.flatMap((item, i) => this.name(item, childPath(path, i), what, true) ?? []);
    }

    number(value: unknown, path: string, label: string, rule: 'positive' | 'count'): number | undefined {
        if (value === undefined || value === null) {
            return undefined;
        }
        const ok = typeof value === 'number' && Number.isFinite(value) && (rule === 'positive' ? value > 0 : Number.isInteger(value) && value >= 0);
        return ok ? value : this.fail(path, `${label} must be ${rule === 'positive' ? 'a number of seconds > 0' : 'a whole number >= 0'}, not ${JSON.stringify(value)}`);
    }

    unknownKeys(obj: Record<string, unknown>, known: Set<string>, path: string): void {
        for (const key of Object.keys(obj)) {
            if (!known.has(key)) {
                this.fail(childPath(path, key), `unknown key '${key}' (known: ${[...known].join(', ')})`);
            }
        }
    }
}

function suggestName(name: string): string {
    const base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^([0-9])/, '_$1') || 'step';
    return RESERVED.has(base) ? `${base}_` : base;
}

function readStep(r: ShapeReader, value: unknown, path: string): SeedStep | undefined {
    if (!isObject(value)) {
        return r.fail(path, `a step must be an object with step_id and tool_id, not ${kind(value)}`);
    }
    const at = (key: string): string => childPath(path, key);
    r.unknownKeys(value, STEP_KEYS, path);
    const step_id = r.name(value.step_id, at('step_id'), 'step_id', true);
    let tool_id = r.string(value.tool_id, at('tool_id'), 'tool_id', true);
    if (tool_id !== undefined && !isKmflowName(tool_id.split('.')[0]!)) {
        tool_id = r.fail(at('tool_id'), `tool_id '${tool_id}' must start with a kmflow name: a built-in ('log', 'file.write'), ` +
            "a catalog or declared tool ('km_list_macros'), or SERVER.TOOL");
    }
    const params = value.parameters ?? {};
    if (!isObject(params)) {
        r.fail(at('parameters'), `parameters must be an object, not ${kind(params)}`);
    }
    const step: SeedStep = {
        step_id: step_id ?? '', tool_id: tool_id ?? '',
        parameters: isObject(params) ? params : {},
        preconditions: r.names(value.preconditions, at('preconditions'), 'preconditions', 'fact'),
        postconditions: r.names(value.postconditions, at('postconditions'), 'postconditions', 'fact'),
        timeout: r.number(value.timeout, at('timeout'), 'timeout', 'positive'),
        retry_count: r.number(value.retry_count, at('retry_count'), 'retry_count', 'count'),
        parallel_group: r.name(value.parallel_group, at('parallel_group'), 'parallel_group'),
    };
    return step_id !== undefined && tool_id !== undefined ? step : undefined;
}

function readSettings(r: ShapeReader, value: Record<string, unknown>): StatedSettings {
    const out: Record<string, unknown> = {};
    for (const [key, allowed] of Object.entries(SETTING_VALUES)) {
        const v = value[key];
        if (v === undefined || v === null) {
            continue;
        }
        if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
            r.fail(childPath('$', key), `${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
        } else {
            out[key] = v;
        }
    }
    for (const key of FLAG_SETTINGS) {
        const v = value[key];
        if (typeof v === 'boolean') {
            out[key] = v;
        } else if (v !== undefined && v !== null) {
            r.fail(childPath('$', key), `${key} must be true or false, not ${JSON.stringify(v)}`);
        }
    }
    const timeout = value.timeout;
    out.timeout = typeof timeout === 'string' && DURATION.test(timeout) && parseDuration(timeout) > 0
        ? parseDuration(timeout) / 1000
        : r.number(timeout, '$.timeout', 'timeout', 'positive');
    return out as StatedSettings;
}

/** Reads a dictionary `workflow_definition` (paths are relative to `$`, the dictionary itself). */
export function readSeedDictionary(value: Record<string, unknown>): { ok: true; workflow: SeedWorkflow } | { ok: false; problems: PathProblem[] } {
    const r = new ShapeReader();
    r.unknownKeys(value, WORKFLOW_KEYS, '$');
    const workflow_id = r.name(value.workflow_id, '$.workflow_id', 'workflow_id', true);
    const name = r.string(value.name, '$.name', 'name');
    const description = r.string(value.description, '$.description', 'description');
    let imports: string[] = [];
    if (Array.isArray(value.imports)) {
        imports = value.imports.flatMap((imp, i) => typeof imp === 'string' && imp !== ''
            ? [imp] : r.fail(`$.imports[${i}]`, `an import must be a file path or catalog name, not ${JSON.stringify(imp)}`) ?? []);
    } else if (value.imports !== undefined && value.imports !== null) {
        r.fail('$.imports', `imports must be a list of file paths, not ${kind(value.imports)}`);
    }
    const steps: SeedStep[] = [];
    if (!Array.isArray(value.steps) || value.steps.length === 0) {
        r.fail('$.steps', value.steps === undefined ? 'steps is required: a list of {step_id, tool_id, parameters, ...}'
            : `steps must be a non-empty list, not ${Array.isArray(value.steps) ? 'an empty one' : kind(value.steps)}`);
    } else {
        value.steps.forEach((s, i) => {
            const step = readStep(r, s, `$.steps[${i}]`);
            if (step) {
                steps.push(step);
            }
        });
    }
    const settings = readSettings(r, value);
    if (r.problems.length > 0 || workflow_id === undefined) {
        return { ok: false, problems: r.problems };
    }
    return { ok: true, workflow: { workflow_id, name, description, imports, steps, settings } };
}

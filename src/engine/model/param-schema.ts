/**
 * Checks a tool call's parameters against the tool's input JSON Schema with ajv.
 * Used twice: by the language's `invalid-param` check before anything runs, and by the
 * engine right before each call, after expressions have been evaluated.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './model.js';

/** One broken rule: `path` is a JSON pointer into the parameters ('' for the root). */
export interface ParamError {
    path: string;
    /** The top-level parameter the error is about, when there is one. */
    param?: string;
    message: string;
    /** The JSON Schema keyword that failed (`type`, `required`, `additionalProperties`...). */
    keyword: string;
    /**
     * The value at `path` matched none of an `anyOf`/`oneOf`'s alternatives: a value not
     * known before the run anywhere below `path` could still make one of them match.
     */
    alternatives?: boolean;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// `unicodeRegExp: false`: `pattern`s compile without JavaScript's `u` flag, which refuses
// identity escapes such as `\&` or `\#`. Servers written in Python publish such patterns
// (the Keyboard Maestro server's km_execute_macro does), and Python's `re` accepts them.
const ajv = addFormats(new Ajv({ allErrors: true, verbose: true, strict: false, validateSchema: false, unicodeRegExp: false }));
const compiled = new WeakMap<JsonSchema, ValidateFunction | Error>();

function compile(schema: JsonSchema): ValidateFunction | Error {
    let fn = compiled.get(schema);
    if (!fn) {
        try {
            fn = ajv.compile(schema);
        } catch (err) {
            fn = err instanceof Error ? err : new Error(String(err));
        }
        compiled.set(schema, fn);
    }
    return fn;
}

function describe(error: ErrorObject): ParamError {
    const path = error.instancePath;
    const top = path.split('/')[1];
    switch (error.keyword) {
        case 'additionalProperties': {
            const key = String(error.params.additionalProperty);
            return { path: `${path}/${key}`, param: top ?? key, message: `unknown parameter '${key}'`, keyword: error.keyword };
        }
        case 'required': {
            const key = String(error.params.missingProperty);
            return { path, param: top, message: `missing required parameter '${key}'`, keyword: error.keyword };
        }
        case 'enum': {
            const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
            return { path, param: top, message: `'${where(path)}' must be one of ${allowed}`, keyword: error.keyword };
        }
        case 'anyOf':
        case 'oneOf':
            return { path, param: top, message: `'${where(path)}' must be ${forms(error)}`, keyword: error.keyword, alternatives: true };
        default:
            return { path, param: top, message: `'${where(path)}' ${error.message ?? 'is invalid'}`, keyword: error.keyword };
    }
}

function where(path: string): string {
    return path === '' ? 'parameters' : path.slice(1).replace(/\//g, '.');
}

/** The answer of every valid call: one frozen empty list (a push into it throws), not a new one a call (each step's parameters are checked). */
const NO_ERRORS = Object.freeze([]) as unknown as ParamError[];

/**
 * Validates `params` against `schema`. Returns no errors when the tool declares no
 * schema. A schema that ajv cannot compile is reported as one error at the root.
 */
export function validateParams(schema: JsonSchema | undefined, params: unknown): ParamError[] {
    if (!schema) {
        return NO_ERRORS;
    }
    const fn = compile(schema);
    if (fn instanceof Error) {
        return [{ path: '', message: `the tool's input schema is invalid: ${fn.message}`, keyword: 'schema' }];
    }
    if (fn(params)) {
        return NO_ERRORS;
    }
    return collapseAlternatives(fn.errors ?? []).map(describe);
}

/**
 * One error per failed `anyOf`/`oneOf` instead of one per alternative plus the summary
 * (`must be string`, `must be null`, `must match a schema in anyOf`): the summary names
 * the forms the value may take; errors deeper in the value (an unknown key inside an
 * object alternative) stay, they say more.
 */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
    const failed = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    if (failed.length === 0) {
        return errors;
    }
    const inside = (e: ErrorObject): boolean => failed.some((f) => f !== e && e.instancePath === f.instancePath
        && e.schemaPath.startsWith(`${f.schemaPath}/`));
    return errors.filter((e) => !inside(e));
}

/** `string or null`, from an anyOf/oneOf's alternatives. */
function forms(error: ErrorObject): string {
    const branches = (error.parentSchema?.[error.keyword] ?? []) as Array<Record<string, unknown>>;
    const names = branches.map((b) => b.enum ? `one of ${(b.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        : b.const !== undefined ? JSON.stringify(b.const) : typeof b.type === 'string' ? b.type : 'a value of another form');
    return [...new Set(names)].join(' or ');
}

/** The JSON Schema of one top-level parameter, if the schema declares it. */
export function paramSchema(schema: JsonSchema | undefined, name: string): JsonSchema | undefined {
    const props = schema?.properties as Record<string, JsonSchema> | undefined;
    return props?.[name];
}

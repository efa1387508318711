/**
 * What a cassette keeps of a call's values: arguments with secrets masked and keys
 * sorted (the form calls are matched in), results without volatile `_meta`, and errors
 * as their code, message and flags (turned back into the same ToolError on replay).
 */
import { canonicalJson } from '../cache/canonical.js';
import type { Redactor } from '../../security/redaction.js';
import { ToolError, toToolError } from '../../tools/tool-error.js';
import type { McpCallResult } from '../../tools/connectors/mcp-output.js';
import type { RecordedError } from './cassette-types.js';

/**
 * `_meta` keys a cassette keeps: the ones the engine reads (`resultRetryable`). The rest
 * (progress tokens, request ids, timestamps, related tasks) change from run to run.
 */
const STABLE_META = new Set(['retryable']);

/** A JSON-like value with object keys sorted, recursively (as `canonicalJson` orders them). */
export function sortKeys<T>(value: T): T {
    return JSON.parse(canonicalJson(value)) as T;
}

/** The arguments as a cassette holds and matches them: secrets masked, keys sorted. */
export function canonicalArguments(args: Record<string, unknown>, redactor?: Redactor): Record<string, unknown> {
    return sortKeys(redactor ? redactor.value(args) : args);
}

/** The text calls are matched on: the masked arguments' canonical JSON. */
export function argumentsKey(args: Record<string, unknown>): string {
    return canonicalJson(args);
}

/** A copy of `value` with every `_meta` cut down to its stable keys (and dropped when none is left). */
export function withoutVolatileMeta<T>(value: T): T {
    return strip(value) as T;
}

function strip(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(strip);
    }
    if (typeof value !== 'object' || value === null) {
        return value;
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
        if (key === '_meta' && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
            const kept = Object.entries(inner).filter(([k]) => STABLE_META.has(k));
            if (kept.length > 0) {
                out[key] = Object.fromEntries(kept);
            }
        } else {
            out[key] = strip(inner);
        }
    }
    return out;
}

/** A result as recorded: volatile `_meta` dropped, secrets masked. */
export function recordedResult(result: McpCallResult, redactor?: Redactor): McpCallResult {
    const clean = withoutVolatileMeta(result);
    return redactor ? redactor.value(clean) : clean;
}

/** An error as recorded: its code, message, explicit `retryable`, advice and details; secrets masked. */
export function recordedError(err: unknown, redactor?: Redactor): RecordedError {
    const e = toToolError(err);
    const recorded: RecordedError = {
        code: e.code,
        message: e.message,
        ...(e.retryableMarked && { retryable: e.retryable }),
        ...(e.advice !== undefined && { advice: e.advice }),
        ...(e.details !== undefined && { details: e.details }),
    };
    return redactor ? redactor.value(recorded) : recorded;
}

/** The ToolError a recorded error replays as. */
export function replayedError(e: RecordedError): ToolError {
    return new ToolError(e.code, e.message, {
        ...(e.retryable !== undefined && { retryable: e.retryable }),
        ...(e.advice !== undefined && { advice: e.advice }),
        ...(e.details !== undefined && { details: e.details }),
    });
}

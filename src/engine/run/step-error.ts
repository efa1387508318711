/**
 * Error shaping: the StepError a report, an event or the journal shows for a ToolError
 * (code, message, retryable, advice, details), with the run's secret values masked.
 */
import type { Redactor } from '../security/redaction.js';
import type { ToolError } from '../tools/tool-error.js';
import type { StepError } from './run-types.js';

/** A StepError from a ToolError, secret values masked. */
export function stepError(error: ToolError, redactor: Redactor): StepError {
    const mask = (text: string): string => redactor.active ? redactor.text(text) : text;
    const out: StepError = { message: mask(error.message), code: error.code, retryable: error.retryable };
    if (error.advice !== undefined) {
        out.advice = mask(error.advice);
    }
    if (error.details !== undefined) {
        out.details = redactor.value(error.details);
    }
    return out;
}

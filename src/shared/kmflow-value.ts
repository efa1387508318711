/**
 * JSON-like values written as kmflow source, and a finished step written as the `given`
 * line of a test that stubs it (`given STEP returns VALUE`, `given STEP fails "CODE"
 * "MESSAGE"`): what "Copy as stub" and "Promote this run to a test" put in a test block.
 * Strings escape `"`, `\`, line breaks and `${` (kmflow would read it as interpolation);
 * keys are quoted unless they are plain names.
 */

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names the grammar reserves that may not stand unquoted as an object key. */
const RESERVED = new Set(['workflow', 'step', 'server', 'tool', 'import', 'uses', 'with', 'after', 'test', 'for', 'given', 'expect']);

export function kmflowString(text: string): string {
    const body = text.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)
        .replace(/\$\{/g, '\\${');
    return `"${body}"`;
}

/** `value` as a kmflow expression: objects `{ key: value }`, lists `[a, b]`, strings quoted. */
export function kmflowValue(value: unknown): string {
    if (value === null || value === undefined) {
        return 'null';
    }
    if (typeof value === 'string') {
        return kmflowString(value);
    }
    if (typeof value === 'number') {
        return Number.isFinite(value) ? String(value) : 'null';
    }
    if (typeof value === 'boolean') {
        return String(value);
    }
    if (Array.isArray(value)) {
        return `[${value.map(kmflowValue).join(', ')}]`;
    }
    if (typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
        if (entries.length === 0) {
            return '{}';
        }
        const key = (k: string): string => (PLAIN_KEY.test(k) && !RESERVED.has(k) ? k : kmflowString(k));
        return `{ ${entries.map(([k, v]) => `${key(k)}: ${kmflowValue(v)}`).join(', ')} }`;
    }
    return 'null';
}

/** The `given` line that makes a test's run of step `id` end as this one did. */
export function stubLine(step: { id: string; status: string; output?: unknown; error?: { code: string; message: string; retryable?: boolean } }): string {
    if (step.status !== 'succeeded' && step.error) {
        return `given ${step.id} fails ${kmflowString(step.error.code)} ${kmflowString(step.error.message)}${step.error.retryable ? ' retryable' : ''}`;
    }
    return `given ${step.id} returns ${kmflowValue(step.output ?? null)}`;
}

/**
 * `http.request {url, method, headers, body, allow_failure}` -> {status, headers, body, json}.
 *
 * - `body`: a string is sent as is; anything else as JSON (with a JSON content type
 *   unless one is given).
 * - `json` is the parsed body when it parses as JSON, otherwise null.
 * - Refused (code `denied`) unless the run's Trust grants `network`.
 * - A status >= 400 fails the step with code `http-status` (retryable for 408, 429 and
 *   5xx, so `retry` helps with overloaded servers) unless `allow_failure` is true; a
 *   network failure fails with code `disconnected` (retryable).
 * - A body over the output limit (`output-limit.ts`) fails with `output-too-large`: by
 *   its Content-Length before reading, else as soon as the bytes read pass the limit.
 */
import type { BuiltinTool } from './builtin-tool.js';
import { ToolError } from '../tool-error.js';
import { DEFAULT_MAX_OUTPUT_BYTES, outputTooLarge } from '../../run/output-limit.js';
import { requireCapability } from '../../security/trust.js';

/** The response body as text, if it is at most `limit` bytes; else `output-too-large` (the rest unread). */
async function boundedText(response: Response, what: string, limit: number): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limit) {
        await response.body?.cancel().catch(() => undefined);
        throw outputTooLarge(what, declared, limit);
    }
    if (!response.body) {
        return '';
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done) {
            return Buffer.concat(chunks, total).toString('utf8');
        }
        chunks.push(value);
        total += value.length;
        if (total > limit) {
            await reader.cancel().catch(() => undefined);
            throw outputTooLarge(what, total, limit, true);
        }
    }
}

export const httpRequestTool: BuiltinTool = {
    id: 'http.request',
    title: 'Make an HTTP request',
    category: 'communication',
    capabilities: ['http', 'web_request'],
    security: 'high',
    readOnly: false,
    inputSchema: {
        type: 'object',
        properties: {
            url: { type: 'string', format: 'uri' },
            method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], default: 'GET' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            body: {},
            allow_failure: { type: 'boolean', default: false, description: 'Return error statuses instead of failing.' },
        },
        required: ['url'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        requireCapability(ctx.trust, 'network', 'http.request');
        const headers: Record<string, string> = { ...(params.headers as Record<string, string> | undefined) };
        let body: string | undefined;
        if (params.body !== undefined && params.body !== null) {
            if (typeof params.body === 'string') {
                body = params.body;
            } else {
                body = JSON.stringify(params.body);
                if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
                    headers['content-type'] = 'application/json';
                }
            }
        }
        const method = (params.method as string | undefined) ?? 'GET';
        let response: Response;
        try {
            response = await fetch(params.url as string, { method, headers, body, signal: ctx.signal });
        } catch (err) {
            if (ctx.signal.aborted) {
                throw ctx.signal.reason;
            }
            const cause = (err as { cause?: { message?: string } }).cause?.message;
            throw new ToolError('disconnected', `http.request: ${method} ${params.url as string} failed: ${cause ?? (err as Error).message}`, {
                cause: err,
            });
        }
        const text = await boundedText(response, `http.request: the body of ${method} ${params.url as string}`, ctx.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
        let json: unknown = null;
        try {
            json = text.length > 0 ? JSON.parse(text) : null;
        } catch {
            json = null;
        }
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, key) => {
            responseHeaders[key] = value;
        });
        const output = { status: response.status, headers: responseHeaders, body: text, json };
        if (response.status >= 400 && params.allow_failure !== true) {
            const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
            throw new ToolError('http-status', `http.request: ${method} ${params.url as string} answered ${response.status}`, { retryable });
        }
        return { output };
    },
};

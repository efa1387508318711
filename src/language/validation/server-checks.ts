/**
 * What a `server` block may read: only `${secret.NAME}` and `${env.NAME}` (a server
 * starts before any step or input exists), in `args`, `env`, `headers`, `url` and
 * `cwd`. Anything else there is an error (`server-value`): it used to reach the server
 * as a literal `${...}` or be dropped silently. A secret in `args` is a warning
 * (`secret-in-args`): every local user sees a process's arguments; `env` is the place.
 *
 * Whether a secret or variable is set is not checked here: secrets are given at run
 * time (the environment, VS Code's secret storage), and a server that cannot start for
 * want of one says which when it starts.
 */
import type { ValidationAcceptor } from 'langium';
import type { KmflowServices } from '../kmflow-module.js';
import type { Document } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { isExprPart } from '../interpolation.js';
import { serverRef, serverStrings } from '../server-values.js';

export function checkServerValues(services: KmflowServices, doc: Document, accept: ValidationAcceptor): void {
    for (const server of doc.servers) {
        for (const s of serverStrings(services, server)) {
            for (const part of s.parts) {
                if (!isExprPart(part)) {
                    continue;
                }
                const range = rangeOf(services, doc, part.offset, part.source.length);
                const ref = part.errors.length === 0 ? serverRef(part.expr) : undefined;
                if (!ref) {
                    const why = part.errors.length > 0 ? part.errors[0] : `'\${${part.source}}' reads what a server cannot`;
                    accept('error', `server '${server.name}', ${s.where}: ${why}; a server block reads only \${secret.NAME} and \${env.NAME}, ` +
                        'resolved when the server starts (write \\${ for a literal ${)', {
                        node: s.node, ...(range && { range }), code: Codes.ServerValue, data: { code: Codes.ServerValue },
                    });
                } else if (ref.root === 'secret' && s.where.startsWith('args[')) {
                    accept('warning', `server '${server.name}': secret '${ref.name}' in ${s.where} is visible to every local user in the process list; ` +
                        `pass it in env { ${ref.name}: "\${secret.${ref.name}}" } instead`, {
                        node: s.node, ...(range && { range }), code: Codes.SecretInArgs, data: { code: Codes.SecretInArgs },
                    });
                }
            }
        }
    }
}

/** The document range of `length` characters at `offset` (undefined without a text document). */
function rangeOf(services: KmflowServices, doc: Document, offset: number, length: number) {
    const text = doc.$document?.textDocument;
    if (!text || offset <= 0) {
        return undefined;
    }
    return { start: text.positionAt(offset), end: text.positionAt(offset + length) };
}

/**
 * The strings of a `server` block that may read `${secret.NAME}` and `${env.NAME}`
 * (`args`, `env`, `headers`, `url`, `cwd`), as the engine's placeholder text (resolved
 * when the server starts: `engine/tools/connectors/server-values.ts`) and as parts with
 * their nodes, for the checker. Nothing else can be read there: a server starts before
 * any step or input exists.
 */
import { GrammarUtils, type AstNode, type LangiumCoreServices } from 'langium';
import { isListLit, isLiteral, isObjectLit, isRef, type Expression, type Server } from './generated/ast.js';
import { isExprPart, templatePartsOfToken, templateParts, type TemplatePart } from './interpolation.js';
import { entryKey, literalValue, DYNAMIC } from './static-values.js';
import { lastIndex, lastOf } from './ast-options.js';

/** One placeholder-capable string of a server block. */
export interface ServerString {
    /** Where it sits: `args[0]`, `env.TOKEN`, `headers.Authorization`, `url`, `cwd`. */
    where: string;
    /** The node that holds it (for diagnostics). */
    node: AstNode;
    /** The string's parts: text and `${}` expressions; a bare `secret.X` value is one expression part. */
    parts: TemplatePart[];
    /** A value that is neither a string nor a reference (a number, a list...): as text. */
    text?: string;
}

/** A `secret.NAME` or `env.NAME` reference without field accesses: the only thing a server block may read. */
export function serverRef(expr: Expression | undefined): { root: 'secret' | 'env'; name: string } | undefined {
    if (expr && isRef(expr) && (expr.scope === 'secret' || expr.scope === 'env') && expr.accesses.length === 0 && expr.name) {
        return { root: expr.scope, name: entryKey(expr.name) };
    }
    return undefined;
}

function valueString(services: LangiumCoreServices, where: string, node: Expression): ServerString {
    if (isLiteral(node)) {
        const parts = templateParts(services, node);
        if (parts) {
            return { where, node, parts };
        }
        const value = literalValue(node);
        return { where, node, parts: [], text: value === DYNAMIC || value === null ? '' : String(value) };
    }
    if (isRef(node)) {
        return { where, node, parts: [{ expr: node, source: node.$cstNode?.text ?? '', offset: node.$cstNode?.offset ?? 0, errors: [] }] };
    }
    return { where, node, parts: [], text: node.$cstNode?.text ?? '' };
}

function tokenString(services: LangiumCoreServices, server: Server, property: 'url' | 'cwd'): ServerString | undefined {
    const value = lastOf(server[property]);
    if (value === undefined) {
        return undefined;
    }
    const cst = server.$cstNode ? GrammarUtils.findNodeForProperty(server.$cstNode, property, lastIndex(server[property])) : undefined;
    const raw = cst?.text;
    if (!raw || !raw.includes('${')) {
        return { where: property, node: server, parts: [], text: value };
    }
    return { where: property, node: server, parts: templatePartsOfToken(services, raw, cst.offset) };
}

/** Every placeholder-capable string of a server block. */
export function serverStrings(services: LangiumCoreServices, server: Server): ServerString[] {
    const out: ServerString[] = [];
    const args = lastOf(server.args);
    if (isListLit(args)) {
        args.items.forEach((item, i) => out.push(valueString(services, `args[${i}]`, item)));
    }
    for (const [field, block] of [['env', lastOf(server.env)], ['headers', lastOf(server.headers)]] as const) {
        if (isObjectLit(block)) {
            for (const entry of block.entries) {
                if (entry.value) {
                    out.push(valueString(services, `${field}.${entryKey(entry.key)}`, entry.value));
                }
            }
        }
    }
    for (const property of ['url', 'cwd'] as const) {
        const s = tokenString(services, server, property);
        if (s) {
            out.push(s);
        }
    }
    return out;
}

/** Text with every `${` written `$${` (a function: in a replacement string `$$` means `$`). */
function literal(text: string): string {
    return text.replaceAll('${', () => '$${');
}

/**
 * The engine's text of a server string: text with `${` written `$${`, `${secret.NAME}`
 * and `${env.NAME}` as they are, anything else as `${SOURCE}` (which the checker
 * reports and the engine refuses to start with).
 */
export function placeholderText(s: ServerString): string {
    if (s.text !== undefined) {
        return literal(s.text);
    }
    return s.parts.map((part) => {
        if (!isExprPart(part)) {
            return literal(part.text);
        }
        const ref = serverRef(part.expr);
        return ref ? `\${${ref.root}.${ref.name}}` : `\${${part.source}}`;
    }).join('');
}

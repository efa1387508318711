/**
 * The language services as a provider made at `initialize` should see them: the parsers it
 * keeps (Langium's completion provider keeps the completion parser and the lexer from its
 * constructor) are stand-ins, made the first time they are used. Langium makes every
 * provider at `initialize` (the capabilities it answers read their options), and making the
 * completion parser there cost a sixth of the server's start (kmflow-language-server.ts).
 */
import type { LangiumCoreServices } from 'langium';

const LATER = new Set<PropertyKey>(['CompletionParser', 'Lexer']);

/** An object that makes `make()` when first used and from then on behaves as it. */
function madeWhenUsed<T extends object>(make: () => T): T {
    let made: T | undefined;
    const real = (): T => (made ??= make());
    return new Proxy({} as T, {
        get: (_target, key) => {
            const value = Reflect.get(real(), key) as unknown;
            return typeof value === 'function' ? value.bind(real()) : value;
        },
        set: (_target, key, value) => Reflect.set(real(), key, value),
        has: (_target, key) => Reflect.has(real(), key),
    });
}

/** `services`, with `parser.CompletionParser` and `parser.Lexer` made when first used. */
export function withParsersWhenUsed<S extends LangiumCoreServices>(services: S): S {
    // Over empty targets: a proxy checks what its `get` answers against its target's own
    // property, and asking Langium's services for a property makes the service.
    const parser = new Proxy({}, {
        get: (_target, key) => (LATER.has(key)
            ? madeWhenUsed(() => Reflect.get(services.parser, key) as object)
            : Reflect.get(services.parser, key)),
    });
    return new Proxy({} as S, { get: (_target, key) => (key === 'parser' ? parser : Reflect.get(services, key)) });
}

/** Memoising what the parser asks of an AST type again and again (its template, its arrays, its property names). */

/** `compute` of each type, computed once a type (an undefined answer too). */
export function perType<T>(compute: (type: string) => T): (type: string) => T {
    const known = new Map<string, T>();
    return (type) => {
        let value = known.get(type);
        if (value === undefined && !known.has(type)) {
            value = compute(type);
            known.set(type, value);
        }
        return value as T;
    };
}

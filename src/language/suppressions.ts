/**
 * `// kmflow-ignore CODE[, CODE]` on the line above a line silences those codes on that
 * line; a bare `// kmflow-ignore` silences every code there.
 */
import type { Diagnostic } from 'vscode-languageserver-types';

const IGNORE = /\/\/\s*kmflow-ignore\b([^\n]*)$/;

/** The codes silenced on each line (0-based), `'*'` for all. */
export function suppressedCodes(text: string): Map<number, Set<string>> {
    const result = new Map<number, Set<string>>();
    if (!text.includes('kmflow-ignore')) {
        return result;
    }
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length - 1; i++) {
        const match = IGNORE.exec(lines[i]);
        if (!match) {
            continue;
        }
        const codes = match[1].split(/[\s,]+/).map((c) => c.trim()).filter((c) => /^[a-z][a-z-]*$/.test(c));
        result.set(i + 1, new Set(codes.length > 0 ? codes : ['*']));
    }
    return result;
}

export function codeOf(diagnostic: Diagnostic): string | undefined {
    const data = diagnostic.data as { code?: unknown } | undefined;
    return typeof diagnostic.code === 'string' ? diagnostic.code : typeof data?.code === 'string' ? data.code : undefined;
}

/** Drops the diagnostics a `kmflow-ignore` comment silences. */
export function applySuppressions(text: string, diagnostics: Diagnostic[]): Diagnostic[] {
    const suppressed = suppressedCodes(text);
    if (suppressed.size === 0) {
        return diagnostics;
    }
    return diagnostics.filter((d) => {
        const codes = suppressed.get(d.range.start.line);
        if (!codes) {
            return true;
        }
        const code = codeOf(d);
        return !(codes.has('*') || (code !== undefined && codes.has(code)));
    });
}

/** Diagnostics as the CLI prints them: `file:line:col severity code message`, or JSON. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { codeOf } from './suppressions.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** interfaces.md's `check --json` diagnostic: 1-based lines and columns. */
export interface CliDiagnostic {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: Severity;
    code: string;
    message: string;
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

export function toCliDiagnostic(file: string, d: Diagnostic): CliDiagnostic {
    return {
        file,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEVERITIES[(d.severity ?? 1) - 1] ?? 'error',
        code: codeOf(d) ?? 'syntax',
        message: d.message,
    };
}

export function formatDiagnostic(d: CliDiagnostic): string {
    return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}

export function byPosition(a: CliDiagnostic, b: CliDiagnostic): number {
    return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/**
 * A dictionary `workflow_definition` from shape check to checked document: its shape
 * problems, or the generated kmflow text with its source map and the settings it
 * states; then each of the checker's diagnostics located by JSON path.
 */
import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { toCliDiagnostic, type Severity } from '../language/diagnostic-format.js';
import { pathAt } from './json-path-source-map.js';
import { readSeedDictionary } from './seed-dictionary-shape.js';
import { seedDictionaryToKmflow, type GeneratedSource } from './seed-dictionary-source.js';
import type { StatedSettings } from './settings-precedence.js';

/** A diagnostic of a dictionary definition: where by JSON path, with the language's code. */
export interface PathDiagnostic {
    path: string;
    severity: Severity;
    code: string;
    message: string;
}

/** The code of a shape problem (the language's codes are for what the checker finds). */
export const SHAPE_CODE = 'invalid-definition';

export type TranslatedDictionary =
    | { ok: true; source: GeneratedSource; stated: StatedSettings }
    | { ok: false; diagnostics: PathDiagnostic[] };

/** `$.steps[0]` under `root` (`$` for one definition, `$[1]` for the second of a list). */
function rooted(path: string, root: string): string {
    return root + path.slice(1);
}

export function formatPathDiagnostic(d: PathDiagnostic): string {
    return `${d.path} ${d.severity} ${d.code} ${d.message}`;
}

/** Whether a definition is the dictionary form: an object that is not a `{file, workflow}` reference. */
export function isSeedDictionary(definition: unknown): definition is Record<string, unknown> {
    return typeof definition === 'object' && definition !== null && !Array.isArray(definition) && !('file' in definition);
}

export function translateSeedDictionary(value: Record<string, unknown>, root: string): TranslatedDictionary {
    const read = readSeedDictionary(value);
    if (!read.ok) {
        return {
            ok: false,
            diagnostics: read.problems.map((p) => ({ path: rooted(p.path, root), severity: 'error', code: SHAPE_CODE, message: p.message })),
        };
    }
    return { ok: true, source: seedDictionaryToKmflow(read.workflow), stated: read.workflow.settings };
}

/** A checker diagnostic of the generated document, at the innermost JSON path of its range. */
export function locateDiagnostic(document: LangiumDocument, source: GeneratedSource, d: Diagnostic, root: string): PathDiagnostic {
    const start = document.textDocument.offsetAt(d.range.start);
    const end = document.textDocument.offsetAt(d.range.end);
    const cli = toCliDiagnostic('', d);
    return { path: rooted(pathAt(source.ranges, start, end), root), severity: cli.severity, code: cli.code, message: d.message };
}

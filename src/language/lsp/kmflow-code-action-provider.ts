/**
 * Quick fixes for kmflow diagnostics, found by their stable `code` and `data`: the nearest
 * tool or step name, a stub for a missing `depends_on` tool, a declaration for an unknown
 * input, the successor of a deprecated tool, and a `// kmflow-ignore CODE` line for any of them.
 */
import type { LangiumDocument, MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import {
    CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic, type TextEdit,
} from 'vscode-languageserver';
import { Codes, type KmflowDiagnosticData } from '../diagnostic-codes.js';
import { nearestNames } from '../kmflow-document-validator.js';
import { codeOf } from '../suppressions.js';
import type { KmflowServices } from '../kmflow-module.js';
import { workflowAt } from './symbol-at.js';

const KNOWN_CODES = new Set<string>(Object.values(Codes));

export class KmflowCodeActionProvider implements CodeActionProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        this.services = services;
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const code = codeOf(diagnostic);
            if (!code || !KNOWN_CODES.has(code)) {
                continue;
            }
            actions.push(...this.fixesFor(document, diagnostic, code));
            if (code !== Codes.Syntax) {
                actions.push(this.ignore(document, diagnostic, code));
            }
        }
        return actions;
    }

    protected fixesFor(document: LangiumDocument, diagnostic: Diagnostic, code: string): CodeAction[] {
        const data = (diagnostic.data ?? {}) as Partial<KmflowDiagnosticData>;
        switch (code) {
            case Codes.UnknownTool:
                return (data.suggestions ?? []).map((name, i) => this.replace(document, diagnostic, name, `Replace with '${name}'`, i === 0));
            case Codes.UnknownStep:
                return this.nearestSteps(document, diagnostic).map((name, i) =>
                    this.replace(document, diagnostic, name, `Replace with step '${name}'`, i === 0));
            case Codes.MissingDependency:
                return [this.stubTool(document, diagnostic)].filter((a): a is CodeAction => a !== undefined);
            case Codes.UnknownInput:
                return [this.declareInput(document, diagnostic)].filter((a): a is CodeAction => a !== undefined);
            case Codes.ToolStatus:
                // A deprecated or removed tool with a successor: use it. Its parameters may differ; the check says so.
                return data.replacedBy ? [this.replace(document, diagnostic, data.replacedBy, `Use '${data.replacedBy}' instead`, true)] : [];
            default:
                return [];
        }
    }

    /** Steps of the workflow nearest the unknown name (excluding the step the name is in). */
    protected nearestSteps(document: LangiumDocument, diagnostic: Diagnostic): string[] {
        const text = document.textDocument;
        const workflow = workflowAt(document, text.offsetAt(diagnostic.range.start));
        const name = this.unknownName(document, diagnostic);
        if (!workflow || !name) {
            return [];
        }
        return nearestNames(name, workflow.steps.map((s) => s.name).filter((s) => s !== name));
    }

    protected unknownName(document: LangiumDocument, diagnostic: Diagnostic): string | undefined {
        const data = diagnostic.data as Partial<KmflowDiagnosticData> | undefined;
        if (data?.name) {
            return data.name;
        }
        return /^[A-Za-z_][\w]*/.exec(document.textDocument.getText(diagnostic.range))?.[0];
    }

    protected replace(document: LangiumDocument, diagnostic: Diagnostic, name: string, title: string, preferred: boolean): CodeAction {
        const text = document.textDocument;
        // A `${}` reference's range covers `name.output...`: replace only the leading name.
        const covered = text.getText(diagnostic.range);
        const old = codeOf(diagnostic) === Codes.UnknownStep ? this.unknownName(document, diagnostic) : undefined;
        let range = diagnostic.range;
        if (old && covered.startsWith(old) && covered.length > old.length) {
            const start = text.offsetAt(range.start);
            range = { start: range.start, end: text.positionAt(start + old.length) };
        }
        return this.action(document, title, diagnostic, [{ range, newText: name }], preferred);
    }

    protected stubTool(document: LangiumDocument, diagnostic: Diagnostic): CodeAction | undefined {
        const name = /'([^']+)'/.exec(diagnostic.message)?.[1] ?? document.textDocument.getText(diagnostic.range);
        if (!name) {
            return undefined;
        }
        const text = document.textDocument.getText();
        const end = document.textDocument.positionAt(text.length);
        const lead = text.endsWith('\n') ? '\n' : '\n\n';
        const stub = `${lead}// TODO: describe '${name}' (category, capabilities, input_schema) and bind it with 'via SERVER "TOOL"'\n` +
            `tool ${name} {\n    category custom\n}\n`;
        return this.action(document, `Declare a stub tool '${name}'`, diagnostic, [{ range: { start: end, end }, newText: stub }], true);
    }

    protected declareInput(document: LangiumDocument, diagnostic: Diagnostic): CodeAction | undefined {
        const text = document.textDocument;
        const workflow = workflowAt(document, text.offsetAt(diagnostic.range.start));
        const name = /input '([^']+)'/.exec(diagnostic.message)?.[1];
        const open = workflow?.$cstNode?.text.indexOf('{');
        if (!workflow?.$cstNode || !name || open === undefined || open < 0) {
            return undefined;
        }
        const at = text.positionAt(workflow.$cstNode.offset + open + 1);
        const indent = ' '.repeat(workflow.$cstNode.range.start.character + 4);
        return this.action(document, `Declare 'input ${name}: string'`, diagnostic,
            [{ range: { start: at, end: at }, newText: `\n${indent}input ${name}: string` }], false);
    }

    protected ignore(document: LangiumDocument, diagnostic: Diagnostic, code: string): CodeAction {
        const line = diagnostic.range.start.line;
        const lineText = document.textDocument.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
        const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
        const at = { line, character: 0 };
        return this.action(document, `Ignore '${code}' on this line`, diagnostic,
            [{ range: { start: at, end: at }, newText: `${indent}// kmflow-ignore ${code}\n` }], false);
    }

    protected action(document: LangiumDocument, title: string, diagnostic: Diagnostic, edits: TextEdit[], isPreferred: boolean): CodeAction {
        return {
            title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred,
            edit: { changes: { [document.textDocument.uri]: edits } },
        };
    }
}

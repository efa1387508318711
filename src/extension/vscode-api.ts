/**
 * The `vscode` module, imported here once and by every other file of the extension from
 * here. The bundle is CommonJS and `vscode` an external: each `import * as vscode` of it
 * becomes a copy of the whole API object (its 250-odd members, a getter each), made while
 * the bundle is evaluated, so 21 files made 21 copies (10-15 ms of the evaluation outside VS
 * Code, more in a busy VS Code) before the language client could start. Types come with it.
 */
import * as vscode from 'vscode';

export { vscode };

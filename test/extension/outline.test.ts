/** The extension's own window-free helpers: the document outline commands read, and the webview page's CSP. */
import { describe, expect, it } from 'vitest';
import { outline, stepAt, workflowAt, workflowNames } from '../../src/extension/core/document-outline.js';
import { graphWebviewHtml } from '../../src/extension/core/webview-html.js';

describe('document outline', () => {
    const text = 'workflow a {\n  step x uses log {}\n  /* step hidden uses log {}\n  */\n}\nworkflow b {\n  step y uses log {}\n}\n';
    it('finds workflows and steps, not inside block comments', () => {
        expect(outline(text).map((e) => `${e.kind}:${e.workflow}.${e.name}@${e.line}`)).toEqual([
            'workflow:a.a@0', 'step:a.x@1', 'workflow:b.b@5', 'step:b.y@6',
        ]);
        expect(workflowNames(text)).toEqual(['a', 'b']);
        expect(workflowAt(text, 6)).toBe('b');
        expect(stepAt(text, 1)).toEqual({ workflow: 'a', step: 'x' });
        expect(stepAt(text, 0)).toBeUndefined();
    });
});

describe('webview page', () => {
    it('has a strict CSP with a script nonce', () => {
        const page = graphWebviewHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/out/webview.js', styleUri: 'vscode-resource:/media/webview.css', nonce: 'abc123' });
        expect(page).toContain(`default-src 'none'`);
        expect(page).toContain(`script-src 'nonce-abc123'`);
        expect(page).toContain('<script nonce="abc123" src="vscode-resource:/out/webview.js">');
        expect(page).not.toMatch(/unsafe-(inline|eval)/);
    });
});

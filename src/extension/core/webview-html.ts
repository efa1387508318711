/**
 * The graph webview's HTML: a strict Content-Security-Policy (`default-src 'none'`,
 * scripts only with this page's nonce, styles and images only from the webview's own
 * resource origin), the stylesheet from `media/`, the bundled script from `out/`.
 */
import { randomBytes } from 'node:crypto';

/** Where the page's resources come from, as webview URIs. */
export interface WebviewResources {
    /** `webview.cspSource`. */
    cspSource: string;
    scriptUri: string;
    styleUri: string;
    nonce?: string;
}

/** A fresh script nonce. */
export function makeNonce(): string {
    return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function escapeAttr(value: string): string {
    return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page. */
export function graphWebviewHtml(res: WebviewResources): string {
    const nonce = res.nonce ?? makeNonce();
    const csp = [
        `default-src 'none'`,
        `img-src ${res.cspSource} data:`,
        `style-src ${res.cspSource}`,
        `font-src ${res.cspSource}`,
        `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link href="${escapeAttr(res.styleUri)}" rel="stylesheet">
    <title>KM Flow Graph</title>
</head>
<body>
    <header id="header"></header>
    <section id="graph" aria-label="Workflow graph"></section>
    <section id="timeline" aria-label="Run timeline"></section>
    <section id="metrics" aria-label="Run metrics"></section>
    <script nonce="${nonce}" src="${escapeAttr(res.scriptUri)}"></script>
</body>
</html>
`;
}

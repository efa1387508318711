/**
 * The graph webview's HTML: a strict Content-Security-Policy (`default-src 'none'`,
 * scripts only with this page's nonce, styles and images only from the webview's own
 * resource origin), the stylesheet from `media/`, the bundled script from `out/`.
 * The script styles only through the CSSOM (no inline `style` attribute, which the
 * policy refuses).
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
    <div id="top">
        <header id="header"></header>
        <div id="toolbar" role="toolbar" aria-label="Graph view"></div>
    </div>
    <p id="notice" role="status" hidden></p>
    <div id="workspace">
        <section id="graph" tabindex="0" aria-label="Workflow graph: arrow keys pan, + and - zoom, 0 fits"></section>
        <aside id="details" class="details" aria-label="Step details"></aside>
    </div>
    <section id="timeline" aria-label="Run timeline"></section>
    <section id="metrics" aria-label="Run metrics"></section>
    <script nonce="${nonce}" src="${escapeAttr(res.scriptUri)}"></script>
</body>
</html>
`;
}

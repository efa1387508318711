/**
 * The links Plan and Analyze put on steps (`[4](<file:///…/x.kmflow#L4>)`) made to work in
 * VS Code's markdown preview. The preview renders no `file:` link (markdown-it refuses the
 * scheme), and resolves a link that starts with `/` against the first workspace folder when
 * the document, like our `kmflow-view:` ones, is in none; it opens `#L4` at line 4. So each
 * `file:` link becomes that folder-rooted path (`/sub/x.kmflow#L4`, or `/../other/x.kmflow#L4`
 * for a file of another folder).
 */

const FILE_LINK = /\]\(<(file:\/\/[^>#]*)#L(\d+)>\)/g;

/** The path of a `file:` URI, decoded; undefined for anything else. */
function filePath(uri: string): string | undefined {
    try {
        const url = new URL(uri);
        return url.protocol === 'file:' ? decodeURIComponent(url.pathname) : undefined;
    } catch {
        return undefined;
    }
}

/** `to` relative to the folder `from` (both absolute, `/`-separated), `..` where it leaves it. */
function relative(from: string, to: string): string {
    const a = from.split('/').filter(Boolean);
    const b = to.split('/').filter(Boolean);
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) {
        common++;
    }
    return [...Array<string>(a.length - common).fill('..'), ...b.slice(common)].join('/');
}

/** `markdown` with its `file:` step links rooted at `folder` (a `file:` URI); unchanged without a folder. */
export function previewLinks(markdown: string, folder: string | undefined): string {
    const root = folder && filePath(folder);
    if (!root) {
        return markdown;
    }
    return markdown.replace(FILE_LINK, (whole, uri: string, line: string) => {
        const file = filePath(uri);
        if (!file) {
            return whole;
        }
        const rooted = relative(root, file).split('/').map(encodeURIComponent).join('/');
        return `](</${rooted}#L${line}>)`;
    });
}

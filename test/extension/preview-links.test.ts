/** Plan's and Analyze's step links, rooted at the first workspace folder as VS Code's markdown preview resolves them. */
import { describe, expect, it } from 'vitest';
import { previewLinks } from '../../src/extension/core/preview-links.js';

describe('preview links', () => {
    const md = '| `a` | log | ★ | [4](<file:///ws/flows/my%20flow.kmflow#L4>) |\n- [`b`](<file:///other/x.kmflow#L9>) (~100 ms)\n[site](https://example.com)';

    it('roots each step link at the folder, `..` for a file outside it, and leaves other links alone', () => {
        expect(previewLinks(md, 'file:///ws')).toBe(
            '| `a` | log | ★ | [4](</flows/my%20flow.kmflow#L4>) |\n- [`b`](</../other/x.kmflow#L9>) (~100 ms)\n[site](https://example.com)');
    });

    it('changes nothing without a folder', () => {
        expect(previewLinks(md, undefined)).toBe(md);
    });
});

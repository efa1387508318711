/**
 * Less clutter: the extension's "last run" lenses go over the workflow only unless
 * `kmflow.lenses.steps` is on, and package.json declares both editor settings with their
 * defaults (the language server reads the same `kmflow` section).
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lensedEntries, STEP_LENSES_SETTING } from '../../src/extension/core/step-lens.js';

const TEXT = `workflow demo "Demo" {
    step a "A" uses t.x { }
    step b "B" uses t.x { depends_on: [a] }
}
`;

describe('step lens setting', () => {
    it('lenses the workflow only by default, and every step when on', () => {
        expect(lensedEntries(TEXT, false).map((e) => [e.kind, e.line])).toEqual([['workflow', 0]]);
        expect(lensedEntries(TEXT, true).map((e) => [e.kind, e.line])).toEqual([['workflow', 0], ['step', 1], ['step', 2]]);
    });

    it('declares kmflow.lenses.steps (off) and kmflow.inlayHints.enabled (on)', () => {
        const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
            contributes: { configuration: { properties: Record<string, { type: string; default: unknown }> } };
        };
        const props = pkg.contributes.configuration.properties;
        expect(STEP_LENSES_SETTING).toBe('kmflow.lenses.steps');
        expect(props['kmflow.lenses.steps']).toMatchObject({ type: 'boolean', default: false });
        expect(props['kmflow.inlayHints.enabled']).toMatchObject({ type: 'boolean', default: true });
    });
});

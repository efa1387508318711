/** The `kmflow` debug type as package.json declares it: breakpoints in kmflow files, a launch configuration and its snippet, the lens's command. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KmflowCommands } from '../../src/language/lsp/kmflow-code-lens-provider.js';

const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    activationEvents: string[];
    contributes: {
        commands: Array<{ command: string }>;
        breakpoints: Array<{ language: string }>;
        debuggers: Array<{ type: string; languages: string[]; configurationAttributes: { launch: { required: string[] } }; configurationSnippets: Array<{ body: Record<string, unknown> }> }>;
    };
};

describe('the kmflow debugger contribution', () => {
    it('allows breakpoints in kmflow files and declares the debug type, its launch and its snippet', () => {
        expect(pkg.contributes.breakpoints).toEqual([{ language: 'kmflow' }]);
        const debuggers = pkg.contributes.debuggers.filter((d) => d.type === 'kmflow');
        expect(debuggers).toHaveLength(1);
        expect(debuggers[0]!.languages).toEqual(['kmflow']);
        expect(debuggers[0]!.configurationAttributes.launch.required).toEqual(['program']);
        expect(debuggers[0]!.configurationSnippets[0]!.body).toMatchObject({ type: 'kmflow', request: 'launch' });
        expect(pkg.activationEvents).toContain('onDebugResolve:kmflow');
    });

    it('contributes the command behind the workflow lens\'s Debug', () => {
        expect(pkg.contributes.commands.map((c) => c.command)).toContain(KmflowCommands.DebugWorkflow);
    });
});

// Lint TypeScript sources, tests and benchmarks; generated code and bundles are not ours to lint.
// The import rules below are the architecture's arrows (docs: README "Layout"): each part may
// import only what lies below it. test/lint/boundaries.test.ts proves each rule fires.
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns naming the parts of src/ a file may not import. */
function parts(...names) {
    return names.flatMap((name) => [`**/${name}`, `**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`]);
}

const restrict = (files, patterns, message) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

export default tseslint.config(
    { ignores: ['out/**', 'node_modules/**', 'src/language/generated/**', '.e2e/**', 'dist/**'] },
    ...tseslint.configs.recommended,
    {
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
            'no-restricted-imports': 'off',
        },
    },
    // The engine is plain Node: never VS Code, never Langium, never a part above it.
    restrict(['src/engine/**/*.ts'], ['vscode', 'langium', 'langium/*', ...parts('language', 'extension', 'cli', 'mcp', 'webview', 'app')],
        'src/engine is plain Node at the bottom of the layers: it imports no VS Code, no Langium and no part above it'),
    // The language imports the engine (and shared), never a front door.
    restrict(['src/language/**/*.ts'], ['vscode', ...parts('extension', 'cli', 'mcp', 'webview', 'app')],
        'src/language is below the front doors: it may import src/engine and src/shared only'),
    // The front doors do not lean on each other's insides, nor on the editor's.
    restrict(['src/mcp/**/*.ts'], ['vscode', ...parts('extension', 'webview')],
        'the MCP face is a front door: it may not import the VS Code extension or the webview'),
    restrict(['src/cli/**/*.ts'], ['vscode', ...parts('extension', 'webview')],
        'the CLI is a front door: it may not import the VS Code extension or the webview'),
    // Shared holds messages and the types they carry: it depends on nothing of ours.
    restrict(['src/shared/**/*.ts'], ['vscode', 'langium', ...parts('engine', 'language', 'extension', 'cli', 'mcp', 'webview', 'app')],
        'src/shared holds messages and their types: it imports no other part'),
);

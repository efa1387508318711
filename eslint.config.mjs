// Lint TypeScript sources, tests and benchmarks; generated code and bundles are not ours to lint.
// The import rules below are the architecture's arrows (docs: README "Layout"): each part may
// import only what lies below it. test/lint/boundaries.test.ts proves each rule fires.
import tseslint from 'typescript-eslint';

/** `no-restricted-imports` patterns naming the parts of src/ a file may not import. */
function parts(...names) {
    return names.flatMap((name) => [`**/${name}`, `**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`]);
}

// The same for `server`, by relative path only: a `server` pattern at any depth would also
// match packages' own folders (`@modelcontextprotocol/sdk/server/index.js`).
const SERVER = ['../server', '../server/*', '../../server', '../../server/*', '../../../server/*'];

const EXTENSION = 'src/extension asks the language server: it may import src/shared, vscode, vscode-languageclient and node: built-ins only';

/**
 * Outside the engine, an engine part is imported through its index (`engine/run/index.js`),
 * its public face, never a file inside it.
 */
const ENGINE_INSIDE = { group: ['**/engine/*/*', '!**/engine/*/index.js', '**/engine/*/*/**'],
    message: 'import an engine part through its index.ts (e.g. ../engine/run/index.js), its public face, not a file inside it' };

/**
 * ENGINE_INSIDE for `import()`, which `no-restricted-imports` does not look at: a lazily loaded
 * engine file is loaded through its part's index too (the index may itself load it lazily).
 */
const ENGINE_INSIDE_LAZY = {
    selector: String.raw`ImportExpression[source.value=/^(\.\.?\x2F)+engine\x2F[a-z-]+\x2F(?!index\.js$)/]`,
    message: ENGINE_INSIDE.message,
};

/** One rule per folder: the last config that sets a rule wins, so a folder's patterns go together. */
const restrict = (files, patterns, message, ...more) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }, ...more] }] },
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
    restrict(['src/engine/**/*.ts'], ['vscode', 'langium', 'langium/*', ...parts('language', 'extension', 'cli', 'mcp', 'webview', 'app'), ...SERVER],
        'src/engine is plain Node at the bottom of the layers: it imports no VS Code, no Langium and no part above it'),
    // The language imports the engine (and shared), never a front door.
    restrict(['src/language/**/*.ts'], ['vscode', ...parts('extension', 'cli', 'mcp', 'webview', 'app'), ...SERVER],
        'src/language is below the front doors: it may import src/engine and src/shared only', ENGINE_INSIDE),
    // The front doors do not lean on each other's insides, nor on the editor's.
    restrict(['src/mcp/**/*.ts'], ['vscode', ...parts('extension', 'webview', 'cli'), ...SERVER],
        'the MCP face is a front door: it may not import the CLI (which starts it), the VS Code extension, the webview or the language server', ENGINE_INSIDE),
    // The application layer is below the front doors.
    restrict(['src/app/**/*.ts'], ['vscode', ...parts('extension', 'cli', 'mcp', 'webview'), ...SERVER],
        'src/app is the layer the front doors call: it may import src/language, src/engine and src/shared only', ENGINE_INSIDE),
    // The language server is a front door over the app layer: never another door's insides.
    restrict(['src/server/**/*.ts'], ['vscode', ...parts('extension', 'cli', 'mcp', 'webview')],
        'src/server (the language server) may import src/app, src/language, src/engine and src/shared, not the CLI, the MCP face, the extension or the webview', ENGINE_INSIDE),
    // The extension is a client of the language server (LSP and its kmflow/* requests): it
    // imports src/shared, VS Code, the language client and Node's built-ins, nothing else.
    {
        files: ['src/extension/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    { group: [...parts('engine', 'language', 'app', 'cli', 'mcp', 'webview'), ...SERVER], message: EXTENSION },
                    { regex: '^(?!\\.|vscode$|vscode-languageclient(/|$)|node:)', message: EXTENSION },
                ],
            }],
        },
    },
    restrict(['src/cli/**/*.ts'], ['vscode', ...parts('extension', 'webview')],
        'the CLI is a front door: it may not import the VS Code extension or the webview', ENGINE_INSIDE),
    // The webview is a browser bundle: the shared messages and pure helpers, and the packages they draw with.
    {
        files: ['src/webview/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    { group: [...parts('engine', 'language', 'app', 'cli', 'mcp', 'extension'), ...SERVER], message: 'src/webview may import src/shared only' },
                    { regex: '^(?!\\.|elkjs/)', message: 'src/webview may import src/shared (and elkjs for layout) only' },
                ],
            }],
        },
    },
    { files: ['src/{language,app,cli,mcp,server}/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ENGINE_INSIDE_LAZY] } },
    // Shared holds messages and the types they carry: it depends on nothing of ours.
    restrict(['src/shared/**/*.ts'], ['vscode', 'langium', ...parts('engine', 'language', 'extension', 'cli', 'mcp', 'webview', 'app'), ...SERVER],
        'src/shared holds messages and their types: it imports no other part'),
);

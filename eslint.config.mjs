// Lint TypeScript sources, tests and benchmarks; generated code and bundles are not ours to lint.
import tseslint from 'typescript-eslint';

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
    {
        // The engine is plain Node: never VS Code, never Langium.
        files: ['src/engine/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', { patterns: ['vscode', 'langium', 'langium/*', '../language/*', '../extension/*'] }],
        },
    },
);

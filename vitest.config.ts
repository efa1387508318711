import { defineConfig } from 'vitest/config';

export default defineConfig({
    plugins: [
        {
            // The bundled catalogs are imported as text, as esbuild's text loader does.
            name: 'kmflow-text',
            transform(code, id) {
                return id.endsWith('.kmflow') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
            },
        },
    ],
    test: {
        include: ['test/**/*.test.ts'],
        exclude: ['test/e2e/**', 'node_modules/**'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        pool: 'forks',
    },
});

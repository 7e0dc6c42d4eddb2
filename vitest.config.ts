import { defineConfig } from 'vitest/config';

/** Unit (Node) and renderer (jsdom, opted in per file) tests. End-to-end tests have their own config. */
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.tsx', 'test/renderer/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});

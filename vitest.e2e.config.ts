import { defineConfig } from 'vitest/config';

/** Playwright (playwright-core + Debian Chromium) against the browser mode of the real app. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

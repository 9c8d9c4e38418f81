import { defineConfig } from 'vitest/config';

// Long learning checks (`npm run test:learning`), kept out of the fast unit suite.
export default defineConfig({
  test: {
    include: ['test/learning/**/*.learning.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites (suites/*.suite.ts) are not run here: they run
// through `npm run conformance`, which starts vitest programmatically with its own configuration.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

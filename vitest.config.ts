import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'migrations/**/*.test.ts',
      'tests/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/src/**/*.test.ts',
    ],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    // The native SQLite addon and child processes are happiest in forked workers.
    pool: 'forks',
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    hookTimeout: 60_000,
  },
});

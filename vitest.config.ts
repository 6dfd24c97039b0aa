import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: on a busy 2-core machine (npm run test:busy) the slowest tests run about five times
    // slower than on an idle one; a hang still fails within the minute.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: child-process and server tests fight for CPU if run many at once.
    maxWorkers: 2,
    // Console output of passing tests is dropped; a failed test, suite or file shows its own.
    // test/support/plugin-log.ts sends the plugin's stderr log lines there too.
    silent: 'passed-only',
    setupFiles: ['test/support/plugin-log.ts'],
  },
});

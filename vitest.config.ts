import { defineConfig } from 'vitest/config';

/**
 * `npx vitest run` runs both projects; `--project unit` needs no DC.
 * Integration tests share two real Samba DCs (test/dc/global-setup.ts), and some
 * stop or modify them, so their files run one at a time.
 */
export default defineConfig({
  test: {
    // stopping the test DCs (global-setup teardown) can take a while on a busy machine
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/dc/global-setup.ts'],
          // restarts a DC left dead by an earlier file
          setupFiles: ['test/dc/ensure-running.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

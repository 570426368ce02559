/**
 * vitest setupFiles for the `integration` project: before each test file,
 * restart a test DC that an earlier file killed and failed to bring back, so
 * one broken test does not turn every later file red.
 */
import { beforeAll, inject } from 'vitest';
import { currentPid, restartDc } from './samba.js';

beforeAll(async () => {
  for (const ctx of [inject('dc'), inject('dc2')]) {
    if (currentPid(ctx) === null) await restartDc(ctx);
  }
}, 120_000);

/**
 * vitest globalSetup for the `integration` project: starts both test forests
 * once per run and hands their contexts to the tests.
 *
 *   import { inject } from 'vitest';
 *   const dc = inject('dc');   // contoso.test: the mixed 2003..2019 org
 *   const dc2 = inject('dc2'); // fabrikam.test: 2019/SE only, >1500 mailboxes, broken bits
 *
 * Tests that stop or modify a DC must put it back (restartDc / saveState+restoreState);
 * teardown finds samba through its pid file, so restarts done by workers are stopped too.
 * With EXBINDER_DC_REUSE=<slot dir> (see scripts/dc-start.ts) the running DCs are used and left running.
 */
import type { TestProject } from 'vitest/node';
import { reuseDcs, startDcs, stopDc, type DcContext } from './samba.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dc: DcContext;
    dc2: DcContext;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // development shortcut: reuse DCs kept running by scripts/dc-start.ts (saves ~15 s per run)
  const reuse = process.env.EXBINDER_DC_REUSE;
  if (reuse) {
    const { contoso, fabrikam } = await reuseDcs(reuse);
    project.provide('dc', contoso);
    project.provide('dc2', fabrikam);
    return async () => undefined;
  }
  const started = Date.now();
  const { contoso, fabrikam } = await startDcs();
  if (process.env.EXBINDER_DC_TIMING) console.log(`test DCs up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('dc', contoso);
  project.provide('dc2', fabrikam);
  return async () => {
    await Promise.all([stopDc(contoso), stopDc(fabrikam)]);
  };
}

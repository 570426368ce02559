/**
 * SIGINT/SIGTERM (Ctrl-C, systemd stop, Task Scheduler end): a run stops
 * cleanly instead of dying mid-write. The handler removes the temp files of
 * writes in flight, runs what the current use case registered (the snapshot
 * job writes its failure record and releases the store lock), then exits
 * 128 + signal number as shells expect. A second signal exits at once.
 */
import { removePendingTempFiles } from '../snapshot/atomic.js';

export type InterruptCleanup = (signal: NodeJS.Signals) => Promise<void>;

const cleanups: InterruptCleanup[] = [];

/** Registers a cleanup for the time a use case runs; call the result to unregister. */
export function onInterrupt(fn: InterruptCleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

const NUMBER: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** Installed once by the CLI entry point. */
export function installSignalHandlers(err: (line: string) => void): void {
  let handling = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const code = 128 + NUMBER[signal]!;
      if (handling) {
        removePendingTempFiles();
        process.exit(code);
      }
      handling = true;
      removePendingTempFiles();
      void (async () => {
        for (const fn of [...cleanups].reverse()) {
          try {
            await fn(signal);
          } catch (e) {
            err(`exbinder: cleanup after ${signal} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        // writes still in flight when the signal came may have made new temp files meanwhile
        removePendingTempFiles();
        err(`exbinder: stopped by ${signal}; nothing partial was written`);
        process.exit(code);
      })();
    });
  }
}

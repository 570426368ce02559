/**
 * Fault harness, store side: runs the real snapshot job (store code
 * unchanged) in a child process and interrupts it at the K-th rename of the
 * run, the moment each step of the store sequence becomes visible.
 *
 *   node --import tsx test/fault/job-child.ts STORE SNAPSHOT.json K kill|term|int|none
 *
 * 'kill' is kill -9 there; 'term'/'int' send the signal and let the handlers
 * of src/run/interrupt.ts run (installed as the CLI installs them). 'none'
 * completes and prints "renames N" so a test knows how many points exist.
 * Every rename is logged on stderr as "rename <target>" before it happens.
 */
import { readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const [store, snapshotFile, kArg, action] = process.argv.slice(2) as [string, string, string, string];
const k = Number(kArg);
const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
const realRename = fsp.rename;
let n = 0;
fsp.rename = async (from, to) => {
  n++;
  process.stderr.write(`rename ${String(to)}\n`);
  if (n === k && action !== 'none') {
    const signal = action === 'kill' ? 'SIGKILL' : action === 'term' ? 'SIGTERM' : 'SIGINT';
    process.kill(process.pid, signal);
    await new Promise(() => setInterval(() => undefined, 1 << 30));
  }
  return realRename(from, to);
};
syncBuiltinESMExports();

const { installSignalHandlers } = await import('../../src/run/interrupt.js');
const { runSnapshotJob } = await import('../../src/run/snapshot-job.js');
installSignalHandlers((line) => process.stderr.write(line + '\n'));
const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
const r = await runSnapshotJob({
  store,
  harvestFn: async () => snapshot,
  renderFn: async (s) => ({ markdown: `# ${s.metadata.harvestedAt}\n`, pdf: Buffer.from(`%PDF-1.4 ${s.metadata.harvestedAt}\n`) }),
});
process.stdout.write(`renames ${n}\nexit ${r.exitCode}\n`);

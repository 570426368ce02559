/**
 * Long fuzz run over every decoder (test/fuzz/targets.ts): the same property
 * as the bounded run in npm test, many more inputs. Prints one line per
 * target: inputs, slowest input, and the first escape (a non-typed error or
 * an input slower than the limit) with its counterexample and seed.
 *
 *   npx tsx scripts/fuzz.ts [runs per target, default 20000] [target name filter]
 * Exit 1 when any target has an escape.
 */
import { TARGETS, fuzzTarget } from '../test/fuzz/targets.js';

const runs = Number(process.argv[2] ?? 20_000);
const filter = process.argv[3]?.toLowerCase();
let escapes = 0;
for (const t of TARGETS) {
  if (filter && !t.name.toLowerCase().includes(filter)) continue;
  const t0 = performance.now();
  const r = fuzzTarget(t, runs, 2000);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${t.name.padEnd(40)} ${String(r.inputs).padStart(7)} inputs  ${s.padStart(6)} s  slowest ${r.slowestMs.toFixed(1)} ms  ${r.failure ? `ESCAPE: ${r.failure}` : 'no escape'}`);
  if (r.failure) escapes++;
}
process.exitCode = escapes ? 1 : 0;

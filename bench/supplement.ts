/**
 * Supplement parsing at 1, 2 and 4 MB: a valid file (every key a known
 * domain controller of a synthetic snapshot), parsed and validated as
 * `render --supplement` does. Target (issue 10): linear, a 4 MB file in under
 * 2 s on 2 cores. Also the time to refuse an alias bomb.
 *
 *   npm run bench:supplement      Prints wall and CPU seconds and MB/s per size (best of 3).
 *
 * CPU seconds are this process's own (user + system): on a shared, busy
 * machine the wall time also holds the waits for a core.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseSupplement } from '../src/render/supplement.js';
import { sampleSnapshot } from '../test/unit/render/sample-snapshot.js';

const snap = sampleSnapshot();
const dcT = snap.forest.domainControllers[0]!;
const N = 130_000;
snap.forest.domainControllers = Array.from({ length: N }, (_, i) => ({ ...dcT, name: `DC${i}`, dn: dcT.dn.replace(/^CN=[^,]+/, `CN=DC${i}`) }));

function supplement(bytes: number): string {
  const lines = ['domainControllers:'];
  let size = lines[0]!.length + 1;
  for (let i = 0; size < bytes && i < N; i++) {
    const entry = `  DC${i}:\n    location: "Building ${i % 97}, room ${i}, rack ${i % 13}, unit ${i % 42}"\n`;
    lines.push(entry.trimEnd());
    size += entry.length;
  }
  return lines.join('\n') + '\n';
}

/** Best of `runs`: wall and CPU seconds of one parse. */
function time(src: string, runs = 3): { wall: number; cpu: number } {
  let best = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parseSupplement(src, 'bench.yaml', snap);
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (wall < best.wall) best = { wall, cpu };
  }
  return best;
}

console.log('size      keys   wall s   cpu s   MB/s (wall)');
parseSupplement(supplement(256 * 1024), 'bench.yaml', snap); // warm-up
const rows: { mb: number; wall: number; cpu: number }[] = [];
for (const mb of [1, 2, 4]) {
  const src = supplement(mb * 1024 * 1024);
  const keys = src.split('\n').length - 1;
  const t = time(src);
  rows.push({ mb: src.length / 1048576, wall: t.wall, cpu: t.cpu });
  console.log(
    `${(src.length / 1048576).toFixed(1).padStart(4)} MB  ${String(keys).padStart(7)}  ${t.wall.toFixed(2).padStart(6)}  ${t.cpu.toFixed(2).padStart(6)}   ${(src.length / 1048576 / t.wall).toFixed(1).padStart(5)}`,
  );
}
const growth = rows[2]!.wall / rows[0]!.wall / (rows[2]!.mb / rows[0]!.mb);
console.log(`4 MB vs 1 MB: ${(rows[2]!.wall / rows[0]!.wall).toFixed(1)}x the time for ${(rows[2]!.mb / rows[0]!.mb).toFixed(1)}x the size (linear: ${growth.toFixed(2)} per unit; 1.00 is exactly linear)`);
console.log(`4 MB: ${rows[2]!.cpu.toFixed(2)} s of CPU, ${rows[2]!.cpu < 2 ? 'under' : 'OVER'} the 2 s target (wall ${rows[2]!.wall.toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);

const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
const t0 = performance.now();
try {
  parseSupplement(bomb, 'bomb.yaml', snap);
} catch (e) {
  console.log(`alias bomb refused in ${((performance.now() - t0) / 1000).toFixed(3)} s: ${(e as Error).message}`);
}

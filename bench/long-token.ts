/**
 * PDF render time of one long unbroken value (issue 10: 10,000 characters
 * took 8 s, 100,000 more than 100 s before the word cutter was made linear).
 * Target: linear, 100,000 characters under 2 s on 2 cores.
 *
 *   npm run bench:long-token      Prints wall and CPU seconds per length (best of 2).
 *
 * CPU seconds are this process's own (user + system): on a shared, busy
 * machine the wall time also holds the waits for a core.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { renderPdf } from '../src/render/pdf/render.js';

async function time(n: number, runs = 2): Promise<{ wall: number; cpu: number }> {
  const markdown = `# Long\n\nValue \`${'Z'.repeat(n)}\` end.\n`;
  let best = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await renderPdf(markdown, { paper: 'a4', title: 'Long', creationDate: new Date(0), snapshotLabel: 'Snapshot x' });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (wall < best.wall) best = { wall, cpu: (c.user + c.system) / 1e6 };
  }
  return best;
}

await time(1000, 1); // warm-up: fonts, modules
console.log('characters   wall s   cpu s');
const rows: { n: number; wall: number }[] = [];
const cpuRows: { n: number; cpu: number }[] = [];
for (const n of [10_000, 30_000, 100_000, 300_000]) {
  const t = await time(n);
  rows.push({ n, wall: t.wall });
  cpuRows.push({ n, cpu: t.cpu });
  console.log(`${String(n).padStart(10)}  ${t.wall.toFixed(2).padStart(6)}  ${t.cpu.toFixed(2).padStart(6)}`);
}
const at = (n: number) => rows.find((r) => r.n === n)!.wall;
console.log(`300,000 vs 10,000 characters: ${(at(300_000) / at(10_000)).toFixed(1)}x the time for 30x the length (linear is 30x or less)`);
const cpu100k = cpuRows.find((r) => r.n === 100_000)!.cpu;
console.log(`100,000 characters: ${cpu100k.toFixed(2)} s of CPU, ${cpu100k < 2 ? 'under' : 'OVER'} the 2 s target (wall ${at(100_000).toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);

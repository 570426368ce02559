/**
 * PDF render time of one long unbroken value (issue 10: 10,000 characters
 * took 8 s, 100,000 more than 100 s before the word cutter was made linear).
 * Target: linear, 100,000 characters under 2 s on 2 cores.
 * Run: npx tsx bench/long-token.ts     Prints seconds per length.
 */
import { performance } from 'node:perf_hooks';
import { renderPdf } from '../src/render/pdf/render.js';

console.log('characters  seconds');
for (const n of [10_000, 30_000, 100_000, 300_000]) {
  const token = 'Z'.repeat(n);
  const markdown = `# Long\n\nValue \`${token}\` end.\n`;
  const t0 = performance.now();
  await renderPdf(markdown, { paper: 'a4', title: 'Long', creationDate: new Date(0), snapshotLabel: 'Snapshot x' });
  console.log(`${String(n).padStart(10)}  ${((performance.now() - t0) / 1000).toFixed(2).padStart(7)}`);
}

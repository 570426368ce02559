/**
 * Supplement parsing at 1, 2 and 4 MB: a valid file (every key a known
 * domain controller or server of a synthetic snapshot), parsed and validated
 * as `render --supplement` does. Target (issue 10): linear, a 4 MB file in
 * under 2 s on 2 cores. Also the time to refuse an alias bomb.
 * Run: npx tsx bench/supplement.ts     Prints seconds and MB/s per size.
 */
import { performance } from 'node:perf_hooks';
import { parseSupplement } from '../src/render/supplement.js';
import { sampleSnapshot } from '../test/unit/render/sample-snapshot.js';

const snap = sampleSnapshot();
const dcT = snap.forest.domainControllers[0]!;
const N = 60_000;
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

console.log('size      keys    seconds   MB/s');
for (const mb of [1, 2, 4]) {
  const src = supplement(mb * 1024 * 1024);
  const keys = src.split('\n').length - 1;
  parseSupplement(src, 'bench.yaml', snap); // warm-up
  const t0 = performance.now();
  parseSupplement(src, 'bench.yaml', snap);
  const s = (performance.now() - t0) / 1000;
  console.log(`${(src.length / 1048576).toFixed(1).padStart(4)} MB  ${String(keys).padStart(7)}  ${s.toFixed(2).padStart(7)}  ${(src.length / 1048576 / s).toFixed(1).padStart(5)}`);
}
const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
const t0 = performance.now();
try {
  parseSupplement(bomb, 'bomb.yaml', snap);
} catch (e) {
  console.log(`alias bomb refused in ${((performance.now() - t0) / 1000).toFixed(3)} s: ${(e as Error).message}`);
}

import { readPages } from './scripts/layout-check.ts';
const [file, ...pages] = process.argv.slice(2);
const all = readPages(file!);
for (const n of pages.map(Number)) {
  const p = all[n - 1]!;
  const lines = new Map<number, string[]>();
  for (const r of p.runs) if (r.bold && r.size >= 15 && !r.grey) lines.set(r.top, [...(lines.get(r.top) ?? []), r.text]);
  console.log(n, JSON.stringify([...lines.entries()].sort((a, b) => a[0] - b[0]).map(([t, x]) => `${t}:${x.join('')}`)));
}

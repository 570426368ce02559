/**
 * One binder render in a process of its own (bench/render.ts measures its peak
 * RSS), over the BUILT code (dist/), the way `exbinder render` runs it.
 *
 *   node bench/render-child.mjs <snapshot.json> <out-prefix>
 *
 * Writes <out-prefix>.md and <out-prefix>.pdf; prints one JSON line:
 * loadSeconds, markdownSeconds (view model + Handlebars), pdfSeconds
 * (Markdown + PDF, what `exbinder render --format pdf` does after loading),
 * maxRssMb.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadSnapshot } from '../dist/snapshot/migrate.js';
import { renderBinder } from '../dist/run/render-command.js';

const [, , snapshotPath, prefix] = process.argv;
let t = performance.now();
const snapshot = await loadSnapshot(snapshotPath);
const loadSeconds = (performance.now() - t) / 1000;
t = performance.now();
const md = await renderBinder(snapshot, { paper: 'a4' }, false);
const markdownSeconds = (performance.now() - t) / 1000;
t = performance.now();
const binder = await renderBinder(snapshot, { paper: 'a4' }, true);
const pdfSeconds = (performance.now() - t) / 1000;
writeFileSync(`${prefix}.md`, md.markdown);
writeFileSync(`${prefix}.pdf`, binder.pdf);
console.log(JSON.stringify({ loadSeconds, markdownSeconds, pdfSeconds, markdownBytes: Buffer.byteLength(md.markdown), pdfBytes: binder.pdf.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

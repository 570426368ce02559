/**
 * One binder render in a process of its own (bench/render.ts measures its peak
 * RSS), over the BUILT code (dist/), the way `exbinder render` runs it.
 *
 *   node bench/render-child.mjs <snapshot.json> <out-file> md|pdf
 *
 * md: view model + Handlebars; pdf: the same Markdown drawn to PDF (what
 * `exbinder render --format pdf` does after loading the snapshot). Prints one
 * JSON line: loadSeconds, seconds, cpuSeconds (user + system, all threads:
 * the figure that does not move with the machine's load), bytes, maxRssMb.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadSnapshot } from '../dist/snapshot/migrate.js';
import { renderBinder } from '../dist/render/index.js';
import { attributeSpelling } from '../dist/harvest/registry.js';

const [, , snapshotPath, out, format] = process.argv;
let t = performance.now();
const snapshot = await loadSnapshot(snapshotPath);
const loadSeconds = (performance.now() - t) / 1000;
t = performance.now();
const cpu = process.cpuUsage();
const binder = await renderBinder(snapshot, { paper: 'a4', pdf: format === 'pdf', attributeSpelling });
const seconds = (performance.now() - t) / 1000;
const { user, system } = process.cpuUsage(cpu);
const bytes = format === 'pdf' ? binder.pdf : Buffer.from(binder.markdown, 'utf8');
writeFileSync(out, bytes);
console.log(JSON.stringify({ loadSeconds, seconds, cpuSeconds: (user + system) / 1e6, bytes: bytes.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

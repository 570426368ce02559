/**
 * The floor for the PDF binder: pdfkit itself writing the binder's Markdown
 * lines as plain text, DejaVu Sans 9 pt, A4, no layout of ours at all (pdfkit
 * wraps and adds pages). What pdfkit costs for the same text, in a process of
 * its own so its peak RSS is its own.
 *
 *   node bench/render-floor.mjs <binder.md> <out.pdf>
 *
 * Prints one JSON line: seconds, cpuSeconds, pages, bytes, maxRssMb.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';

const [, , mdFile, out] = process.argv;
const require = createRequire(import.meta.url);
const font = readFileSync(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'));
const markdown = readFileSync(mdFile, 'utf8');

const t = performance.now();
const cpu = process.cpuUsage();
const doc = new PDFDocument({ size: 'A4', margins: { top: 58, bottom: 54, left: 50, right: 50 } });
const chunks = [];
doc.on('data', (c) => chunks.push(c));
const done = new Promise((resolve) => doc.on('end', resolve));
let pages = 1;
doc.on('pageAdded', () => pages++);
doc.registerFont('body', font);
doc.font('body').fontSize(9);
for (const line of markdown.split('\n')) doc.text(line);
doc.end();
await done;
const seconds = (performance.now() - t) / 1000;
const { user, system } = process.cpuUsage(cpu);
const pdf = Buffer.concat(chunks);
writeFileSync(out, pdf);
console.log(JSON.stringify({ seconds, cpuSeconds: (user + system) / 1e6, pages, bytes: pdf.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

/**
 * Binder render of the large organization: Markdown and PDF, timed, pages
 * counted with poppler's pdfinfo, peak RSS of the rendering process.
 *
 *   npx tsx bench/render.ts [snapshot.json] [--runs 3] [--no-build]
 *
 * Default input: /tmp/exbinder-bench/largecorp.ldap.snapshot.json, the live
 * harvest written by bench/harvest.ts (60 servers, 1,200 databases, 30,000
 * mailboxes by default). With --ldif <export> the snapshot is harvested first
 * from that export (e.g. /tmp/exbinder-bench/largecorp.export.ldif): no DC needed.
 * Target: PDF under 10 s and 400 MB on a 2-core machine.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const sh = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');
const BENCH_DIR = '/tmp/exbinder-bench';

interface ChildResult { loadSeconds: number; seconds: number; bytes: number; maxRssMb: number }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const runs = Number.parseInt(arg('--runs') ?? '3', 10);
  if (!process.argv.includes('--no-build')) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  let snapshot = process.argv.slice(2).find((a, i, xs) => !a.startsWith('--') && !['--runs', '--ldif'].includes(xs[i - 1] ?? ''))
    ?? join(BENCH_DIR, 'largecorp.ldap.snapshot.json');
  const ldif = arg('--ldif');
  if (ldif) {
    snapshot = join(BENCH_DIR, 'largecorp.render-input.snapshot.json');
    const { stdout } = await sh(process.execPath, [join(REPO, 'bench', 'harvest-child.mjs'), JSON.stringify({ ldif: resolve(ldif) }), snapshot], { maxBuffer: 64 << 20 });
    console.log(`harvested ${ldif} offline in ${(JSON.parse(stdout) as { seconds: number }).seconds.toFixed(2)} s`);
  }
  if (!existsSync(snapshot)) throw new Error(`${snapshot} does not exist: run npx tsx bench/harvest.ts first, or give --ldif <export>`);

  const prefix = join(BENCH_DIR, 'largecorp.binder');
  // each format in its own process, so the PDF's peak RSS is what `exbinder render --format pdf` needs
  const child = async (format: 'md' | 'pdf'): Promise<ChildResult> => {
    const { stdout } = await sh(process.execPath, [join(REPO, 'bench', 'render-child.mjs'), snapshot, `${prefix}.${format}`, format], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as ChildResult;
  };
  const md: ChildResult[] = [];
  const pdf: ChildResult[] = [];
  for (let run = 1; run <= runs; run++) {
    const m = await child('md');
    const p = await child('pdf');
    md.push(m);
    pdf.push(p);
    console.log(`run ${run}: Markdown ${m.seconds.toFixed(2)} s (peak RSS ${m.maxRssMb.toFixed(0)} MB) | PDF ${p.seconds.toFixed(2)} s ` +
      `(peak RSS ${p.maxRssMb.toFixed(0)} MB) | snapshot load ${p.loadSeconds.toFixed(2)} s`);
  }
  const info = execFileSync('pdfinfo', [`${prefix}.pdf`], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const pdfSeconds = median(pdf.map((r) => r.seconds));
  const rss = Math.max(...pdf.map((r) => r.maxRssMb));
  console.log('');
  console.log(`snapshot:               ${snapshot}`);
  console.log(`Markdown (median):      ${median(md.map((r) => r.seconds)).toFixed(2)} s, ${(md[0]!.bytes / 1e6).toFixed(1)} MB, peak RSS ${Math.max(...md.map((r) => r.maxRssMb)).toFixed(0)} MB`);
  console.log(`PDF (median of ${runs}):     ${pdfSeconds.toFixed(2)} s, ${pages} pages, ${(pdf[0]!.bytes / 1e6).toFixed(1)} MB  (target < 10 s: ${pdfSeconds < 10 ? 'met' : 'MISSED'})`);
  console.log(`PDF peak RSS (max):     ${rss.toFixed(0)} MB  (target < 400 MB: ${rss < 400 ? 'met' : 'MISSED'})`);
  console.log(`output:                 ${prefix}.md, ${prefix}.pdf`);
}

main().catch((e: Error) => {
  console.error(`bench/render: ${e.message}`);
  process.exit(1);
});

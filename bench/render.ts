/**
 * Binder render at scale, beside the pdfkit floor. For each organization:
 * the binder's Markdown, the PDF (`exbinder render --format pdf` over the
 * built code), and the floor: pdfkit itself writing the same Markdown lines
 * as plain text in DejaVu Sans 9 pt (bench/render-floor.mjs), each in a
 * process of its own (peak RSS is that process's), runs interleaved so both
 * see the same machine. Pages counted with poppler's pdfinfo.
 *
 *   npx tsx bench/render.ts [--runs 3] [--no-build] [--only real2019|bench] [bench-snapshot.json]
 *
 * Organizations:
 * - real2019: shaped like a real Exchange 2019 organization (scripts/gen-large-org.ts
 *   REAL2019: 60 servers in 6 DAGs of 10, 20 databases per server with 2 copies,
 *   12 virtual directories and 3 receive connectors per server, Frontend/Mailbox
 *   transport objects, 8,000 mailboxes); its snapshot is harvested from a test DC
 *   the first time (bench/real2019-snapshot.ts, a few minutes) and reused.
 * - bench: the harvest bench's organization (/tmp/exbinder-bench/largecorp.ldap.snapshot.json
 *   from bench/harvest.ts, or the snapshot given), when present.
 * Targets (issue 11, real2019; largecorp is held to the same): the PDF no
 * slower than the floor, judged on CPU time (user + system of the child, all
 * threads): on a shared 2-core machine one process's wall clock moves by 2x
 * between runs, its CPU time much less (the wall ratio is printed too); and
 * peak RSS <= 300 MB. Each run prints the load average it ran under; the last
 * lines say PASS or FAIL per target.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_DIR, real2019Snapshot } from './real2019-snapshot.js';

const sh = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');

interface ChildResult { seconds: number; cpuSeconds: number; bytes: number; maxRssMb: number }
interface FloorResult extends ChildResult { pages: number }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pagesOf = (pdf: string) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);

async function node<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await sh(process.execPath, [join(REPO, 'bench', script), ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as T;
}

async function benchOrg(name: string, snapshot: string, runs: number): Promise<string[]> {
  const prefix = join(BENCH_DIR, `${name}.binder`);
  const md: ChildResult[] = [];
  const pdf: ChildResult[] = [];
  const floor: FloorResult[] = [];
  const loads: number[] = [];
  for (let run = 1; run <= runs; run++) {
    loads.push(loadavg()[0] as number);
    md.push(await node<ChildResult>('render-child.mjs', [snapshot, `${prefix}.md`, 'md']));
    const p = await node<ChildResult>('render-child.mjs', [snapshot, `${prefix}.pdf`, 'pdf']);
    const f = await node<FloorResult>('render-floor.mjs', [`${prefix}.md`, `${prefix}.floor.pdf`]);
    pdf.push(p);
    floor.push(f);
    console.log(`${name} run ${run}: PDF ${p.seconds.toFixed(2)} s, CPU ${p.cpuSeconds.toFixed(2)} s (peak RSS ${p.maxRssMb.toFixed(0)} MB) | ` +
      `floor ${f.seconds.toFixed(2)} s, CPU ${f.cpuSeconds.toFixed(2)} s (peak RSS ${f.maxRssMb.toFixed(0)} MB) | ` +
      `ratio ${(p.seconds / f.seconds).toFixed(2)}, CPU ${(p.cpuSeconds / f.cpuSeconds).toFixed(2)} | load ${(loads[run - 1] as number).toFixed(1)}`);
  }
  loads.push(loadavg()[0] as number);
  const pages = pagesOf(`${prefix}.pdf`);
  const floorPages = pagesOf(`${prefix}.floor.pdf`);
  const t = median(pdf.map((r) => r.seconds));
  const tf = median(floor.map((r) => r.seconds));
  const ratio = median(pdf.map((r, i) => r.seconds / floor[i]!.seconds));
  const cpuRatio = median(pdf.map((r, i) => r.cpuSeconds / floor[i]!.cpuSeconds));
  const cpu = (rs: ChildResult[]) => median(rs.map((r) => r.cpuSeconds)).toFixed(2);
  const rss = Math.max(...pdf.map((r) => r.maxRssMb));
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    `${name}: ${snapshot} (load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${cpus().length} cores)`,
    `  Markdown (median):    ${median(md.map((r) => r.seconds)).toFixed(2)} s, ${(md[0]!.bytes / 1e6).toFixed(1)} MB, peak RSS ${Math.max(...md.map((r) => r.maxRssMb)).toFixed(0)} MB`,
    `  PDF (median of ${runs}):   ${t.toFixed(2)} s (CPU ${cpu(pdf)} s), ${pages} pages, ${(pages / t).toFixed(0)} pages/s (${(pages / Number(cpu(pdf))).toFixed(0)} per CPU second), ${(pdf[0]!.bytes / 1e6).toFixed(1)} MB, peak RSS ${rss.toFixed(0)} MB`,
    `  floor (median):       ${tf.toFixed(2)} s (CPU ${cpu(floor)} s), ${floorPages} pages, ${(floorPages / tf).toFixed(0)} pages/s (${(floorPages / Number(cpu(floor))).toFixed(0)} per CPU second), peak RSS ${Math.max(...floor.map((r) => r.maxRssMb)).toFixed(0)} MB`,
    `  PDF / floor (median of per-run ratios): CPU time ${cpuRatio.toFixed(2)}, wall ${ratio.toFixed(2)}`,
    `  targets: CPU time ratio ${cpuRatio.toFixed(2)} <= 1: ${verdict(cpuRatio <= 1)}; peak RSS ${rss.toFixed(0)} MB <= 300 MB: ${verdict(rss <= 300)}`,
  ];
}


async function main(): Promise<void> {
  const runs = Number.parseInt(arg('--runs') ?? '3', 10);
  const only = arg('--only');
  if (!process.argv.includes('--no-build')) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  const report: string[] = [];
  if (only !== 'bench') report.push(...await benchOrg('real2019', await real2019Snapshot(), runs));
  const given = process.argv.slice(2).find((a, i, xs) => !a.startsWith('--') && !['--runs', '--only'].includes(xs[i - 1] ?? ''));
  const benchSnapshot = given ?? join(BENCH_DIR, 'largecorp.ldap.snapshot.json');
  if (only !== 'real2019') {
    if (existsSync(benchSnapshot)) report.push(...await benchOrg('largecorp', benchSnapshot, runs));
    else report.push(`largecorp: ${benchSnapshot} does not exist (npx tsx bench/harvest.ts writes it): skipped`);
  }
  console.log('');
  for (const line of report) console.log(line);
}

main().catch((e: Error) => {
  console.error(`bench/render: ${e.message}`);
  process.exit(1);
});

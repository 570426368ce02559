/**
 * Harvest of a large organization from a real (Samba) DC, against ldapsearch
 * reading the same entries with the same attributes from the same DC.
 *
 *   npx tsx bench/harvest.ts [--servers 60 --databases 1200 --mailboxes 30000] [--runs 3] [--keep]
 *   npx tsx bench/harvest.ts --use /tmp/exbinder-dc-slot0/largecorp    # reuse a DC left by --keep
 *
 * Steps: build (tsc) → generate the org (scripts/gen-large-org.ts) → start a
 * test DC with it (timed: the load) → per run: the harvest in a child process
 * (bench/harvest-child.mjs over the built code: LDAPS, CA verified, the
 * ordinary reader account) and ldapsearch (LDAPS, same CA and account, paged
 * pr=1000, output to /dev/null) replaying exactly the requests the harvest
 * logged, incl. the homeMDBBL range follow-ups → an export of those requests
 * with ldapsearch (like scripts/dc-export.ts) and the offline harvest of it.
 *
 * The harvest runs independent searches concurrently on its one connection;
 * ldapsearch replays the same requests one after another (in the order the
 * harvest started them), as an admin would.
 *
 * Each run also harvests once with --no-repl-metadata: the cost of change
 * attribution (time, replPropertyMetaData bytes received, snapshot bytes).
 *
 * Targets: harvest / ldapsearch ≤ 1.3, harvest peak RSS < 300 MB.
 * Output files (export LDIF, snapshots) go to /tmp/exbinder-bench/ for bench/render.ts.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { generateLargeOrg, LARGE_DEFAULTS, LARGE_DOMAIN, LARGE_ORG_NAME } from '../scripts/gen-large-org.js';
import { readContext, startDc, stopDc, type DcContext } from '../test/dc/samba.js';
import type { SearchRequest } from '../src/source/directory.js';
import { RANGE_WINDOW } from '../src/source/ldap.js';

const sh = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');
export const BENCH_DIR = '/tmp/exbinder-bench';

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  searches: number;
  metadataSearches: number;
  entries: number;
  maxRssMb: number;
  requests: SearchRequest[];
  ranged: { dn: string; attribute: string; values: number }[];
  replBytes: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const intArg = (name: string, d: number) => (arg(name) === undefined ? d : Number.parseInt(arg(name)!, 10));
const secs = (t: number) => (performance.now() - t) / 1000;

/** Runs bench/harvest-child.mjs; its stdout is one JSON line. */
async function harvestChild(opts: object, out: string): Promise<ChildResult> {
  const { stdout } = await sh(process.execPath, [join(REPO, 'bench', 'harvest-child.mjs'), JSON.stringify(opts), out], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as ChildResult;
}

/** The attribute list the LDAP source sends for a request (src/source/ldap.ts search()). */
function wireAttributes(r: SearchRequest, rangedWindows: boolean): string[] {
  const ranged = new Set((r.rangedAttributes ?? []).map((a) => a.toLowerCase()));
  const plain = [...new Set([...r.attributes.filter((a) => !ranged.has(a.toLowerCase())), ...(r.binaryAttributes ?? [])])];
  return [...plain, ...[...ranged].map((a) => (rangedWindows ? `${a};range=0-${RANGE_WINDOW - 1}` : a))];
}

/** Every ldapsearch the harvest's traffic corresponds to: root DSE, the searches, the range follow-ups. */
function ldapsearchPlan(child: ChildResult, rangedWindows: boolean): string[][] {
  const plan: string[][] = [['-b', '', '-s', 'base', '(objectClass=*)', 'configurationNamingContext', 'schemaNamingContext',
    'defaultNamingContext', 'rootDomainNamingContext', 'dnsHostName', 'namingContexts']];
  for (const r of child.requests) {
    // like the LDAP source (src/source/sd-flags-control.ts): the SD flags control whenever nTSecurityDescriptor is asked
    const sd = [...r.attributes, ...(r.binaryAttributes ?? [])].some((a) => a.toLowerCase() === 'ntsecuritydescriptor') ? ['-E', SD_FLAGS_OWNER_GROUP_DACL] : [];
    plan.push(['-E', 'pr=1000/noprompt', ...sd, '-b', r.base, '-s', r.scope, r.filter, ...wireAttributes(r, rangedWindows)]);
  }
  if (rangedWindows) {
    for (const x of child.ranged) {
      for (let lo = RANGE_WINDOW; lo < x.values; lo += RANGE_WINDOW) {
        plan.push(['-b', x.dn, '-s', 'base', '(objectClass=*)', `${x.attribute.toLowerCase()};range=${lo}-${lo + RANGE_WINDOW - 1}`]);
      }
    }
  }
  return plan;
}

function ldapsearchArgs(dc: DcContext, rest: string[]): string[] {
  return ['-LLL', '-o', 'ldif-wrap=no', '-H', dc.ldapsUrl, '-D', dc.readerUpn, '-y', dc.passwordFile, ...rest];
}
const ldapEnv = (dc: DcContext) => ({ ...process.env, LDAPTLS_CACERT: dc.caFile, LDAPTLS_REQCERT: 'demand' });

/** ldapsearch with stdout straight to a file descriptor (/dev/null or the export). */
function ldapsearchTo(dc: DcContext, rest: string[], fd: number): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn('ldapsearch', ldapsearchArgs(dc, rest), { env: ldapEnv(dc), stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`ldapsearch ${rest.slice(0, 6).join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

async function timeLdapsearch(dc: DcContext, plan: string[][]): Promise<number> {
  const fd = openSync('/dev/null', 'w');
  try {
    const t = performance.now();
    for (const rest of plan) await ldapsearchTo(dc, rest, fd);
    return secs(t);
  } finally {
    closeSync(fd);
  }
}

/** The export an admin would make of the same searches: plain (unranged) attributes, as scripts/dc-export.ts does. */
async function exportLdif(dc: DcContext, child: ChildResult, file: string): Promise<void> {
  const tmp = `${file}.partial`;
  const parts: string[] = ['version: 1'];
  for (const rest of ldapsearchPlan(child, false)) {
    const { stdout } = await sh('ldapsearch', ldapsearchArgs(dc, rest), { env: ldapEnv(dc), maxBuffer: 1 << 30 });
    // pr=…/noprompt leaves "# pagedresults" comments even with -LLL
    parts.push('', stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim());
  }
  writeFileSync(tmp, parts.join('\n') + '\n');
  renameSync(tmp, file);
}

/** ldapsearch -E value of LDAP_SERVER_SD_FLAGS_OID with OWNER|GROUP|DACL: BER SEQUENCE { INTEGER 7 }. */
const SD_FLAGS_OWNER_GROUP_DACL = `1.2.840.113556.1.4.801=::${Buffer.from([0x30, 0x03, 0x02, 0x01, 0x07]).toString('base64')}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const size = {
    servers: intArg('--servers', LARGE_DEFAULTS.servers), databases: intArg('--databases', LARGE_DEFAULTS.databases),
    mailboxes: intArg('--mailboxes', LARGE_DEFAULTS.mailboxes), seed: intArg('--seed', LARGE_DEFAULTS.seed),
  };
  const runs = intArg('--runs', 3);
  const use = arg('--use') ?? process.env.EXBINDER_BENCH_DC;
  mkdirSync(BENCH_DIR, { recursive: true });

  if (!process.argv.includes('--no-build')) {
    const t = performance.now();
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
    console.log(`build: ${secs(t).toFixed(1)} s`);
  }

  let dc: DcContext;
  let started = false;
  if (use) {
    dc = readContext(resolve(use));
    console.log(`reusing the DC in ${dc.workDir} (${dc.host})`);
  } else {
    const file = join(BENCH_DIR, 'largecorp.org.ldif');
    const t = performance.now();
    const { text, counts } = generateLargeOrg(size);
    writeFileSync(file, text);
    console.log(`generated ${counts.records} records (${(text.length / 1e6).toFixed(1)} MB) in ${secs(t).toFixed(1)} s: ` +
      `${counts.servers} servers, ${counts.databases} databases, ${counts.copies} copies, ${counts.virtualDirectories} vdirs, ` +
      `${counts.receiveConnectors} receive connectors, ${counts.mailboxes} mailboxes`);
    process.env.EXBINDER_DC_TIMING = '1'; // samba.ts prints each provisioning phase, "org" is the load
    const t2 = performance.now();
    dc = await startDc({ org: { domain: LARGE_DOMAIN, orgName: LARGE_ORG_NAME, file } });
    started = true;
    console.log(`DC ${dc.host} up with the org loaded after ${secs(t2).toFixed(1)} s (work dir ${dc.workDir})`);
  }

  try {
    const ldapOpts = { url: dc.ldapsUrl, bindDn: dc.readerUpn, passwordFile: dc.passwordFile, caFile: dc.caFile };
    const liveSnapshot = join(BENCH_DIR, 'largecorp.ldap.snapshot.json');
    const rows: { harvest: number; ldapsearch: number; rss: number; withoutRepl: number; cpu: number; cpuWithoutRepl: number }[] = [];
    const withoutReplSnapshot = join(BENCH_DIR, 'largecorp.ldap.no-repl.snapshot.json');
    let without: ChildResult | null = null;
    let last: ChildResult | null = null;
    for (let run = 1; run <= runs; run++) {
      const child = await harvestChild(ldapOpts, liveSnapshot);
      const plan = ldapsearchPlan(child, true);
      const ls = await timeLdapsearch(dc, plan);
      without = await harvestChild({ ...ldapOpts, replMetadata: false }, withoutReplSnapshot);
      rows.push({ harvest: child.seconds, ldapsearch: ls, rss: child.maxRssMb, withoutRepl: without.seconds, cpu: child.cpuSeconds, cpuWithoutRepl: without.cpuSeconds });
      console.log(`run ${run}: harvest ${child.seconds.toFixed(2)} s (${child.entries} entries, ${child.searches} searches, ` +
        `peak RSS ${child.maxRssMb.toFixed(0)} MB) | ldapsearch ${ls.toFixed(2)} s (${plan.length} invocations) | ratio ${(child.seconds / ls).toFixed(2)}` +
        ` | --no-repl-metadata ${without.seconds.toFixed(2)} s | CPU ${child.cpuSeconds.toFixed(2)} s, without ${without.cpuSeconds.toFixed(2)} s`);
      last = child;
    }
    const child = last!;

    // offline: export the same searches with ldapsearch, harvest the export through the LDIF source
    const exportFile = join(BENCH_DIR, 'largecorp.export.ldif');
    const t = performance.now();
    await exportLdif(dc, child, exportFile);
    const exportSeconds = secs(t);
    const offline = await harvestChild({ ldif: exportFile }, join(BENCH_DIR, 'largecorp.ldif.snapshot.json'));
    const live = JSON.parse(readFileSync(liveSnapshot, 'utf8')) as { databases: { mailboxCount: number | null }[] };
    const off = JSON.parse(readFileSync(join(BENCH_DIR, 'largecorp.ldif.snapshot.json'), 'utf8')) as typeof live;
    const sum = (s: typeof live) => s.databases.reduce((n, d) => n + (d.mailboxCount ?? 0), 0);

    const h = median(rows.map((r) => r.harvest));
    const l = median(rows.map((r) => r.ldapsearch));
    const rss = Math.max(...rows.map((r) => r.rss));
    const ratio = h / l;
    console.log('');
    console.log(`entries read:            ${child.entries} (+ ${child.ranged.length} ranged homeMDBBL follow-up entries)`);
    const followUps = child.searches - 1 - child.requests.length;
    console.log(`searches issued:         ${child.searches} (root DSE, ${child.requests.length} harvest searches, ${followUps} homeMDBBL range follow-up${followUps === 1 ? '' : 's'}; snapshot metadata says ${child.metadataSearches})`);
    console.log(`harvest (median of ${runs}):   ${h.toFixed(2)} s`);
    console.log(`ldapsearch (median):     ${l.toFixed(2)} s  (the same ${child.searches} requests, one after another; the harvest overlaps independent ones on its one connection)`);
    console.log(`ratio:                   ${ratio.toFixed(2)}  (target ≤ 1.3: ${ratio <= 1.3 ? 'met' : 'MISSED'})`);
    console.log(`harvest peak RSS (max):  ${rss.toFixed(0)} MB  (target < 300 MB: ${rss < 300 ? 'met' : 'MISSED'})`);
    const hw = median(rows.map((r) => r.withoutRepl));
    const mb = (n: number) => (n / 1e6).toFixed(2);
    const c = median(rows.map((r) => r.cpu));
    const cw = median(rows.map((r) => r.cpuWithoutRepl));
    console.log(`replPropertyMetaData:    +${(h - hw).toFixed(2)} s (median ${hw.toFixed(2)} s without it, ${(((h - hw) / hw) * 100).toFixed(0)} %), ` +
      `CPU +${(c - cw).toFixed(2)} s (median ${c.toFixed(2)} s vs ${cw.toFixed(2)} s, ${(((c - cw) / cw) * 100).toFixed(0)} %), ` +
      `${mb(child.replBytes)} MB of values received, peak RSS ${without!.maxRssMb.toFixed(0)} MB without it; ` +
      `snapshot ${mb(statSync(liveSnapshot).size)} MB vs ${mb(statSync(withoutReplSnapshot).size)} MB without it`);
    console.log(`export (ldapsearch):     ${exportSeconds.toFixed(2)} s, ${(statSync(exportFile).size / 1e6).toFixed(1)} MB → ${exportFile}`);
    const { metadata: _l, ...liveBody } = live as Record<string, unknown>;
    const { metadata: _o, ...offBody } = off as Record<string, unknown>;
    console.log(`offline LDIF harvest:    ${offline.seconds.toFixed(2)} s, peak RSS ${offline.maxRssMb.toFixed(0)} MB, ` +
      `mailboxes ${sum(off)} (live ${sum(live)}), databases ${off.databases.length} (live ${live.databases.length}), ` +
      `snapshot body ${JSON.stringify(liveBody) === JSON.stringify(offBody) ? 'identical to' : 'DIFFERS from'} the live one`);
  } finally {
    if (started && !process.argv.includes('--keep')) await stopDc(dc);
    else if (started) console.log(`DC kept: reuse with --use ${dc.workDir}`);
  }
}

main().catch((e: Error) => {
  console.error(`bench/harvest: ${e.message}`);
  process.exit(1);
});

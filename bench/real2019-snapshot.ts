/**
 * The render bench's real-shaped organization as a snapshot: generates it
 * (scripts/gen-large-org.ts REAL2019: 60 Exchange 2019 servers in 6 DAGs of 10,
 * 1,200 databases with 2 copies each, 12 virtual directories and 3 receive
 * connectors per server, 8,000 mailboxes), loads it into a throwaway Samba DC
 * (test/dc/samba.ts), harvests it over LDAPS with the built code
 * (bench/harvest-child.mjs) and stops the DC. A few minutes; the snapshot is
 * kept in /tmp/exbinder-bench/ and reused by bench/render.ts.
 *
 *   npx tsx bench/real2019-snapshot.ts [--force]
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateLargeOrg, LARGE_DOMAIN, LARGE_ORG_NAME, REAL2019 } from '../scripts/gen-large-org.js';
import { startDc, stopDc } from '../test/dc/samba.js';
import { SCHEMA_VERSION } from '../src/snapshot/model.js';

const sh = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');
export const BENCH_DIR = '/tmp/exbinder-bench';
export const REAL2019_SNAPSHOT = join(BENCH_DIR, 'real2019.snapshot.json');

/** The kept snapshot's schema version, or null when there is none. */
function keptVersion(): number | null {
  if (!existsSync(REAL2019_SNAPSHOT)) return null;
  const head = Buffer.alloc(200);
  const fd = openSync(REAL2019_SNAPSHOT, 'r');
  try { readSync(fd, head, 0, head.length, 0); } finally { closeSync(fd); }
  return Number(/"schemaVersion":\s*(\d+)/.exec(head.toString('utf8'))?.[1] ?? 0);
}

export async function real2019Snapshot(force = false): Promise<string> {
  // harvested again once the model moved on: the nightly job renders what it just harvested, never a lifted old snapshot
  const kept = keptVersion();
  if (kept === SCHEMA_VERSION && !force) return REAL2019_SNAPSHOT;
  if (kept !== null && kept !== SCHEMA_VERSION) console.log(`the kept snapshot has schemaVersion ${kept}, this exbinder writes ${SCHEMA_VERSION}: harvesting it again`);
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, 'real2019.org.ldif');
  const { text, counts } = generateLargeOrg(REAL2019);
  writeFileSync(file, text);
  console.log(`generated the real-shaped 2019 org: ${counts.servers} servers, ${counts.dags} DAGs, ${counts.databases} databases, ` +
    `${counts.virtualDirectories} vdirs, ${counts.receiveConnectors} receive connectors, ${counts.mailboxes} mailboxes; loading it into a DC`);
  const dc = await startDc({ org: { domain: LARGE_DOMAIN, orgName: LARGE_ORG_NAME, file } });
  try {
    const opts = { url: dc.ldapsUrl, bindDn: dc.readerUpn, passwordFile: dc.passwordFile, caFile: dc.caFile };
    await sh(process.execPath, [join(REPO, 'bench', 'harvest-child.mjs'), JSON.stringify(opts), REAL2019_SNAPSHOT], { maxBuffer: 64 << 20 });
  } finally {
    await stopDc(dc);
  }
  console.log(`harvested to ${REAL2019_SNAPSHOT}`);
  return REAL2019_SNAPSHOT;
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  real2019Snapshot(process.argv.includes('--force')).catch((e: Error) => { console.error(`bench/real2019-snapshot: ${e.message}`); process.exit(1); });
}

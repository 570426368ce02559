/**
 * Diff of two large snapshots: 60 servers, 1,200 databases (2 copies each),
 * 600 virtual directories and 600 receive connectors, then ~2% of the
 * objects mutated (paths, URLs, renames, moves, additions, removals).
 * Run: npx tsx bench/diff.ts      Prints seconds and peak RSS.
 */
import { performance } from 'node:perf_hooks';
import { diffSnapshots } from '../src/snapshot/diff.js';
import type { Snapshot } from '../src/snapshot/model.js';
import { sampleSnapshot } from '../test/unit/render/sample-snapshot.js';
import { FIELD_ATTRIBUTES } from '../src/harvest/registry.js';

const SERVERS = 60;
const DATABASES = 1200;
const VDIRS = 600;
const CONNECTORS = 600;

let n = 0;
const guid = () => `10000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;

function scale(): Snapshot {
  const s = sampleSnapshot();
  const [srvT] = s.servers.filter((x) => x.name === 'EX2016');
  const dbT = s.databases.find((d) => d.name === 'DB01')!;
  const vdT = s.virtualDirectories[0]!;
  const rcT = s.receiveConnectors[0]!;
  const ag = srvT!.dn.slice(srvT!.dn.indexOf(',CN=Servers,') + 1);
  const serverDn = (i: number) => `CN=EXS${i},${ag}`;
  s.servers = Array.from({ length: SERVERS }, (_, i) => ({
    ...structuredClone(srvT!), guid: guid(), dn: serverDn(i), name: `EXS${i}`, fqdn: `exs${i}.contoso.com`,
    raw: { cn: [`EXS${i}`], serialNumber: [srvT!.serialNumber!], msExchInstallPath: [srvT!.installPath!] },
  }));
  const dbBase = dbT.dn.slice(dbT.dn.indexOf(',') + 1);
  s.databases = Array.from({ length: DATABASES }, (_, i) => {
    const dn = `CN=MDB${i},${dbBase}`;
    return {
      ...structuredClone(dbT), guid: guid(), dn, name: `MDB${i}`, server: serverDn(i % SERVERS),
      edbFilePath: `E:\\MDB${i}\\MDB${i}.edb`, logFolderPath: `F:\\MDB${i}`, mailboxCount: 100 + i,
      raw: { cn: [`MDB${i}`], msExchEDBFile: [`E:\\MDB${i}\\MDB${i}.edb`] },
      copies: [0, 1].map((k) => ({
        guid: guid(), dn: `CN=EXS${(i + k) % SERVERS},${dn}`, server: serverDn((i + k) % SERVERS),
        serverName: `EXS${(i + k) % SERVERS}`, activationPreference: k + 1, replayLagTime: null, truncationLagTime: null,
      })),
    };
  });
  s.virtualDirectories = Array.from({ length: VDIRS }, (_, i) => ({
    ...structuredClone(vdT), guid: guid(), dn: `CN=owa${i} (Default Web Site),CN=HTTP,CN=Protocols,${serverDn(i % SERVERS)}`,
    name: `owa${i} (Default Web Site)`, server: serverDn(i % SERVERS), externalUrl: `https://mail.contoso.com/owa${i}`,
  }));
  s.receiveConnectors = Array.from({ length: CONNECTORS }, (_, i) => ({
    ...structuredClone(rcT), guid: guid(), dn: `CN=Relay ${i},CN=SMTP Receive Connectors,CN=Protocols,${serverDn(i % SERVERS)}`,
    name: `Relay ${i}`, server: serverDn(i % SERVERS), remoteIpRanges: [`10.1.${i % 250}.0/24`, `10.2.${i % 250}.7`],
  }));
  return s;
}

function mutate(s: Snapshot): Snapshot {
  const m = structuredClone(s);
  m.metadata.harvestedAt = '2026-11-21T08:30:00Z';
  for (let i = 0; i < DATABASES; i += 50) m.databases[i]!.edbFilePath = `G:\\MDB${i}\\MDB${i}.edb`; // 24
  for (let i = 3; i < DATABASES; i += 100) m.databases[i]!.mailboxCount! += 7; // 12
  for (let i = 5; i < DATABASES; i += 150) m.databases[i]!.copies[1]!.activationPreference = 3; // 8
  for (let i = 0; i < VDIRS; i += 60) m.virtualDirectories[i]!.externalUrl = `https://webmail.contoso.com/owa${i}`; // 10
  for (let i = 7; i < CONNECTORS; i += 60) m.receiveConnectors[i]!.remoteIpRanges.push('192.168.7.7'); // 10
  for (let i = 1; i < SERVERS; i += 20) m.servers[i]!.version = { ...m.servers[i]!.version!, revision: 99, label: 'Exchange Server 2016 CU23 (15.1.2507.99)' };
  m.receiveConnectors.splice(100, 3); // removals
  m.databases.push({ ...structuredClone(m.databases[0]!), guid: guid(), dn: m.databases[0]!.dn.replace('MDB0', 'MDBNEW'), name: 'MDBNEW' });
  return m;
}

const before = scale();
const after = mutate(before);
const objects = before.servers.length + before.databases.length + before.virtualDirectories.length + before.receiveConnectors.length;
const t0 = performance.now();
const report = diffSnapshots(before, after, FIELD_ATTRIBUTES);
const seconds = (performance.now() - t0) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`objects per snapshot: ${objects} (+ ${before.databases.length * 2} copies)`);
console.log(`changes: ${report.changes.length} (${report.critical} critical, ${report.info} info)`);
console.log(`diff: ${seconds.toFixed(3)} s, peak RSS ${peakMb.toFixed(0)} MB`);

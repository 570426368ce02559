/**
 * Generates a large Exchange organization ("LargeCorp" in forest largecorp.test)
 * as LDIF for the throwaway Samba DC (test/dc/samba.ts, `startDc({ org })`):
 * the scale evidence for the harvest and render benches (bench/) and the scale
 * integration test.
 *
 *   npx tsx scripts/gen-large-org.ts [--servers 60] [--databases 1200] [--mailboxes 30000]
 *                                    [--seed 1] [--out /tmp/largecorp.ldif]
 *   npx tsx scripts/gen-large-org.ts --real2019 [--out ...]   # the render bench's real-shaped 2019 org (REAL2019)
 *
 * Deterministic: the same knobs and seed give the same bytes (a seeded PRNG,
 * no clock, no certificates). The output is large and is not committed.
 * Same conventions as fixtures/orgs (scripts/dc-gen-orgs.ts, whose LDIF writer
 * and Org builder are reused): changetype records for ldbmodify, ${SID:<dn>}
 * placeholders resolved by the loader.
 *
 * Shape (defaults): 60 servers in 10 DAGs of 6 (one DAG of 2016 CU23, one of SE,
 * the rest 2019 CU15), 1,200 databases under CN=Databases with 2 copies each on
 * members of their DAG, 10 virtual directories and 10 receive connectors per
 * server (600 each), 20 send connectors, 25 accepted domains, a computer account
 * and an A record per server, and 30,000 mailbox users whose homeMDB is spread
 * over the databases, the first database holding 1,600 (> 1,500: ranged homeMDBBL).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  aRecord, ldif, MSEXCHVERSION_2007, MSEXCHVERSION_2010, Org, serial, TRANSPORT_ROLE_FRONTEND, versionNumber, type ServerSpec,
} from './dc-gen-orgs.js';

export interface LargeOrgOptions {
  servers: number;
  databases: number;
  mailboxes: number;
  seed: number;
  /**
   * 'bench' (default): DAGs of 6 over three versions, 10 virtual directories and 10 receive
   * connectors per server. 'real2019': shaped like a real Exchange 2019 organization: all 2019,
   * DAGs of 10, the 12 virtual directories a 2019 server has (9 front end, 3 back end) and only
   * its 3 default receive connectors (Frontend/Mailbox transport objects come with every server).
   */
  shape?: 'bench' | 'real2019';
}

export const LARGE_DEFAULTS: LargeOrgOptions = { servers: 60, databases: 1200, mailboxes: 30_000, seed: 1 };
/** The 60-server 2019 organization of the render bench: 6 DAGs of 10, 20 databases per server, 8,000 mailboxes. */
export const REAL2019: LargeOrgOptions = { servers: 60, databases: 1200, mailboxes: 8000, seed: 1, shape: 'real2019' };
export const LARGE_DOMAIN = 'largecorp.test';
export const LARGE_ORG_NAME = 'LargeCorp';

/** What was generated, for tests to compare the harvest against. */
export interface LargeOrgCounts {
  servers: number;
  serversByProduct: Record<string, number>;
  dags: number;
  databases: number;
  copies: number;
  virtualDirectories: number;
  receiveConnectors: number;
  sendConnectors: number;
  acceptedDomains: number;
  computers: number;
  mailboxes: number;
  /** database name → mailboxes homed on it */
  mailboxesPerDatabase: Record<string, number>;
  /** LDIF records (one per object or modification) */
  records: number;
}

/** mulberry32: small, seeded, good enough to spread objects; Math.random is never used. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const WIN2019: [string, string, string] = ['Windows Server 2019 Datacenter', '10.0 (17763)', ''];
const WIN2022: [string, string, string] = ['Windows Server 2022 Datacenter', '10.0 (20348)', ''];
const WIN2016: [string, string, string] = ['Windows Server 2016 Datacenter', '10.0 (14393)', ''];

type Product = 2016 | 2019 | 'SE';
const BUILDS: Record<string, Pick<ServerSpec, 'serialNumber' | 'versionNumber' | 'os'>> = {
  2016: { serialNumber: serial(15, 1, 2507, 6), versionNumber: versionNumber(15, 1, 2507), os: WIN2016 }, // 2016 CU23
  2019: { serialNumber: serial(15, 2, 1748, 10), versionNumber: versionNumber(15, 2, 1748), os: WIN2019 }, // 2019 CU15
  SE: { serialNumber: serial(15, 2, 2562, 17), versionNumber: versionNumber(15, 2, 2562), os: WIN2022 }, // SE RTM
};

/** The client access set, trimmed to 10 per server so the default org has 600 (like bench/diff.ts). */
const VDIRS: [cn: string, cls: string, path: string, auth: number, backEnd: boolean][] = [
  ['owa', 'msExchOWAVirtualDirectory', 'owa', 4 | 1, false],
  ['ecp', 'msExchEcpVirtualDirectory', 'ecp', 4 | 1, false],
  ['EWS', 'msExchWebServicesVirtualDirectory', 'EWS/Exchange.asmx', 2 | 16 | 1024, false],
  ['Microsoft-Server-ActiveSync', 'msExchMobileVirtualDirectory', 'Microsoft-Server-ActiveSync', 1, false],
  ['OAB', 'msExchOABVirtualDirectory', 'OAB', 16 | 1024, false],
  ['mapi', 'msExchMapiVirtualDirectory', 'mapi', 2 | 1024 | 8192, false],
  ['Autodiscover', 'msExchAutodiscoverVirtualDirectory', 'Autodiscover/Autodiscover.xml', 1 | 2 | 16 | 1024, false],
  ['Rpc', 'msExchRpcHttpVirtualDirectory', 'rpc/rpcproxy.dll', 2, false],
  ['EWS', 'msExchWebServicesVirtualDirectory', 'EWS/Exchange.asmx', 2 | 16 | 1024, true],
  ['mapi', 'msExchMapiVirtualDirectory', 'mapi', 2 | 1024 | 8192, true],
];
/** A 2019 server's set: the front-end nine plus the back-end EWS, mapi and PowerShell (12). */
const VDIRS_2019: typeof VDIRS = [
  ...VDIRS.slice(0, 8).filter(([, , , , b]) => !b),
  ['PowerShell', 'msExchPowerShellVirtualDirectory', 'powershell', 0, false],
  ['EWS', 'msExchWebServicesVirtualDirectory', 'EWS/Exchange.asmx', 2 | 16 | 1024, true],
  ['mapi', 'msExchMapiVirtualDirectory', 'mapi', 2 | 1024 | 8192, true],
  ['PowerShell', 'msExchPowerShellVirtualDirectory', 'powershell', 0, true],
];
const RELAYS_PER_SERVER = 7; // + the 3 default connectors = 10 receive connectors per server

export function generateLargeOrg(opts: LargeOrgOptions = LARGE_DEFAULTS): { text: string; counts: LargeOrgCounts } {
  const { servers: nServers, databases: nDbs, mailboxes: nMbx } = opts;
  if (!(nServers >= 2 && nDbs >= 1 && nMbx >= 0)) throw new Error('need --servers >= 2 (two copies per database), --databases >= 1, --mailboxes >= 0');
  const real = opts.shape === 'real2019';
  const relaysPerServer = real ? 0 : RELAYS_PER_SERVER;
  const vdirs = real ? VDIRS_2019 : VDIRS;
  const rnd = prng(opts.seed);
  const o = new Org(LARGE_ORG_NAME, LARGE_DOMAIN);
  o.skeleton({ schemaVersion: 17003, orgVersion: 16763, mesoVersion: 13243, productId: '15.02.1748.010' });
  o.add(`OU=Mailboxes,${o.base}`, { objectClass: 'organizationalUnit' });
  o.modern();
  const rg = o.routingGroup(o.modernAg, 'Exchange Routing Group (DWBGZMFD01QNBJR)', null);

  // --- DAGs of ~6; a DAG holds one version, as Exchange requires
  const nDags = Math.max(1, Math.round(nServers / (real ? 10 : 6)));
  const dagName = (d: number) => `LC-DAG${pad(d + 1, 2)}`;
  const productOf = (d: number): Product => (real ? 2019 : nDags >= 3 && d === 0 ? 2016 : nDags >= 3 && d === nDags - 1 ? 'SE' : 2019);
  const dagDns: string[] = [];
  for (let d = 0; d < nDags; d++) {
    dagDns.push(o.dag(dagName(d), {
      witness: `lc-fs${pad(d + 1, 2)}.${LARGE_DOMAIN}`, witnessDir: `C:\\DAGFileShareWitnesses\\${dagName(d)}.${LARGE_DOMAIN}`,
      ips: [`10.31.${d}.10`], dac: 1,
    }));
  }

  // --- servers: server i belongs to DAG floor(i * nDags / nServers), so DAGs are contiguous and even
  const serverDns: string[] = [];
  const serverNames: string[] = [];
  const members: number[][] = Array.from({ length: nDags }, () => []);
  const serversByProduct: Record<string, number> = {};
  for (let i = 0; i < nServers; i++) {
    const d = Math.floor((i * nDags) / nServers);
    const product = productOf(d);
    const name = `LC-MBX${pad(i + 1, 3)}`;
    const dn = o.server({
      name, adminGroup: 'modern', product, ...BUILDS[String(product)]!, roles: 16439,
      installPath: product === 'SE' ? 'D:\\Program Files\\Microsoft\\Exchange Server\\V15' : 'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
      ip: `10.30.${Math.floor(i / 250)}.${(i % 250) + 1}`, dag: dagName(d),
    });
    serverDns.push(dn);
    serverNames.push(name);
    members[d]!.push(i);
    serversByProduct[String(product)] = (serversByProduct[String(product)] ?? 0) + 1;
  }

  // --- databases: DAG j % nDags, the active copy rotating over its members, the passive one on the next member
  const dbNames: string[] = [];
  const dbOwner: number[] = [];
  for (let j = 0; j < nDbs; j++) {
    const d = j % nDags;
    const m = members[d]!;
    const k = Math.floor(j / nDags);
    const active = m[k % m.length]!;
    const passive = m[(k + 1) % m.length]!;
    const name = `LC-DB${pad(j + 1, 4)}`;
    o.database(name, {
      master: dagDns[d]!, owner: serverDns[active]!, edb: `E:\\ExchangeVolumes\\${name}\\${name}.edb`, log: `L:\\ExchangeVolumes\\${name}\\Logs`,
      prefix: `E${pad(k % 100, 2)}`, circular: rnd() < 0.1,
      copies: [{ server: serverDns[active]!, pref: 1 }, { server: serverDns[passive]!, pref: 2, ...(rnd() < 0.05 ? { replayLag: 7 * 86400 } : {}) }],
    });
    dbNames.push(name);
    dbOwner.push(active);
  }

  // --- client access and transport per server
  for (let i = 0; i < nServers; i++) {
    const server = serverDns[i]!;
    const name = serverNames[i]!;
    virtualDirectories(o, server, name, vdirs);
    o.defaultReceiveConnectors(server, name);
    for (let r = 0; r < relaysPerServer; r++) {
      const net = Math.floor(rnd() * 250);
      o.receiveConnector(server, `Relay ${pad(r + 1, 2)} ${name}`, {
        bindings: [`10.30.${Math.floor(i / 250)}.${(i % 250) + 1}:25`], ranges: [`10.40.${net}.0/24`, `10.41.${net}.${1 + Math.floor(rnd() * 250)}`],
        fqdn: `relay${r + 1}.${LARGE_DOMAIN}`, security: 0, role: TRANSPORT_ROLE_FRONTEND, groups: ['AnonymousUsers', 'ExchangeServers'],
      });
    }
  }
  const nSend = 20;
  for (let s = 0; s < nSend; s++) {
    const a = Math.floor(rnd() * nServers);
    const b = (a + 1 + Math.floor(rnd() * (nServers - 1))) % nServers;
    o.add(`CN=Outbound ${pad(s + 1, 2)},CN=Connections,${rg}`, {
      objectClass: 'msExchRoutingSMTPConnector', routingList: s === 0 ? ['SMTP:*;1'] : [`SMTP:partner${s}.example;1`],
      msExchSmtpSmartHost: s === 0 ? undefined : `mx.partner${s}.example`, msExchSmtpSendPort: 25, msExchSMTPSendConnectorFQDN: `mail.${LARGE_DOMAIN}`,
      msExchSmtpSendEnabled: true, msExchSourceBridgeheadServersDN: [serverDns[a]!, serverDns[b]!], msExchVersion: MSEXCHVERSION_2007,
    });
  }
  const nDomains = 25;
  o.acceptedDomain(LARGE_DOMAIN, 4);
  for (let a = 1; a < nDomains; a++) o.acceptedDomain(`brand${pad(a, 2)}.largecorp.example`, a % 5 === 0 ? 2 : 0);
  o.add(`DC=mail,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: [aRecord('10.30.0.1'), aRecord('10.30.0.2')] });
  o.add(`DC=autodiscover,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: aRecord('10.30.0.1') });

  // --- mailboxes: the first database gets 1,600 (ranged homeMDBBL), the rest spread at random
  const perDb = new Array<number>(nDbs).fill(0);
  const big = Math.min(nMbx, 1600);
  perDb[0] = big;
  for (let u = big; u < nMbx; u++) perDb[nDbs === 1 ? 0 : 1 + Math.floor(rnd() * (nDbs - 1))]! += 1;
  const agName = 'Exchange Administrative Group (FYDIBOHF23SPDLT)';
  let user = 0;
  for (let j = 0; j < nDbs; j++) {
    const db = `CN=${dbNames[j]},CN=Databases,${o.modernAg}`;
    for (let k = 0; k < perDb[j]!; k++) {
      const n = pad(++user, 5);
      o.add(`CN=LC User ${n},OU=Mailboxes,${o.base}`, {
        objectClass: 'user', sAMAccountName: `lcuser${n}`, userPrincipalName: `lcuser${n}@${LARGE_DOMAIN}`, displayName: `LC User ${n}`,
        mail: `lcuser${n}@${LARGE_DOMAIN}`, homeMDB: db, msExchHomeServerName: o.legacyDn(agName, serverNames[dbOwner[j]!]!),
        msExchRecipientTypeDetails: 1, msExchVersion: MSEXCHVERSION_2010, userAccountControl: 514,
      });
    }
  }

  const header = `# Generated by scripts/gen-large-org.ts (servers ${nServers}, databases ${nDbs}, mailboxes ${nMbx}, seed ${opts.seed}) — do not edit.\n` +
    `# Exchange organization "${LARGE_ORG_NAME}" in forest ${LARGE_DOMAIN}, for the exbinder test DC (test/dc/samba.ts).\n\n`;
  return {
    text: header + ldif(o.records),
    counts: {
      servers: nServers, serversByProduct, dags: nDags, databases: nDbs, copies: 2 * nDbs,
      virtualDirectories: vdirs.length * nServers, receiveConnectors: (3 + relaysPerServer) * nServers, sendConnectors: nSend,
      acceptedDomains: nDomains, computers: nServers, mailboxes: nMbx,
      mailboxesPerDatabase: Object.fromEntries(dbNames.map((n, j) => [n, perDb[j]!])), records: o.records.length,
    },
  };
}

function virtualDirectories(o: Org, server: string, name: string, set: typeof VDIRS): void {
  const host = o.fqdn(name);
  const http = `CN=HTTP,CN=Protocols,${server}`;
  for (const [cn, cls, path, auth, backEnd] of set) {
    const site = backEnd ? 'Exchange Back End' : 'Default Web Site';
    o.add(`CN=${cn} (${site}),${http}`, {
      objectClass: cls,
      msExchInternalHostName: backEnd ? `https://${host}:444/${path}` : `https://mail.${LARGE_DOMAIN}/${path}`,
      msExchExternalHostName: backEnd ? undefined : `https://mail.largecorp.example/${path}`,
      msExchInternalAuthenticationMethods: auth, msExchExternalAuthenticationMethods: backEnd ? undefined : auth,
      msExchMetabasePath: `IIS://${host}/W3SVC/${backEnd ? 2 : 1}/ROOT/${cn}`, msExchVersion: MSEXCHVERSION_2010,
    });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intArg(name: string, dflt: number): number {
  const v = arg(name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} ${v}: give a whole number`);
  return Number(v);
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  const opts: LargeOrgOptions = {
    servers: intArg('--servers', LARGE_DEFAULTS.servers), databases: intArg('--databases', LARGE_DEFAULTS.databases),
    mailboxes: intArg('--mailboxes', LARGE_DEFAULTS.mailboxes), seed: intArg('--seed', LARGE_DEFAULTS.seed),
  };
  if (process.argv.includes('--real2019')) Object.assign(opts, REAL2019);
  const out = resolve(arg('--out') ?? join(tmpdir(), 'largecorp.ldif'));
  const { text, counts } = generateLargeOrg(opts);
  writeFileSync(out, text);
  const { mailboxesPerDatabase, ...rest } = counts;
  const max = Math.max(...Object.values(mailboxesPerDatabase));
  console.log(`wrote ${out} (${(text.length / 1e6).toFixed(1)} MB): ${JSON.stringify(rest)}, largest database ${max} mailboxes`);
}

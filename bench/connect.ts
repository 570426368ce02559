/**
 * Connection set-up timings on a real (Samba) test DC: simple bind over LDAPS,
 * Kerberos bind (keytab, no kinit) over LDAPS and over LDAP with sign+seal,
 * DC discovery by SRV, and failover across a refused address and a silent
 * listener to the real DC (the DC's `Failover` site, test/dc/samba.ts).
 *
 *   npx tsx bench/connect.ts [--runs 5] [--use /tmp/exbinder-dc-slot<k>/contoso]
 *
 * Without --use it starts a contoso DC (timed: provisioning incl. the KDC,
 * DNS, SPNs and keytab) and stops it at the end. Each number is the median of
 * the runs; the first (cold) Kerberos bind is printed on its own (it includes
 * the AS exchange with the KDC).
 */
import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { discoverDcs } from '../src/source/dc-discovery.js';
import { openLdap, type LdapOptions } from '../src/source/ldap.js';
import { readContext, startDc, stopDc, type DcContext } from '../test/dc/samba.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt('--runs') ?? 5);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function openClose(o: LdapOptions): Promise<void> {
  const d = await openLdap(o);
  await d.rootDse();
  await d.close();
}

let started: DcContext | null = null;
let dc: DcContext;
const use = opt('--use');
if (use) dc = readContext(use);
else {
  const t = performance.now();
  started = await startDc();
  dc = started;
  console.log(`provisioning (contoso, with KDC + DNS + SPNs + keytab): ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
process.env['KRB5_CONFIG'] = dc.krb5Conf;
const domain = dc.host.split('.').slice(1).join('.');
const simple: LdapOptions = { url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile, onWarning: () => undefined };
const krb: LdapOptions = { url: dc.ldapsUrl, auth: 'kerberos', keytab: dc.readerKeytab, principal: dc.readerPrincipal, caFile: dc.caFile, onWarning: () => undefined };

// the silent DC of the Failover site: accepts and never answers
const socks: Socket[] = [];
const silent = createServer((s) => {
  socks.push(s);
  s.on('error', () => undefined);
});
await new Promise<void>((r) => silent.listen(636, dc.failover.silentIp, () => r()));

try {
  console.log(`cold Kerberos bind (LDAPS, keytab: AS + TGS + SASL): ${(await timed(() => openClose(krb))).toFixed(0)} ms`);
  const rows: [string, () => Promise<unknown>][] = [
    ['simple bind, LDAPS', () => openClose(simple)],
    ['Kerberos bind, LDAPS (keytab, no kinit)', () => openClose(krb)],
    ['Kerberos bind, LDAP sign+seal', () => openClose({ ...krb, url: dc.ldapUrl })],
    ['discovery (SRV + address via the DC DNS)', () => discoverDcs({ domain, dnsServers: [dc.ip] })],
    ['discovery + simple bind', () => openClose({ ...simple, url: undefined, domain, dnsServers: [dc.ip] })],
    [
      'failover refused -> silent (connect timeout 3 s) -> real DC',
      () => openClose({ ...simple, url: undefined, domain, site: dc.failover.site, dnsServers: [dc.ip], connectTimeoutMs: 3000 }),
    ],
  ];
  for (const [name, fn] of rows) {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) xs.push(await timed(fn));
    console.log(`${name}: median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, ${runs} runs)`);
  }
} finally {
  for (const s of socks) s.destroy();
  silent.close();
  if (started) await stopDc(started);
}

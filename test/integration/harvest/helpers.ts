/**
 * Shared pieces of the harvest integration tests: the test DCs
 * (test/dc/global-setup.ts), harvesting them, and an ldapsearch export of
 * everything the harvest reads (what an admin would run for offline use).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import type { DcContext } from '../../dc/samba.js';
import { openLdap, type LdapOptions } from '../../../src/source/ldap.js';
import type { Directory } from '../../../src/source/directory.js';
import { harvest } from '../../../src/harvest/index.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { serialize } from '../../../src/snapshot/canonical.js';

const run = promisify(execFile);

export const contoso = (): DcContext => inject('dc');
export const fabrikam = (): DcContext => inject('dc2');

export const NOW = new Date('2026-11-25T12:00:00Z');

export function reader(dc: DcContext, over: Partial<LdapOptions> = {}): LdapOptions {
  return { url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile, ...over };
}

export async function harvestWith(dir: Directory, now = NOW): Promise<Snapshot> {
  try {
    return await harvest(dir, { toolVersion: '0.0.0-test', now: () => now });
  } finally {
    await dir.close();
  }
}

export async function harvestLive(dc: DcContext, over: Partial<LdapOptions> = {}, now = NOW): Promise<Snapshot> {
  return harvestWith(await openLdap(reader(dc, over)), now);
}

/** The snapshot without its metadata block, as stable text. */
export function body(s: Snapshot): string {
  const { metadata: _m, ...rest } = JSON.parse(serialize(s)) as Snapshot;
  return JSON.stringify(rest, null, 2);
}

/** DN helpers in the org of a DC. */
export const AG07 = 'Exchange Administrative Group (FYDIBOHF23SPDLT)';
export function dns(dc: DcContext) {
  const ag = (name: string): string => `CN=${name},CN=Administrative Groups,${dc.org.dn}`;
  return {
    ag,
    server: (name: string, adminGroup = AG07): string => `CN=${name},CN=Servers,${ag(adminGroup)}`,
    database: (name: string): string => `CN=${name},CN=Databases,${ag(AG07)}`,
    dag: (name: string): string => `CN=${name},CN=Database Availability Groups,${ag(AG07)}`,
    site: (name: string): string => `CN=${name},CN=Sites,${dc.configDn}`,
    routingGroup: (name: string, adminGroup: string): string => `CN=${name},CN=Routing Groups,${ag(adminGroup)}`,
  };
}

/**
 * SHA-1 thumbprint of the msExchServerInternalTLSCert the fixture loaded
 * into the DC for `server` (fixtures are regenerated with fresh keys, so the
 * expected value is read from the fixture, not written into the test).
 */
export function fixtureThumbprint(orgFile: string, server: string): string {
  const text = readFileSync(join(import.meta.dirname, '../../../fixtures/orgs', orgFile), 'utf8').replace(/\r?\n /g, '');
  const records = text.split(/\n\n+/);
  const rec = records.find((r) => new RegExp(`^dn: CN=${server},CN=Servers,`, 'm').test(r));
  const b64 = rec && /^msExchServerInternalTLSCert:: (\S+)/m.exec(rec)?.[1];
  if (!b64) throw new Error(`no certificate for ${server} in ${orgFile}`);
  return createHash('sha1').update(Buffer.from(b64, 'base64')).digest('hex').toUpperCase();
}

/**
 * Exports with ldapsearch, as the reader, every partition part the harvest
 * reads (with OWNER|GROUP|DACL security descriptors via the SD flags
 * control), one file per part. Returns the file names.
 */
export async function exportForOffline(dc: DcContext, dir: string): Promise<string[]> {
  const pw = join(dir, 'pw');
  writeFileSync(pw, dc.readerPassword, { mode: 0o600 });
  const root = dc.baseDn;
  const parts: Array<[string, string, 'base' | 'sub', string[]]> = [
    ['rootdse', '', 'base', ['*']],
    ['exchange', `CN=Microsoft Exchange,CN=Services,${dc.configDn}`, 'sub', ['*', 'nTSecurityDescriptor']],
    ['schema-version', `CN=ms-Exch-Schema-Version-Pt,CN=Schema,${dc.configDn}`, 'base', ['*']],
    ['partitions', `CN=Partitions,${dc.configDn}`, 'sub', ['*']],
    ['sites', `CN=Sites,${dc.configDn}`, 'sub', ['*']],
    ['domain', root, 'sub', ['*']],
    ['domain-dns', `DC=DomainDnsZones,${root}`, 'sub', ['*']],
    ['forest-dns', `DC=ForestDnsZones,${root}`, 'sub', ['*']],
  ];
  const files: string[] = [];
  for (const [name, base, scope, attrs] of parts) {
    const file = join(dir, `${name}.ldif`);
    const { stdout } = await run(
      'ldapsearch',
      ['-LLL', '-x', '-H', dc.ldapsUrl, '-D', dc.readerUpn, '-y', pw, '-E', 'pr=500/noprompt', '-E', '1.2.840.113556.1.4.801=::MAMCAQc=',
        '-b', base, '-s', scope, '(objectClass=*)', ...attrs],
      { env: { ...process.env, LDAPTLS_CACERT: dc.caFile }, maxBuffer: 1024 * 1024 * 1024 },
    );
    writeFileSync(file, stdout);
    files.push(file);
  }
  return files;
}

/**
 * Permission groups a receive connector must show, from the SDDL the fixture
 * wrote into its nTSecurityDescriptor: principals granted CR (extended
 * rights), mapped the way Exchange names them.
 */
export function fixturePermissionGroups(orgFile: string, connector: string): string[] {
  const text = readFileSync(join(import.meta.dirname, '../../../fixtures/orgs', orgFile), 'utf8').replace(/\r?\n /g, '');
  const rec = text.split(/\n\n+/).find((r) => new RegExp(`^dn: CN=${connector},CN=SMTP Receive Connectors,`, 'm').test(r));
  const sddl = rec && /^nTSecurityDescriptor: (.+)$/m.exec(rec)?.[1];
  if (!sddl) throw new Error(`no SDDL for ${connector} in ${orgFile}`);
  const groups = new Set<string>();
  for (const m of sddl.matchAll(/\(A;[^;]*;([^;]*);[^;]*;[^;]*;([^)]*(?:\}[^)]*)?)\)/g)) {
    const [, rights, trustee] = m;
    if (!/CR|GA/.test(rights!)) continue;
    if (trustee === 'AN') groups.add('AnonymousUsers');
    else if (trustee === 'AU') groups.add('ExchangeUsers');
    else if (/CN=Exchange Servers,|^S-1-9-1419165041-1139599005-3936102811-1022490595-2[123]$/.test(trustee!)) groups.add('ExchangeServers');
    else if (/CN=ExchangeLegacyInterop,/.test(trustee!)) groups.add('ExchangeLegacyServers');
    else if (trustee === 'S-1-9-1419165041-1139599005-3936102811-1022490595-10') groups.add('Partners');
  }
  return [...groups].sort();
}

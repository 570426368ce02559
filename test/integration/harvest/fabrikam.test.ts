/**
 * Harvest of the fabrikam.test DC (Exchange 2019/SE only, no storage groups),
 * whose fixture carries the oddities real forests have: each must become
 * the expected warning, never a crash, never silently dropped. And a
 * database with more than 1,500 mailboxes (AD's MaxValRange) counted exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { dns, fabrikam, fixturePermissionGroups, harvestLive } from './helpers.js';

const dc = fabrikam();
const d = dns(dc);
let s: Snapshot;

beforeAll(async () => {
  // a harvest date after FAB-MBX2's certificate expired (2024-03-01)
  s = await harvestLive(dc, {}, new Date('2026-11-25T12:00:00Z'));
});

/** users the fixture homed on a database (what homeMDBBL must count) */
function fixtureMailboxes(db: string): number {
  const text = readFileSync(join(import.meta.dirname, '../../../fixtures/orgs/fabrikam.ldif'), 'utf8');
  return text.split('\n').filter((l) => l.startsWith(`homeMDB: CN=${db},`)).length;
}

const warnings = (code: string) => s.metadata.warnings.filter((w) => w.code === code).map((w) => w.dn);

describe('fabrikam: 2019/SE only', () => {
  it('servers, versions and roles', () => {
    // 16423 = a real 2019/SE Mailbox server (no UnifiedMessaging bit)
    expect(s.servers.map((x) => [x.name, x.serialNumber, x.roles, x.roleBitmask])).toEqual([
      ['FAB-MBX1', 'Version 15.2 (Build 31748.10)', ['Mailbox'], 16423],
      // stamped by the 2019 CU12 February 2023 SU (15.2.1118.25); CU12 itself is 15.2.1118.7
      ['FAB-MBX2', 'Version 15.2 (Build 31118.25)', ['Mailbox'], 16423],
      ['FAB-MBX3', 'Version 15.2 (Build 39999.1)', ['Mailbox'], 33570855],
      ['FAB-SE1', 'Version 15.2 (Build 32562.17)', ['Mailbox'], 16423],
    ]);
    expect(s.servers.map((x) => x.version?.label)).toEqual([
      'Exchange Server 2019 CU15 (15.2.1748.10)', expect.stringContaining('(15.2.1118.25)'),
      'Exchange Server SE, unknown build (15.2.9999.1)', 'Exchange Server SE RTM (15.2.2562.17)',
    ]);
    expect(s.storageGroups).toEqual([]);
    expect(s.routingGroupConnectors).toEqual([]);
    expect(s.servers.find((x) => x.name === 'FAB-SE1')!.installPath).toBe('D:\\Program Files\\Microsoft\\Exchange Server\\V15');
  });

  it('a database with more than 1,500 mailboxes is counted exactly (ranged homeMDBBL)', () => {
    const db = s.databases.find((x) => x.name === 'FAB-DB01')!;
    expect(fixtureMailboxes('FAB-DB01')).toBeGreaterThan(1500);
    expect(db.mailboxCount).toBe(fixtureMailboxes('FAB-DB01'));
    expect(db.mailboxCount).toBe(1600);
    expect(s.databases.find((x) => x.name === 'FAB-DB02')!.mailboxCount).toBe(fixtureMailboxes('FAB-DB02'));
  });

  it('the DAG with three members and its copies', () => {
    expect(s.dags.map((x) => [x.dn, x.members, x.witnessShare, x.witnessServer, x.witnessDirectory])).toEqual([
      [d.dag('FAB-DAG'), [d.server('FAB-MBX1'), d.server('FAB-MBX2'), d.server('FAB-SE1')], '\\\\fab-fs01.fabrikam.test\\FAB-DAG.fabrikam.test',
        'fab-fs01.fabrikam.test', 'C:\\DAGFileShareWitnesses\\FAB-DAG.fabrikam.test'],
    ]);
    const db01 = s.databases.find((x) => x.name === 'FAB-DB01')!;
    expect(db01.masterServerOrDag).toBe(d.dag('FAB-DAG'));
    expect(db01.copies.map((c) => [c.serverName, c.server, c.activationPreference])).toEqual([
      ['FAB-MBX1', d.server('FAB-MBX1'), 1],
      ['FAB-MBX2', d.server('FAB-MBX2'), 2],
      ['FAB-SE1', d.server('FAB-SE1'), 3],
    ]);
    expect(db01.edbFilePath).toBe('E:\\ExchangeVolumes\\FAB-DB01\\FAB-DB01.edb');
    expect(db01.logFolderPath).toBe('L:\\ExchangeVolumes\\FAB-DB01\\Logs');
  });

  it('receive connector permission groups (SD flags control over LDAP)', () => {
    const pg = (name: string) => s.receiveConnectors.find((r) => r.name === name)!.permissionGroups;
    expect(s.receiveConnectors).toHaveLength(12);
    for (const r of s.receiveConnectors) expect([r.name, r.permissionGroups]).toEqual([r.name, fixturePermissionGroups('fabrikam.ldif', r.name)]);
    expect(pg('Client Frontend FAB-MBX1')).toEqual(['ExchangeUsers']);
  });

  it('accepted domains', () => {
    expect(s.acceptedDomains.map((a) => [a.domainName, a.type, a.isDefault])).toEqual([
      ['fabrikam.example', 'ExternalRelay', false],
      ['fabrikam.test', 'Authoritative', true],
    ]);
  });
});

describe('fabrikam: every oddity is a warning', () => {
  it('missing computer account', () => {
    expect(warnings('no-computer-account')).toEqual([d.server('FAB-MBX3')]);
    expect(s.servers.find((x) => x.name === 'FAB-MBX3')!.computer).toBeNull();
  });

  it('server missing from the AD DNS zone', () => {
    expect(warnings('not-in-ad-dns')).toEqual([d.server('FAB-SE1')]);
    expect(s.servers.find((x) => x.name === 'FAB-SE1')!.ipAddresses).toEqual([]);
    expect(s.servers.find((x) => x.name === 'FAB-MBX1')!.ipAddresses).toEqual(['10.20.0.11']);
  });

  it('expired internal transport certificate (metadata only: the body keeps the certificate as is)', () => {
    expect(warnings('cert-expired')).toEqual([d.server('FAB-MBX2')]);
    const w = s.metadata.warnings.find((x) => x.code === 'cert-expired')!;
    expect(w.message).toContain('expired on 2024-03-01');
    expect(s.servers.find((x) => x.name === 'FAB-MBX2')!.internalTransportCertificate!.notAfter).toBe('2024-03-01T00:00:00.000Z');
  });

  it('unknown build and unknown role bit', () => {
    expect(warnings('unknown-build')).toEqual([d.server('FAB-MBX3')]);
    expect(warnings('unknown-role-bit')).toEqual([d.server('FAB-MBX3')]);
    expect(s.metadata.warnings.find((x) => x.code === 'unknown-role-bit')!.message).toContain('bit 33554432');
  });

  it('unknown object class under a server', () => {
    expect(warnings('unknown-object-class')).toEqual([`CN=Monitoring Settings,${d.server('FAB-MBX1')}`]);
  });

  it('nothing else', () => {
    expect(s.metadata.warnings.map((w) => w.code).sort()).toEqual([
      'cert-expired', 'no-computer-account', 'not-in-ad-dns', 'recovery-database', 'su-stamped-serial', 'unknown-build', 'unknown-object-class',
      'unknown-role-bit', 'witness-not-in-ad-dns',
    ]);
    expect(warnings('recovery-database')).toEqual([d.database('FAB-RDB01')]);
    expect(s.organization.cmdletExtensionAgents.map((a) => [a.name, a.enabled])).toEqual([['Scripting Agent', false]]);
  });

  it('the expired certificate is no warning before it expired, and the body does not change', async () => {
    const before = await harvestLive(dc, {}, new Date('2023-06-01T00:00:00Z'));
    expect(before.metadata.warnings.map((w) => w.code)).not.toContain('cert-expired');
    const { metadata: _a, ...b1 } = before;
    const { metadata: _b, ...b2 } = s;
    expect(b1).toEqual(b2);
  });
});

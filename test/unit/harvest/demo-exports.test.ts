/**
 * The committed demo exports (fixtures/exports, made with ldapsearch from the
 * test DCs by scripts/dc-export.ts) harvest offline, with no DC: what
 * `npm run demo` and an air-gapped admin do.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { harvest } from '../../../src/harvest/index.js';

const exportFile = (name: string) => join(import.meta.dirname, '../../../fixtures/exports', `${name}.ldif`);
const now = () => new Date('2026-11-25T12:00:00Z');

describe('demo exports harvest offline', () => {
  it('contoso: a mixed 2003..2019 org whose only warnings say where the recovery needs care', async () => {
    const s = await harvest(await openLdif([exportFile('contoso')]), { toolVersion: 't', now });
    expect(s.metadata.warnings.map((w) => w.code).sort()).toEqual([
      'clustered-mailbox-server', 'recovery-storage-group', 'scripting-agent-enabled', 'witness-not-in-ad-dns',
    ]);
    expect(s.servers.map((x) => `${x.name} ${x.version?.product} ${x.version?.release}`)).toEqual([
      'EDGE01 Exchange Server 2016 CU23',
      'EX2003 Exchange Server 2003 SP2',
      'EX2007 Exchange Server 2007 SP3',
      'EX2010A Exchange Server 2010 SP3',
      'EX2010B Exchange Server 2010 SP3',
      'EX2016 Exchange Server 2016 CU23',
      'EX2019 Exchange Server 2019 CU15',
      'EXCMS01 Exchange Server 2007 SP3',
    ]);
    // every server but the Edge (no domain member) has a computer account; all have an A record
    expect(s.servers.filter((x) => x.computer === null).map((x) => x.name)).toEqual(['EDGE01']);
    expect(s.servers.every((x) => x.ipAddresses.length === 1)).toBe(true);
    expect(s.storageGroups.map((g) => g.name)).toContain('SG2, Finance');
    expect(s.databases.map((d) => d.name)).toContain('Zürich Ärzte');
    expect(s.receiveConnectors.find((r) => r.name === 'Relay EX2019')!.permissionGroups).toEqual(['AnonymousUsers', 'ExchangeServers']);
    // the offline source answers the same searches the live one gets
    expect(s.metadata.searches).toBe(10); // incl. the schema search that names replPropertyMetaData ids
  });

  it('fabrikam: the oddities as warnings, 1,600 mailboxes on one database', async () => {
    const s = await harvest(await openLdif([exportFile('fabrikam')]), { toolVersion: 't', now });
    expect(s.metadata.warnings.map((w) => w.code).sort()).toEqual([
      'cert-expired', 'no-computer-account', 'not-in-ad-dns', 'recovery-database', 'su-stamped-serial', 'unknown-build', 'unknown-object-class',
      'unknown-role-bit', 'witness-not-in-ad-dns',
    ]);
    expect(s.databases.find((d) => d.name === 'FAB-DB01')!.mailboxCount).toBe(1600);
  });
});

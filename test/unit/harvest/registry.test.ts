/**
 * The harvest's half of the collection registry (src/harvest/registry.ts):
 * each mapper, run on the entries of a real export, returns objects its
 * collection's schema accepts; no entry of a real export is of two kinds
 * (so the declaration order does not decide what an entry is); the
 * attribute table names only attributes the kinds read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openLdif } from '../../../src/source/index.js';
import { emptyCollected, entriesOf, isOfKind, runSearch } from '../../../src/harvest/collect.js';
import { classesOf } from '../../../src/harvest/entries.js';
import { SEARCHES, type SearchId } from '../../../src/harvest/searches.js';
import { Warnings } from '../../../src/harvest/warnings.js';
import { ComputerIndex } from '../../../src/harvest/computers.js';
import { buildDnsIndex } from '../../../src/harvest/dns.js';
import { dcPairs } from '../../../src/harvest/domain-controllers.js';
import { attributesOf, FIELD_ATTRIBUTES, HARVEST, kindsOf, type KindId, type MapInput } from '../../../src/harvest/registry.js';
import { COLLECTIONS, REGISTRY } from '../../../src/snapshot/collections.js';
import { DnIndex } from '../../../src/dn.js';

const exportFile = (name: string) => join(import.meta.dirname, '../../../fixtures/exports', `${name}.ldif`);

/** The entries of an export sorted into kinds, as the harvest's searches do, and the mappers' input. */
async function mapInputOf(name: string): Promise<MapInput<KindId>> {
  const dir = await openLdif([exportFile(name)]);
  const rootDse = await dir.rootDse();
  const c = emptyCollected(rootDse);
  const w = new Warnings();
  for (const id of ['exchange', 'receiveConnectorAcls', 'schemaVersion', 'partitions', 'sites'] as const) await runSearch(dir, c, id, w);
  await runSearch(dir, c, 'domain', w, '(|(objectClass=domainDNS)(objectClass=msExchSystemObjectsContainer)(objectClass=computer)(objectClass=group))');
  await runSearch(dir, c, 'dnsDomainZones', w, '(objectClass=dnsNode)');
  const servers = entriesOf(c, 'server');
  return {
    rootDse,
    org: entriesOf(c, 'organization')[0]!,
    entries: (kind) => entriesOf(c, kind),
    servers: new DnIndex(servers, (s) => s.dn),
    dcs: dcPairs(entriesOf(c, 'siteServer'), entriesOf(c, 'ntdsSettings')),
    computers: new ComputerIndex(entriesOf(c, 'computer')),
    dns: buildDnsIndex(entriesOf(c, 'dnsNode'), w),
    domainDnsName: 'contoso.test',
    now: new Date('2026-11-25T12:00:00Z'),
    warnings: w,
  };
}

describe('harvest registry', () => {
  it.each(['contoso', 'fabrikam'])('%s: every mapper returns objects its collection schema accepts, and fills it', async (name) => {
    const input = await mapInputOf(name);
    for (const c of COLLECTIONS) {
      const out = (HARVEST[c].map as (x: MapInput<KindId>) => unknown[])(input);
      expect(() => z.array(REGISTRY[c].schema).parse(out), c).not.toThrow();
      // both fixture orgs carry every kind but the 2003 routing groups and POP3/IMAP4 settings (fabrikam has none)
      if (!(name === 'fabrikam' && (c === 'routingGroups' || c === 'routingGroupConnectors' || c === 'storageGroups' || c === 'popImapSettings'))) {
        expect(out.length, c).toBeGreaterThan(0);
      }
    }
  });

  it.each(['contoso', 'fabrikam'])('%s: no entry is of two kinds of its search, so the order of the declarations does not matter', async (name) => {
    const dir = await openLdif([exportFile(name)]);
    const rootDse = await dir.rootDse();
    const searched: [SearchId, string][] = [
      ['exchange', '(objectClass=*)'], ['receiveConnectorAcls', '(objectClass=msExchSmtpReceiveConnector)'], ['schemaVersion', '(objectClass=*)'],
      ['partitions', '(objectClass=*)'], ['sites', '(objectClass=*)'], ['domain', '(objectClass=*)'], ['dnsDomainZones', '(objectClass=*)'],
    ];
    let seen = 0;
    for (const [id, filter] of searched) {
      for await (const e of dir.search({ base: SEARCHES[id].base(rootDse), scope: SEARCHES[id].scope, filter, attributes: ['objectClass'] })) {
        const classes = classesOf(e);
        const kinds = kindsOf(id).filter((k) => isOfKind(k, classes)).map((k) => k.id);
        expect(kinds.length, `${id}: ${e.dn}: ${kinds.join(', ')}`).toBeLessThanOrEqual(1);
        seen += kinds.length;
      }
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('the attribute table names only attributes a kind of the collection asks for, and only model fields', () => {
    const asked = new Map<string, string>();
    for (const id of Object.keys(SEARCHES) as SearchId[]) {
      const a = attributesOf(id);
      for (const n of [...a.attributes, ...a.binaryAttributes, ...a.rangedAttributes]) asked.set(n.toLowerCase(), n);
    }
    for (const c of COLLECTIONS) {
      const { read, backLinks } = FIELD_ATTRIBUTES[c];
      const fields = Object.keys((REGISTRY[c].schema as unknown as z.ZodObject).shape);
      for (const [field, attributes] of [...Object.entries(read), ...Object.entries(backLinks)]) {
        expect(fields, `${c}.${field}`).toContain(/^[^.[]+/.exec(field)![0]);
        // spelled as the kinds spell them (AD's spelling), so attribution finds their metadata
        for (const a of attributes) expect(asked.get(a.toLowerCase()), `${c}.${field}: ${a}`).toBe(a);
      }
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { emptyCollected, entriesOf, runSearch } from '../../../src/harvest/collect.js';
import { Warnings } from '../../../src/harvest/warnings.js';
import { AG, entry, exchangeOrg, ldif, rootDse } from './ldif-fixtures.js';
import { attributesOf, KINDS, kindsOf } from '../../../src/harvest/registry.js';
import { SEARCHES } from '../../../src/harvest/searches.js';
import { anyOf, escapeFilterValue, or } from '../../../src/harvest/filters.js';
import { candidateLabels, dnsNodeFilter } from '../../../src/harvest/dns.js';
import { computerFilter } from '../../../src/harvest/computers.js';

describe('kinds as data', () => {
  it('every kind belongs to a declared search', () => {
    for (const k of KINDS) expect(Object.keys(SEARCHES)).toContain(k.search);
  });

  it('the Exchange search fetches the union of its kinds, homeMDBBL ranged, certificates and GUIDs as bytes', () => {
    const a = attributesOf('exchange');
    expect(a.rangedAttributes).toEqual(['homeMDBBL']);
    expect(a.binaryAttributes).toEqual(['objectGUID', 'msExchServerInternalTLSCert']);
    for (const attr of ['serialNumber', 'msExchEDBFile', 'msExchHostServerLink', 'msExchInternalHostName', 'msExchSmtpReceiveBindings', 'routingList', 'msExchAcceptedDomainName', 'objectClass', 'homeMDBBL']) {
      expect(a.attributes).toContain(attr);
    }
    // security descriptors only in their own search
    expect(a.attributes).not.toContain('nTSecurityDescriptor');
    expect(attributesOf('receiveConnectorAcls').binaryAttributes).toEqual(['objectGUID', 'nTSecurityDescriptor']);
    // no duplicates (case-insensitive)
    expect(new Set(a.attributes.map((x) => x.toLowerCase())).size).toBe(a.attributes.length);
  });

  it('transport servers are classified before servers, and excluded from them', () => {
    const ids = kindsOf('exchange').map((k) => k.id);
    expect(ids.indexOf('transportServer')).toBeLessThan(ids.indexOf('server'));
    expect(KINDS.find((k) => k.id === 'server')!.excludeClasses).toEqual(['msExchExchangeTransportServer']);
  });

  it('the Exchange search returns objects of classes no kind names yet: a new kind there is one entry away', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exbinder-kinds-'));
    try {
      const file = join(dir, 'x.ldif');
      const future = `CN=Some Future Setting,${AG}`;
      writeFileSync(file, ldif(rootDse(), exchangeOrg(), entry(AG, 'objectClass: msExchAdminGroup'), entry(future, 'objectClass: msExchFutureThing')));
      const source = await openLdif([file]);
      const c = emptyCollected(await source.rootDse());
      const entries = await runSearch(source, c, 'exchange', new Warnings());
      expect(entries.map((e) => e.dn)).toContain(future);
      // classified as no kind, kept for the unknown-object check instead of dropped
      expect(c.exchangeOther.map((e) => e.dn)).toEqual([future]);
      expect(entriesOf(c, 'adminGroup').map((e) => e.dn)).toEqual([AG]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('filters', () => {
  it('escapes RFC 4515 specials', () => {
    expect(escapeFilterValue('a*b(c)\\d')).toBe('a\\2ab\\28c\\29\\5cd');
  });
  it('builds ORs, deduplicated case-insensitively and sorted', () => {
    expect(anyOf('cn', ['B', 'a', 'b'])).toBe('(|(cn=a)(cn=b))');
    expect(anyOf('cn', ['x'])).toBe('(cn=x)');
    expect(anyOf('cn', [])).toBeNull();
    expect(or([null, '(a=1)'])).toBe('(a=1)');
    expect(or([null])).toBeNull();
  });
  it('DNS node labels of an FQDN in any parent zone', () => {
    expect(candidateLabels('ex1.corp.contoso.com.')).toEqual(['ex1', 'ex1.corp', 'ex1.corp.contoso']);
    expect(dnsNodeFilter(['ex1.contoso.test', 'dc1.contoso.test'])).toBe('(&(objectClass=dnsNode)(|(dc=dc1)(dc=dc1.contoso)(dc=ex1)(dc=ex1.contoso)))');
    expect(dnsNodeFilter([])).toBeNull();
  });
  it('computer lookup by FQDN, by the CN of msExchComputerLink, by NetBIOS name', () => {
    expect(computerFilter({ fqdns: ['ex1.contoso.test'], links: ['CN=EX2003,CN=Computers,DC=contoso,DC=test'], names: ['EX1'] })).toBe(
      '(&(objectClass=computer)(|(dNSHostName=ex1.contoso.test)(cn=ex2003)(sAMAccountName=ex1$)))',
    );
    expect(computerFilter({ fqdns: [], links: [], names: [] })).toBeNull();
  });
});

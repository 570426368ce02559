/**
 * The LDAP source against the real Samba AD DCs of test/dc: transports,
 * paging, ranged retrieval, binary attributes, and the read-only guarantee.
 */
import { Client } from 'ldapts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { all, first, firstBinary, searchAll } from '../../../src/source/directory.js';
import { openLdap, RANGE_WINDOW } from '../../../src/source/ldap.js';
import { contoso, fabrikam, reader } from './helpers.js';

const EXCHANGE = (configDn: string): string => `CN=Microsoft Exchange,CN=Services,${configDn}`;

describe('LDAP source on a real DC', () => {
  it('LDAPS with the CA file: root DSE and the Exchange organization', async () => {
    const dc = contoso();
    const d = await openLdap(reader(dc));
    try {
      expect(d.kind).toBe('ldap');
      expect(d.description).toBe(`ldaps://${dc.host}:636`);
      const r = await d.rootDse();
      expect(r.configurationNamingContext).toBe(dc.configDn);
      expect(r.schemaNamingContext).toBe(`CN=Schema,${dc.configDn}`);
      expect(r.defaultNamingContext).toBe(dc.baseDn);
      expect(r.rootDomainNamingContext).toBe(dc.baseDn);
      expect(r.dnsHostName?.toLowerCase()).toBe(dc.host);
      expect(r.namingContexts).toContain(dc.configDn);
      const orgs = await searchAll(d, {
        base: EXCHANGE(dc.configDn),
        scope: 'sub',
        filter: '(objectClass=msExchOrganizationContainer)',
        attributes: ['cn', 'objectClass'],
        binaryAttributes: ['objectGUID'],
      });
      expect(orgs.map((o) => o.dn)).toEqual([dc.org.dn]);
      const org = orgs[0]!;
      expect(first(org, 'cn')).toBe(dc.org.name);
      expect(all(org, 'objectClass').map((c) => c.toLowerCase())).toContain('msexchorganizationcontainer');
      expect(firstBinary(org, 'objectGUID')).toHaveLength(16);
      expect(org.text.has('objectguid')).toBe(false);
      expect(d.searchCount).toBe(2);
    } finally {
      await d.close();
    }
  }, 60_000);

  it('StartTLS on ldap:// with the CA file', async () => {
    const dc = contoso();
    const d = await openLdap(reader(dc, { url: dc.ldapUrl, startTls: true }));
    try {
      expect(d.description).toBe(`ldap://${dc.host}:389 (StartTLS)`);
      expect((await d.rootDse()).configurationNamingContext).toBe(dc.configDn);
      const servers = await searchAll(d, {
        base: EXCHANGE(dc.configDn),
        scope: 'sub',
        filter: '(objectClass=msExchExchangeServer)',
        attributes: ['cn', 'serialNumber'],
      });
      expect(servers.length).toBeGreaterThan(0);
      // servers report their build in serialNumber (a broken fixture server may lack it)
      expect(servers.some((s) => /^Version \d+\.\d+ \(Build /.test(first(s, 'serialNumber') ?? ''))).toBe(true);
    } finally {
      await d.close();
    }
  }, 60_000);

  it('binds as a UPN, a DN, or DOMAIN\\user', async () => {
    const dc = contoso();
    const netbios = dc.host.split('.')[1]!.toUpperCase(); // dc.contoso.test → CONTOSO (Samba's default)
    const forms = [dc.readerUpn, dc.readerDn, `${netbios}\\${dc.readerUpn.split('@')[0]}`];
    for (const bindDn of forms) {
      const d = await openLdap(reader(dc, { bindDn }));
      try {
        expect((await d.rootDse()).configurationNamingContext, bindDn).toBe(dc.configDn);
      } finally {
        await d.close();
      }
    }
  }, 60_000);

  it('a missing base yields no entries, not an error', async () => {
    const dc = contoso();
    const d = await openLdap(reader(dc));
    try {
      const none = await searchAll(d, { base: `CN=No Such Container,${dc.org.dn}`, scope: 'sub', filter: '(objectClass=*)', attributes: ['cn'] });
      expect(none).toEqual([]);
    } finally {
      await d.close();
    }
  }, 60_000);

  it('pages through more than 1,000 users (pageSize 100) and counts the pages', async () => {
    const dc = fabrikam();
    const d = await openLdap(reader(dc, { pageSize: 100 }));
    try {
      const t0 = performance.now();
      let n = 0;
      const dns = new Set<string>();
      for await (const e of d.search({
        base: dc.baseDn,
        scope: 'sub',
        filter: '(&(objectClass=user)(objectCategory=person))',
        attributes: ['sAMAccountName', 'homeMDB'],
        binaryAttributes: ['objectGUID', 'objectSid'],
      })) {
        n++;
        dns.add(e.dn.toLowerCase());
        expect(firstBinary(e, 'objectGUID')).toHaveLength(16);
      }
      const ms = performance.now() - t0;
      expect(n).toBeGreaterThan(1000);
      expect(dns.size).toBe(n); // no page repeated
      // every page but the last is full: at least ceil(n/100) pages
      expect(d.pageCount).toBeGreaterThanOrEqual(Math.ceil(n / 100));
      expect(d.searchCount).toBe(1);
      console.info(`[source] paged ${n} users in ${d.pageCount} pages, ${ms.toFixed(0)} ms, ${((n / ms) * 1000).toFixed(0)} entries/s`);
    } finally {
      await d.close();
    }
  }, 120_000);

  it('completes homeMDBBL beyond 1,500 values with range requests', async () => {
    const dc = fabrikam();
    const d = await openLdap(reader(dc));
    try {
      const dbs = await searchAll(d, {
        base: EXCHANGE(dc.configDn),
        scope: 'sub',
        filter: '(objectClass=msExchPrivateMDB)',
        attributes: ['cn'],
        rangedAttributes: ['homeMDBBL'],
      });
      const big = dbs.filter((db) => all(db, 'homeMDBBL').length > RANGE_WINDOW);
      expect(big.length).toBeGreaterThan(0);
      // more than one range window was fetched, and only for the big databases
      expect(d.rangeSearchCount).toBeGreaterThanOrEqual(big.length);
      expect([...dbs.flatMap((db) => [...db.text.keys()])].every((k) => !k.includes(';'))).toBe(true);
      // the backlink is complete: it equals the users whose homeMDB points at the DB
      const db = big[0]!;
      const users = await searchAll(d, {
        base: dc.baseDn,
        scope: 'sub',
        filter: `(homeMDB=${db.dn.replace(/[()*\\]/g, (c) => '\\' + c.charCodeAt(0).toString(16))})`,
        attributes: ['cn'],
      });
      const backlinks = all(db, 'homeMDBBL');
      expect(new Set(backlinks.map((x) => x.toLowerCase())).size).toBe(backlinks.length);
      expect(backlinks.map((x) => x.toLowerCase()).sort()).toEqual(users.map((u) => u.dn.toLowerCase()).sort());
      console.info(`[source] ${first(db, 'cn')}: ${backlinks.length} homeMDBBL values, ${d.rangeSearchCount} range searches`);
    } finally {
      await d.close();
    }
  }, 120_000);

  it('binary attributes come back as bytes whatever case the request uses', async () => {
    const dc = contoso();
    const d = await openLdap(reader(dc));
    try {
      const [lower] = await searchAll(d, { base: dc.org.dn, scope: 'base', filter: '(objectClass=*)', attributes: ['cn'], binaryAttributes: ['objectguid'] });
      const [upper] = await searchAll(d, { base: dc.org.dn, scope: 'base', filter: '(objectClass=*)', attributes: ['cn'], binaryAttributes: ['OBJECTGUID'] });
      expect(firstBinary(lower!, 'objectGUID')).toHaveLength(16);
      expect(firstBinary(upper!, 'objectGUID')).toEqual(firstBinary(lower!, 'objectGUID'));
    } finally {
      await d.close();
    }
  }, 60_000);
});

describe('read-only by construction', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a full run issues no add, modify, delete, rename or extended operation other than StartTLS', async () => {
    const dc = fabrikam();
    const forbidden = ['add', 'modify', 'del', 'modifyDN', 'compare'] as const;
    const spies = forbidden.map((m) => vi.spyOn(Client.prototype, m));
    const exop = vi.spyOn(Client.prototype, 'exop');
    // below the public methods: every LDAP message put on the wire
    const send = vi.spyOn(Client.prototype as unknown as { _send: (m: object) => Promise<unknown> }, '_send');
    const d = await openLdap(reader(dc, { url: dc.ldapUrl, startTls: true }));
    try {
      const r = await d.rootDse();
      let n = 0;
      for await (const e of d.search({
        base: EXCHANGE(r.configurationNamingContext),
        scope: 'sub',
        filter: '(objectClass=*)',
        attributes: ['*'],
        binaryAttributes: ['objectGUID'],
        rangedAttributes: ['homeMDBBL'],
      })) {
        n += e.dn ? 1 : 0;
      }
      expect(n).toBeGreaterThan(50);
      expect(d.rangeSearchCount).toBeGreaterThan(0);
    } finally {
      await d.close();
    }
    for (const [k, s] of spies.entries()) expect(s, forbidden[k]).not.toHaveBeenCalled();
    expect(exop.mock.calls.map((c) => c[0])).toEqual(['1.3.6.1.4.1.1466.20037']);
    const kinds = new Set(send.mock.calls.map((c) => (c[0] as object).constructor.name));
    expect([...kinds].sort()).toEqual(['BindRequest', 'ExtendedRequest', 'SearchRequest', 'UnbindRequest']);
    expect(send.mock.calls.filter((c) => (c[0] as object).constructor.name === 'SearchRequest').length).toBeGreaterThan(2);
  }, 120_000);
});

describe('--insecure', () => {
  it('connects without verifying the certificate and warns once', async () => {
    const dc = contoso();
    const warnings: string[] = [];
    const d = await openLdap({ url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, insecure: true, onWarning: (m) => warnings.push(m) });
    try {
      expect((await d.rootDse()).configurationNamingContext).toBe(dc.configDn);
    } finally {
      await d.close();
    }
    expect(warnings).toEqual([`TLS certificate verification is disabled (--insecure): the identity of ${dc.host} is not checked`]);
  }, 60_000);

  it('works with StartTLS too, and by IP address (no name check either)', async () => {
    const dc = contoso();
    const warnings: string[] = [];
    const d = await openLdap({ url: `ldap://${dc.ip}`, startTls: true, bindDn: dc.readerUpn, password: dc.readerPassword, insecure: true, onWarning: (m) => warnings.push(m) });
    try {
      expect((await d.rootDse()).configurationNamingContext).toBe(dc.configDn);
    } finally {
      await d.close();
    }
    expect(warnings).toHaveLength(1);
  }, 60_000);
});

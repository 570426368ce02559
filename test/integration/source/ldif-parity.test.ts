/**
 * The same directory state read twice — live over LDAP, and from an
 * `ldapsearch` export of that DC — must give identical entries, for the
 * same searches. This pins the LDIF source's filter, scope, naming-context,
 * binary and ranged-attribute semantics to a real DC's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory, Entry, SearchRequest } from '../../../src/source/directory.js';
import { searchAll } from '../../../src/source/directory.js';
import { openLdap } from '../../../src/source/ldap.js';
import { openLdif } from '../../../src/source/ldif.js';
import { type Dc, fabrikam, reader } from './helpers.js';

const run = promisify(execFile);

/** ldapsearch as an admin would run it for an offline export. */
async function ldapsearch(dc: Dc, pwFile: string, out: string, base: string, scope: 'base' | 'sub', attrs: string[]): Promise<void> {
  const { stdout } = await run(
    'ldapsearch',
    ['-LLL', '-o', 'ldif-wrap=76', '-x', '-H', dc.ldapsUrl, '-D', dc.readerUpn, '-y', pwFile, '-E', 'pr=500/noprompt', '-b', base, '-s', scope, '(objectClass=*)', ...attrs],
    { env: { ...process.env, LDAPTLS_CACERT: dc.caFile }, maxBuffer: 512 * 1024 * 1024 },
  );
  writeFileSync(out, stdout);
}

/**
 * Rewrites an ldapsearch export the way Windows ldifde writes one: BOM, CRLF,
 * `changetype: add`, folding at another width, and a big backlink split into
 * `attr;range=0-1499` / `attr;range=1500-*` keys.
 */
function asLdifde(ldapsearchText: string): string {
  // ldapsearch -E pr=… prints `# pagedresults: cookie=` comments even with -LLL
  const records = ldapsearchText
    .split(/\n\n+/)
    .map((r) => r.split('\n').filter((l) => !l.startsWith('#')).join('\n'))
    .filter((r) => r.trim());
  const out = records.map((rec) => {
    const logical: string[] = [];
    for (const l of rec.split('\n')) {
      if (l.startsWith(' ') && logical.length) logical[logical.length - 1] += l.slice(1);
      else if (l) logical.push(l);
    }
    const [dn, ...attrs] = logical;
    const bl = attrs.filter((a) => /^homeMDBBL::? /i.test(a));
    const rest = attrs.filter((a) => !/^homeMDBBL::? /i.test(a));
    const ranged = bl.map((a, i) => a.replace(/^homeMDBBL/i, i < 1500 ? 'homeMDBBL;range=0-1499' : 'homeMDBBL;range=1500-*'));
    const lines = [dn!, 'changetype: add', ...rest, ...ranged];
    // ldifde folds long lines with a leading space; use 78 columns, not ldapsearch's 76
    return lines.flatMap((l) => {
      const parts = [l.slice(0, 78)];
      for (let k = 78; k < l.length; k += 77) parts.push(' ' + l.slice(k, k + 77));
      return parts;
    });
  });
  return '\uFEFF' + out.map((r) => r.join('\r\n')).join('\r\n\r\n') + '\r\n';
}

/** Entry → comparable plain data; multi-values as sets (neither source promises an order). */
function plain(e: Entry): unknown {
  const text = [...e.text].map(([k, v]) => [k, [...v].sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const bin = [...e.binary].map(([k, v]) => [k, v.map((b) => b.toString('hex')).sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return { dn: e.dn, text, bin };
}

async function both(a: Directory, b: Directory, req: SearchRequest): Promise<[unknown[], unknown[]]> {
  const sort = (es: Entry[]): unknown[] => es.sort((x, y) => (x.dn.toLowerCase() < y.dn.toLowerCase() ? -1 : 1)).map(plain);
  return [sort(await searchAll(a, req)), sort(await searchAll(b, req))];
}

describe('LDAP and LDIF give the same entries', () => {
  const dc = fabrikam();
  const dir = mkdtempSync(join(tmpdir(), 'exbinder-parity-'));
  const pwFile = join(dir, 'pw');
  const files = { rootDse: join(dir, 'rootdse.ldif'), config: join(dir, 'config.ldif'), domain: join(dir, 'domain.ldif') };
  let ldap: Directory;
  let ldif: Directory;
  let ldifInferred: Directory;
  let ldifde: Directory;
  const exchange = `CN=Microsoft Exchange,CN=Services,${dc.configDn}`;

  beforeAll(async () => {
    writeFileSync(pwFile, dc.readerPassword, { mode: 0o600 }); // ldapsearch -y takes the whole file
    await ldapsearch(dc, pwFile, files.rootDse, '', 'base', ['*']);
    await ldapsearch(dc, pwFile, files.config, exchange, 'sub', ['*']);
    // users carry the homeMDB forward links; export only what a DR export needs
    await ldapsearch(dc, pwFile, files.domain, dc.baseDn, 'sub', ['objectClass', 'objectCategory', 'cn', 'homeMDB', 'objectGUID', 'userAccountControl', 'displayName']);
    ldap = await openLdap(reader(dc));
    ldif = await openLdif([files.rootDse, files.config, files.domain]);
    ldifInferred = await openLdif([files.config, files.domain]);
    const { readFileSync } = await import('node:fs');
    const windows = join(dir, 'config-ldifde.ldf');
    writeFileSync(windows, asLdifde(readFileSync(files.config, 'utf8')));
    ldifde = await openLdif([files.rootDse, windows, files.domain]);
  }, 180_000);

  afterAll(async () => {
    await ldap?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('root DSE: read from the export, and inferred without it', async () => {
    const live = await ldap.rootDse();
    const exported = await ldif.rootDse();
    expect({ ...exported, dnsHostName: live.dnsHostName }).toEqual(live);
    const inferred = await ldifInferred.rootDse();
    expect(inferred.configurationNamingContext).toBe(live.configurationNamingContext);
    expect(inferred.schemaNamingContext).toBe(live.schemaNamingContext);
    expect(inferred.defaultNamingContext).toBe(live.defaultNamingContext);
    expect(inferred.rootDomainNamingContext).toBe(live.rootDomainNamingContext);
  });

  const requests: [string, SearchRequest][] = [
    [
      'whole organization, all attributes, GUIDs as bytes, backlinks complete',
      { base: exchange, scope: 'sub', filter: '(objectClass=*)', attributes: ['*'], binaryAttributes: ['objectGUID'], rangedAttributes: ['homeMDBBL'] },
    ],
    [
      'servers by objectCategory short name, mixed-case attribute names',
      { base: exchange, scope: 'sub', filter: '(objectCategory=msExchExchangeServer)', attributes: ['CN', 'serialNumber', 'msExchCurrentServerRoles', 'networkAddress'] },
    ],
    [
      'bitwise role filter',
      { base: exchange, scope: 'sub', filter: '(&(objectClass=msExchExchangeServer)(msExchCurrentServerRoles:1.2.840.113556.1.4.803:=2))', attributes: ['cn'] },
    ],
    [
      'negated bitwise OR filter',
      { base: exchange, scope: 'sub', filter: '(&(objectClass=msExchExchangeServer)(!(msExchCurrentServerRoles:1.2.840.113556.1.4.804:=6)))', attributes: ['cn'] },
    ],
    [
      'substring and presence filters',
      { base: exchange, scope: 'sub', filter: '(&(cn=*DB*)(msExchEDBFile=*))', attributes: ['cn', 'msExchEDBFile', 'msExchOwningServer'] },
    ],
    [
      'one-level children of the organization',
      { base: dc.org.dn, scope: 'one', filter: '(objectClass=*)', attributes: ['cn', 'objectClass'] },
    ],
    [
      'users with a mailbox, GUIDs as bytes',
      { base: dc.baseDn, scope: 'sub', filter: '(&(objectCategory=person)(homeMDB=*))', attributes: ['cn', 'homeMDB', 'displayName'], binaryAttributes: ['objectGUID'] },
    ],
    [
      'no attributes asked: entries with DNs only',
      { base: exchange, scope: 'sub', filter: '(objectClass=msExchExchangeServer)', attributes: [] },
    ],
    [
      'domain subtree stays out of the configuration partition',
      { base: dc.baseDn, scope: 'sub', filter: '(objectClass=container)', attributes: ['cn'] },
    ],
  ];

  for (const [name, req] of requests) {
    it(name, async () => {
      const [live, exported] = await both(ldap, ldif, req);
      expect(live.length).toBeGreaterThan(0);
      expect(exported).toEqual(live);
    }, 120_000);
  }

  it('DN-valued equality with escaped parentheses, written differently than stored', async () => {
    const dbs = await searchAll(ldap, { base: exchange, scope: 'sub', filter: '(objectClass=msExchPrivateMDB)', attributes: ['cn'] });
    expect(dbs.length).toBeGreaterThan(0);
    let users = 0;
    for (const db of dbs) {
      // lower-cased, spaces after commas, parentheses escaped as RFC 4515 requires
      const value = db.dn.toLowerCase().replace(/,/g, ', ').replace(/\(/g, '\\28').replace(/\)/g, '\\29');
      const req: SearchRequest = { base: dc.baseDn, scope: 'sub', filter: `(homeMDB=${value})`, attributes: ['cn'] };
      const [live, exported] = await both(ldap, ldif, req);
      expect(exported).toEqual(live);
      users += live.length;
    }
    expect(users).toBeGreaterThan(1000);
  }, 120_000);

  it('an ldifde-style rewrite of the export (BOM, CRLF, changetype, ranged keys) reads the same', async () => {
    const req: SearchRequest = { base: exchange, scope: 'sub', filter: '(objectClass=*)', attributes: ['*'], binaryAttributes: ['objectGUID'], rangedAttributes: ['homeMDBBL'] };
    const [live, exported] = await both(ldap, ldifde, req);
    expect(live.length).toBeGreaterThan(100);
    expect(exported).toEqual(live);
  }, 120_000);

  it('the ranged attribute really exceeded one window on both sides', async () => {
    const req: SearchRequest = { base: exchange, scope: 'sub', filter: '(objectClass=msExchPrivateMDB)', attributes: ['cn'], rangedAttributes: ['homeMDBBL'] };
    const [live, exported] = await both(ldap, ldif, req);
    expect(exported).toEqual(live);
    const counts = (live as { text: [string, string[]][] }[]).map((e) => e.text.find(([k]) => k === 'homemdbbl')?.[1].length ?? 0);
    expect(Math.max(...counts)).toBeGreaterThan(1500);
  }, 120_000);
});

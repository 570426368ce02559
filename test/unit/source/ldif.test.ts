import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { all, first, firstBinary, searchAll } from '../../../src/source/directory.js';
import { openLdif } from '../../../src/source/ldif.js';
import { parseLdifFile, parseLdifText } from '../../../src/source/ldif-parse.js';
import { AG, CONFIG, DB, GUID, LDAPSEARCH, LDIFDE, ORG, PF_NAME, SERVER } from './ldif-samples.js';

const dir = mkdtempSync(join(tmpdir(), 'exbinder-ldif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function syntaxError(text: string, file = 'export.ldf'): ExbinderError {
  try {
    parseLdifText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ExbinderError);
    return e as ExbinderError;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('LDIF parser: ldifde dialect', () => {
  const recs = parseLdifText(LDIFDE, 'export.ldf');

  it('reads every entry, unfolding lines and skipping comments', () => {
    expect(recs.map((r) => r.dn)).toEqual([ORG, DB, SERVER, `CN=${PF_NAME},CN=Folder Hierarchies,${AG}`]);
    const db = recs[1]!;
    expect(db.attributes.get('msexchedbfile')).toEqual([
      'D:\\Program Files\\Microsoft\\Exchange Server\\V15\\Mailbox\\Mailbox Database 0311695863\\Mailbox Database 0311695863.edb',
    ]);
    expect(db.line).toBe(11); // the BOM line is line 1; the DB's dn: is on line 11
  });

  it('lower-cases attribute names and keeps multi-values in order', () => {
    expect(recs[0]!.attributes.get('objectclass')).toEqual(['top', 'container', 'msExchOrganizationContainer']);
    expect(recs[2]!.attributes.get('networkaddress')).toEqual(['ncacn_ip_tcp:EX01.contoso.com', 'ncacn_vns_spp:EX01']);
  });

  it('keeps base64 values as bytes and decodes base64 DNs as UTF-8', () => {
    expect(recs[1]!.attributes.get('objectguid')).toEqual([GUID]);
    expect(recs[3]!.attributes.get('description')).toEqual([Buffer.from(PF_NAME, 'utf8')]);
  });

  it('merges attr;range=… pieces into one attribute', () => {
    const bl = recs[1]!.attributes.get('homemdbbl');
    expect(bl).toHaveLength(5);
    expect(bl![0]).toBe('CN=u0,CN=Users,DC=contoso,DC=com');
    expect(bl![4]).toBe('CN=u4,CN=Users,DC=contoso,DC=com');
    expect([...recs[1]!.attributes.keys()].some((k) => k.includes(';'))).toBe(false);
  });
});

describe('LDIF parser: ldapsearch dialect', () => {
  const recs = parseLdifText(LDAPSEARCH, 'dump.ldif');

  it('skips version, comments, references and the result trailer', () => {
    expect(recs.map((r) => r.dn)).toEqual([
      'DC=contoso,DC=com',
      'CN=SG2\\, Finance,CN=InformationStore,CN=EX2003,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com',
      'CN=Jörg Müller,CN=Users,DC=contoso,DC=com',
    ]);
    expect(recs[1]!.attributes.get('cn')).toEqual(['SG2, Finance']);
    expect(recs[2]!.attributes.get('displayname')).toEqual(['Jörg Müller']);
  });

  it('accepts values without a space after the colon and empty values', () => {
    const [r] = parseLdifText('dn: CN=a,DC=x\ncn:a\ndescription:\ninfo:   padded\n');
    expect(r!.attributes.get('cn')).toEqual(['a']);
    expect(r!.attributes.get('description')).toEqual(['']);
    expect(r!.attributes.get('info')).toEqual(['padded']);
  });
});

describe('LDIF parser errors name file and line', () => {
  it('a line without a colon', () => {
    const e = syntaxError('dn: CN=a,DC=x\nobjectClass: top\nthis is not ldif\n');
    expect(e.message).toBe(`export.ldf:3: expected 'attr: value', got "this is not ldif"`);
    expect(e.code).toBe('ldif-syntax');
  });

  it('an entry that does not start with dn:', () => {
    expect(syntaxError('cn: a\n').message).toMatch(/^export\.ldf:1: expected 'dn: …' to start an entry/);
  });

  it('file URL values', () => {
    expect(syntaxError('dn: CN=a,DC=x\njpegPhoto:< file:///tmp/a.jpg\n').message).toMatch(
      /^export\.ldf:2: jpegPhoto:< URL values are not supported/,
    );
  });

  it('change records other than add', () => {
    expect(syntaxError('dn: CN=a,DC=x\nchangetype: modify\nreplace: cn\n').message).toMatch(
      /^export\.ldf:2: changetype modify is not supported/,
    );
  });

  it('bad base64, stray continuation, bad DN, two dn lines', () => {
    expect(syntaxError('dn: CN=a,DC=x\nobjectGUID:: ###\n').message).toBe('export.ldf:2: invalid base64 value for objectGUID');
    expect(syntaxError(' continued\n').message).toMatch(/^export\.ldf:1: continuation line/);
    expect(syntaxError('dn: CN=a,,DC=x\n').message).toMatch(/^export\.ldf:1: invalid distinguished name/);
    expect(syntaxError('dn: CN=a,DC=x\ndn: CN=b,DC=x\n').message).toMatch(/^export\.ldf:2: second 'dn:'/);
  });

  it('line numbers count physical lines, including folded ones', () => {
    const e = syntaxError('dn: CN=a,\n DC=x\ncn: a\n\ndn: CN=b,DC=x\nbroken\n');
    expect(e.message).toMatch(/^export\.ldf:6: /);
  });
});

describe('LDIF files', () => {
  it('streams a CRLF file with a BOM exactly like the text parser', async () => {
    const p = file('crlf.ldf', LDIFDE);
    const recs = [];
    for await (const r of parseLdifFile(p)) recs.push(r);
    expect(recs).toEqual(parseLdifText(LDIFDE, 'crlf.ldf'));
  });

  it('reads UTF-16LE exports (ldifde -u)', async () => {
    const p = file('unicode.ldf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LDIFDE.slice(1), 'utf16le')]));
    const recs = [];
    for await (const r of parseLdifFile(p)) recs.push(r);
    expect(recs.map((r) => r.dn)).toEqual(parseLdifText(LDIFDE).map((r) => r.dn));
  });

  it('a missing file is a one-line error naming it', async () => {
    const err = await openLdif([join(dir, 'nope.ldf')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as ExbinderError).code).toBe('ldif-read');
    expect((err as Error).message).toBe(`cannot read LDIF export ${join(dir, 'nope.ldf')} (no such file): check the file path`);
  });

  it('syntax errors in the second file name that file', async () => {
    const a = file('a.ldf', LDIFDE);
    const b = file('b.ldf', 'dn: CN=x,DC=contoso,DC=com\ngarbage\n');
    const err = await openLdif([a, b]).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`b.ldf:2: expected 'attr: value', got "garbage"`);
  });
});

describe('openLdif: searches', async () => {
  const config = file('config.ldf', LDIFDE);
  const domain = file('domain.ldif', LDAPSEARCH);
  const d = await openLdif([config, domain]);

  it('describes itself by file names', () => {
    expect(d.kind).toBe('ldif');
    expect(d.description).toBe('config.ldf, domain.ldif');
  });

  it('infers the root DSE from the DNs present', async () => {
    const r = await d.rootDse();
    expect(r).toEqual({
      configurationNamingContext: CONFIG,
      schemaNamingContext: `CN=Schema,${CONFIG}`,
      defaultNamingContext: 'DC=contoso,DC=com',
      rootDomainNamingContext: 'DC=contoso,DC=com',
      dnsHostName: null,
      namingContexts: [CONFIG, `CN=Schema,${CONFIG}`, 'DC=contoso,DC=com'],
    });
  });

  it('sub scope with an AD filter, base entry absent from the export', async () => {
    const es = await searchAll(d, {
      base: `CN=Microsoft Exchange,CN=Services,${CONFIG}`,
      scope: 'sub',
      filter: '(objectClass=msExchMDB)',
      attributes: ['cn', 'msExchEDBFile', 'msExchOwningServer'],
      binaryAttributes: ['objectGUID'],
      rangedAttributes: ['homeMDBBL'],
    });
    expect(es).toHaveLength(1);
    const e = es[0]!;
    expect(e.dn).toBe(DB);
    expect(first(e, 'cn')).toBe('Mailbox Database 0311695863');
    expect(first(e, 'msExchOwningServer')).toBe(SERVER);
    expect(firstBinary(e, 'objectGUID')).toEqual(GUID);
    expect(e.text.has('objectguid')).toBe(false);
    expect(all(e, 'homeMDBBL')).toHaveLength(5);
    // only what was asked
    expect([...e.text.keys()].sort()).toEqual(['cn', 'homemdbbl', 'msexchedbfile', 'msexchowningserver']);
  });

  it('one and base scope; DN case and spacing do not matter', async () => {
    const one = await searchAll(d, { base: 'cn=servers, ' + AG.toLowerCase(), scope: 'one', filter: '(objectClass=*)', attributes: ['cn'] });
    expect(one.map((e) => e.dn)).toEqual([SERVER]);
    const base = await searchAll(d, { base: SERVER.toUpperCase(), scope: 'base', filter: '(cn=ex01)', attributes: ['serialNumber'] });
    expect(base.map((e) => first(e, 'serialNumber'))).toEqual(['Version 15.2 (Build 1544.4)']);
    const none = await searchAll(d, { base: SERVER, scope: 'base', filter: '(cn=ex02)', attributes: ['cn'] });
    expect(none).toEqual([]);
    const missing = await searchAll(d, { base: `CN=EX99,CN=Servers,${AG}`, scope: 'base', filter: '(objectClass=*)', attributes: ['cn'] });
    expect(missing).toEqual([]);
  });

  it('does not cross naming contexts, as a DC does not', async () => {
    const domainWide = await searchAll(d, { base: 'DC=contoso,DC=com', scope: 'sub', filter: '(objectClass=*)', attributes: ['cn'] });
    expect(domainWide.map((e) => e.dn)).toEqual(['DC=contoso,DC=com', 'CN=Jörg Müller,CN=Users,DC=contoso,DC=com']);
  });

  it('bitwise filters and non-ASCII text from base64 values', async () => {
    const users = await searchAll(d, {
      base: 'DC=contoso,DC=com',
      scope: 'sub',
      filter: '(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
      attributes: ['displayName'],
    });
    expect(users.map((e) => first(e, 'displayName'))).toEqual(['Jörg Müller']);
    const pf = await searchAll(d, { base: ORG, scope: 'sub', filter: '(description=Zürich*)', attributes: ['description'] });
    expect(pf.map((e) => first(e, 'description'))).toEqual([PF_NAME]);
    // asked as binary, the same value is the original bytes
    const pfb = await searchAll(d, { base: ORG, scope: 'sub', filter: '(objectClass=msExchPFTree)', attributes: [], binaryAttributes: ['description'] });
    expect(firstBinary(pfb[0]!, 'description')).toEqual(Buffer.from(PF_NAME, 'utf8'));
  });

  it('counts searches', () => {
    expect(d.searchCount).toBe(9);
  });
});

describe('openLdif: merging and the root DSE entry', () => {
  it('later files win per attribute and keep the others', async () => {
    const a = file('m1.ldf', `dn: ${SERVER}\nobjectClass: server\ncn: EX01\nserialNumber: Version 15.1 (Build 2507.6)\n\ndn: ${ORG}\ncn: Contoso\n`);
    const b = file('m2.ldf', `dn: ${SERVER.toLowerCase()}\nserialNumber: Version 15.2 (Build 1544.4)\nmsExchInstallPath: C:\\Exchange\n`);
    const d = await openLdif([a, b]);
    expect(d.entryCount).toBe(2);
    const [e] = await searchAll(d, { base: SERVER, scope: 'base', filter: '(objectClass=*)', attributes: ['cn', 'serialNumber', 'msExchInstallPath'] });
    expect(e!.dn).toBe(SERVER); // the first spelling of the DN stays
    expect(first(e!, 'cn')).toBe('EX01');
    expect(first(e!, 'serialNumber')).toBe('Version 15.2 (Build 1544.4)');
    expect(first(e!, 'msExchInstallPath')).toBe('C:\\Exchange');
  });

  it('uses an exported root DSE entry when present', async () => {
    const p = file(
      'rootdse.ldif',
      [
        'dn:',
        `configurationNamingContext: ${CONFIG}`,
        `schemaNamingContext: CN=Schema,${CONFIG}`,
        'defaultNamingContext: DC=emea,DC=contoso,DC=com',
        'rootDomainNamingContext: DC=contoso,DC=com',
        'namingContexts: DC=emea,DC=contoso,DC=com',
        `namingContexts: ${CONFIG}`,
        '',
        `dn: ${ORG}`,
        'cn: Contoso',
        '',
      ].join('\n'),
    );
    const r = await (await openLdif([p])).rootDse();
    expect(r.defaultNamingContext).toBe('DC=emea,DC=contoso,DC=com');
    expect(r.namingContexts).toEqual(['DC=emea,DC=contoso,DC=com', CONFIG]);
  });

  it('picks the child domain holding most entries as the default domain', async () => {
    const p = file(
      'child.ldif',
      [`dn: ${ORG}`, 'cn: Contoso', '', 'dn: DC=emea,DC=contoso,DC=com', 'dc: emea', '', 'dn: CN=Users,DC=emea,DC=contoso,DC=com', 'cn: Users', '',
        'dn: DC=contoso.com,CN=MicrosoftDNS,DC=DomainDnsZones,DC=contoso,DC=com', 'dc: contoso.com', ''].join('\n'),
    );
    const r = await (await openLdif([p])).rootDse();
    expect(r.rootDomainNamingContext).toBe('DC=contoso,DC=com');
    expect(r.defaultNamingContext).toBe('DC=emea,DC=contoso,DC=com');
    expect(r.namingContexts).toContain('DC=DomainDnsZones,DC=contoso,DC=com');
  });

  it('an export without the configuration partition says what to export', async () => {
    const p = file('domain-only.ldif', LDAPSEARCH.replace(/dn: CN=SG2[\s\S]*?\n\n/, ''));
    const err = await openLdif([p]).catch((e: unknown) => e);
    expect((err as ExbinderError).code).toBe('ldif-no-config');
    expect((err as Error).message).toMatch(/^domain-only\.ldif: no entry of the configuration partition .*ldifde -f config\.ldf -d "CN=Configuration,DC=contoso,DC=com"$/);
  });
});

describe('exports cut at the DC value limit', () => {
  it('merges complete range chains silently and warns about cut ones', async () => {
    const p = file(
      'ranges.ldf',
      [
        `dn: ${ORG}`,
        'cn: Contoso',
        '',
        `dn: CN=DB1,CN=Databases,${AG}`,
        'homeMDBBL;range=0-1: CN=a,DC=contoso,DC=com',
        'homeMDBBL;range=0-1: CN=b,DC=contoso,DC=com',
        'homeMDBBL;range=2-*: CN=c,DC=contoso,DC=com',
        '',
        // what ldapsearch gets from Windows for >1500 values: the first window only
        `dn: CN=DB2,CN=Databases,${AG}`,
        'homeMDBBL;range=0-1: CN=a,DC=contoso,DC=com',
        'homeMDBBL;range=0-1: CN=b,DC=contoso,DC=com',
        '',
        `dn: CN=DB3,CN=Databases,${AG}`,
        'member;range=0-1: CN=a,DC=contoso,DC=com',
        'member;range=5-*: CN=z,DC=contoso,DC=com',
        '',
      ].join('\n'),
    );
    const warnings: string[] = [];
    const d = await openLdif([p], { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `ranges.ldf: 2 entries have attributes cut at the DC's value limit (first: homemdbbl of CN=DB2,CN=Databases,${AG}): their values are incomplete; read the DC over LDAP for complete lists`,
    ]);
    const [db1] = await searchAll(d, { base: `CN=DB1,CN=Databases,${AG}`, scope: 'base', filter: '(objectClass=*)', attributes: ['homeMDBBL'] });
    expect(all(db1!, 'homeMDBBL')).toHaveLength(3);
  });
});

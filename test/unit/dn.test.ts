import { describe, expect, it } from 'vitest';
import {
  ancestorOf,
  childOfContainer,
  DnIndex,
  dnKey,
  escapeDnValue,
  formatDn,
  isChildOf,
  isUnder,
  normalizeDn,
  parentDn,
  parentOf,
  parseDn,
  rdnType,
  rdnValue,
  rdnValueOf,
  rdnValueOrNull,
  rewriteDnsIn,
  sameDn,
} from '../../src/dn.js';
import { ExbinderError } from '../../src/errors.js';

const SG = 'CN=SG2\\, Finance,CN=InformationStore,CN=EX2003,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';

describe('parseDn', () => {
  it('splits on unescaped commas only', () => {
    const rdns = parseDn(SG);
    expect(rdns).toHaveLength(12);
    expect(rdns[0]!.avas).toEqual([{ type: 'CN', value: 'SG2, Finance' }]);
    expect(rdns[1]!.avas).toEqual([{ type: 'CN', value: 'InformationStore' }]);
  });

  it('decodes \\2C hex escapes and UTF-8 byte escapes', () => {
    expect(rdnValue('CN=SG2\\2C Finance,DC=x')).toBe('SG2, Finance');
    expect(rdnValue('CN=J\\C3\\B6rg M\\C3\\BCller,DC=x')).toBe('Jörg Müller');
    expect(rdnValue('CN=\\E6\\9D\\B1\\E4\\BA\\AC,DC=x')).toBe('東京');
  });

  it('keeps raw non-ASCII and parentheses', () => {
    expect(rdnValue('CN=Zürich Öffentliche Ordner,DC=x')).toBe('Zürich Öffentliche Ordner');
    expect(rdnValue('CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups')).toBe(
      'Exchange Administrative Group (FYDIBOHF23SPDLT)',
    );
  });

  it('parses multi-valued RDNs with +', () => {
    const [first] = parseDn('CN=Ada+UID=42,OU=People,DC=x');
    expect(first!.avas).toEqual([
      { type: 'CN', value: 'Ada' },
      { type: 'UID', value: '42' },
    ]);
    expect(rdnValue('CN=a\\+b,DC=x')).toBe('a+b');
  });

  it('tolerates spaces after separators as ldifde writes them', () => {
    expect(normalizeDn('CN=EX01, CN=Servers, DC=contoso, DC=com')).toBe('cn=ex01,cn=servers,dc=contoso,dc=com');
    expect(parentDn('CN=EX01, CN=Servers, DC=contoso')).toBe('CN=Servers, DC=contoso');
  });

  it('keeps escaped leading/trailing spaces and other escapes', () => {
    expect(rdnValue('CN=\\ lead\\ ,DC=x')).toBe(' lead ');
    expect(rdnValue('CN=a\\\\b\\"c\\<d\\>e\\;f\\=g\\#h,DC=x')).toBe('a\\b"c<d>e;f=g#h');
    expect(rdnValue('CN=trailing escaped\\20,DC=x')).toBe('trailing escaped ');
  });

  it('returns [] for the empty (root DSE) DN', () => {
    expect(parseDn('')).toEqual([]);
    expect(parentDn('')).toBeNull();
  });

  it('rejects malformed DNs with a one-line ExbinderError', () => {
    for (const bad of ['CN', 'CN=a,', '=a', 'CN=a\\zz', 'CN=a,,DC=b', 'CN="unterminated']) {
      let err: unknown;
      try {
        parseDn(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ExbinderError);
      expect((err as ExbinderError).code).toBe('dn-syntax');
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('comparison and navigation', () => {
  it('compares case-insensitively and escape-insensitively', () => {
    expect(sameDn('CN=SG2\\, Finance,DC=Contoso', 'cn=sg2\\2c finance, dc=contoso')).toBe(true);
    expect(sameDn('CN=a,DC=x', 'CN=b,DC=x')).toBe(false);
    expect(sameDn('CN=Ada+UID=42,DC=x', 'uid=42+cn=ADA,dc=x')).toBe(true);
  });

  it('parentDn slices the original spelling', () => {
    expect(parentDn(SG)).toBe(SG.slice('CN=SG2\\, Finance,'.length));
    expect(parentDn('DC=com')).toBe('');
  });

  it('rdnType names the naming attribute', () => {
    expect(rdnType('dc=contoso,dc=com')).toBe('dc');
  });

  it('isUnder is strict and does not match at escaped commas', () => {
    const base = 'CN=InformationStore,CN=EX2003,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';
    expect(isUnder(SG, base)).toBe(true);
    expect(isUnder(base, base)).toBe(false);
    expect(isUnder(SG, 'dc=CONTOSO,dc=com')).toBe(true);
    // value "x,DC=com" is one RDN, not a child of DC=com
    expect(isUnder('CN=x\\,DC=com', 'DC=com')).toBe(false);
    expect(isUnder('CN=a,DC=com', '')).toBe(true);
    expect(isChildOf(SG, base)).toBe(true);
    expect(isChildOf(SG, 'DC=contoso,DC=com')).toBe(false);
  });

  it('formatDn round-trips special characters', () => {
    const dn = 'CN=SG2\\, Finance+UID=a\\+b,CN=\\#hash,CN=\\ sp\\ ,DC=x';
    expect(formatDn(parseDn(dn))).toBe(dn);
    expect(escapeDnValue('a,b;c<d>"e"\\')).toBe('a\\,b\\;c\\<d\\>\\"e\\"\\\\');
  });
});

describe('tolerant helpers (the stages after the source)', () => {
  const SERVER = 'CN=EX2003,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';

  it('sameDn never throws: absent is never equal, a value that is no DN compares as text', () => {
    expect(sameDn(null, 'CN=a')).toBe(false);
    expect(sameDn(undefined, undefined)).toBe(false);
    expect(sameDn('not a dn', 'NOT A DN')).toBe(true);
    expect(sameDn('not a dn', 'CN=not a dn')).toBe(false);
    expect(dnKey('CN=A, DC=X')).toBe('cn=a,dc=x');
  });

  it('parentOf and ancestorOf walk up as written, null past the top or for text', () => {
    expect(parentOf(SG)).toBe(parentDn(SG));
    expect(parentOf('DC=com')).toBeNull();
    expect(parentOf('no dn')).toBeNull();
    expect(ancestorOf(SERVER, 2)).toBe(SERVER.slice('CN=EX2003,CN=Servers,'.length));
    expect(ancestorOf('CN=a, CN=b', 1)).toBe('CN=b');
    expect(ancestorOf('CN=a,CN=b', 2)).toBeNull();
    expect(ancestorOf(null, 1)).toBeNull();
  });

  it('rdnValueOf shows text that is no DN as it is; rdnValueOrNull drops it', () => {
    expect(rdnValueOf('CN=DAG\\2C 1,CN=x')).toBe('DAG, 1');
    expect(rdnValueOf('\\\\fs1\\witness')).toBe('\\\\fs1\\witness');
    expect(rdnValueOf(null)).toBeNull();
    expect(rdnValueOrNull('\\\\fs1\\witness')).toBeNull();
  });

  it('childOfContainer names the server of a per-server object, escaped commas included', () => {
    expect(childOfContainer(SG, 'CN=Servers')).toBe('EX2003');
    expect(childOfContainer('CN=owa (Default Web Site),CN=HTTP,CN=Protocols,CN=EX\\, 1,cn=servers,DC=x', 'CN=Servers')).toBe('EX, 1');
    expect(childOfContainer('CN=DC1,CN=Servers,CN=Site,CN=Sites,DC=x', 'CN=Servers')).toBe('DC1');
    expect(childOfContainer('CN=Org,DC=x', 'CN=Servers')).toBeNull();
  });

  it('DnIndex finds by any spelling and the nearest indexed ancestor', () => {
    const index = new DnIndex([{ dn: SERVER }, { dn: 'DC=contoso,DC=com' }], (o) => o.dn);
    expect(index.get(SERVER.toUpperCase())?.dn).toBe(SERVER);
    expect(index.ancestor(SG)?.dn).toBe(SERVER);
    expect(index.ancestor(SERVER)?.dn).toBe('DC=contoso,DC=com');
    expect(index.ancestor('not a dn')).toBeUndefined();
  });

  it('rewriteDnsIn follows a rename below the renamed object and inside DN-with-binary text', () => {
    const renamed = new Map([[dnKey('CN=SG1,CN=EX1,DC=x'), 'CN=SG One,CN=EX1,DC=x']]);
    expect(rewriteDnsIn('cn=sg1, cn=ex1, dc=x', renamed)).toBe('CN=SG One,CN=EX1,DC=x');
    expect(rewriteDnsIn('CN=DB1,CN=SG1,CN=EX1,DC=x', renamed)).toBe('CN=DB1,CN=SG One,CN=EX1,DC=x');
    expect(rewriteDnsIn('B:32:00AB:CN=DB1,CN=SG1,CN=EX1,DC=x', renamed)).toBe('B:32:00AB:CN=DB1,CN=SG One,CN=EX1,DC=x');
    // `DB1,CN=SG1` is one RDN value (escaped comma): the DN is not below CN=SG1
    expect(rewriteDnsIn('CN=DB1\\,CN=SG1,CN=EX1,DC=x', renamed)).toBe('CN=DB1\\,CN=SG1,CN=EX1,DC=x');
    expect(rewriteDnsIn('CN=SG1\\,CN=EX1,DC=x', renamed)).toBe('CN=SG1\\,CN=EX1,DC=x');
    expect(rewriteDnsIn('D:\\Logs', renamed)).toBe('D:\\Logs');
  });
});

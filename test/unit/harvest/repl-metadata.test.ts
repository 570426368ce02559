import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReplPropertyMetaData, replMetaDataAttids, ReplMetaDataError } from '../../../src/harvest/decode/repl-metadata.js';
import { attributeIdMap, BUILT_IN_PREFIXES, oidFromAttid, prefixTable, PrefixMapError } from '../../../src/harvest/decode/attid.js';
import { guidFromBytes } from '../../../src/harvest/decode/guid.js';
import { parseLdifText, type LdifValue } from '../../../src/source/ldif-parse.js';

// Captured from the Samba test DC: see the comment at the top of the file.
const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'replication', 'samba-db2019-01.ldif');
const records = parseLdifText(readFileSync(FIXTURE, 'utf8'), FIXTURE);
const rec = (dnStart: string) => records.find((r) => r.dn.startsWith(dnStart))!;
const one = (r: { attributes: Map<string, LdifValue[]> }, a: string): LdifValue => r.attributes.get(a.toLowerCase())![0]!;
const bytes = (v: LdifValue): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));
const text = (v: LdifValue): string => (Buffer.isBuffer(v) ? v.toString('utf8') : v);

/** LDAP GeneralizedTime '20261207084058.0Z' → ISO, independently of the decoder. */
const generalized = (t: string): string => `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`;

describe('replPropertyMetaData captured from the Samba DC', () => {
  const db = rec('CN=DB2019-01,');
  const meta = decodeReplPropertyMetaData(bytes(one(db, 'replPropertyMetaData')));
  const dcInvocation = guidFromBytes(bytes(one(rec('CN=NTDS Settings,'), 'invocationId')));
  // the schema's msDS-IntId of msExchEDBFile, as LDAP text (signed 32 bit)
  const edbIntId = Number(text(one(rec('CN=ms-Exch-EDB-File,'), 'msDS-IntId'))) >>> 0;
  const edb = meta.find((m) => m.attid === edbIntId)!;
  // attid 0 = objectClass (2.5.4.0, built-in prefix 0), written when the object was created
  const objectClass = meta.find((m) => m.attid === 0)!;

  it('has one entry per attribute ever written', () => {
    expect(meta).toHaveLength(bytes(one(db, 'replPropertyMetaData')).readUInt32LE(8));
    expect(new Set(meta.map((m) => m.attid)).size).toBe(meta.length);
  });

  it('attid: msDS-IntId for the Exchange attribute, prefix-table ids for base ones', () => {
    expect(edb).toBeDefined();
    expect(objectClass).toBeDefined();
  });

  it('version: 2 after one change of msExchEDBFile, 1 for attributes never changed', () => {
    expect(edb.version).toBe(2);
    expect(objectClass.version).toBe(1);
  });

  it('changedAt: seconds since 1601, equal to whenChanged / whenCreated', () => {
    expect(edb.changedAt).toBe(generalized(text(one(db, 'whenChanged'))));
    expect(objectClass.changedAt).toBe(generalized(text(one(db, 'whenCreated'))));
  });

  it('invocationId: the NTDS Settings of the DC the change was made on', () => {
    expect(edb.invocationId).toBe(dcInvocation);
    expect(objectClass.invocationId).toBe(dcInvocation);
  });

  it('originatingUsn / localUsn: uSNChanged for the last change, uSNCreated for the creation', () => {
    expect(edb.originatingUsn).toBe(Number(text(one(db, 'uSNChanged'))));
    expect(edb.localUsn).toBe(Number(text(one(db, 'uSNChanged'))));
    expect(objectClass.originatingUsn).toBe(Number(text(one(db, 'uSNCreated'))));
  });

  it('every attid is named through msDS-IntId or the Samba prefixMap (BDSD) and attributeID', () => {
    const schema = records
      .filter((r) => r.attributes.has('ldapdisplayname'))
      .map((r) => ({
        lDAPDisplayName: text(one(r, 'lDAPDisplayName')),
        attributeID: text(one(r, 'attributeID')),
        intId: r.attributes.has('msds-intid') ? Number(text(one(r, 'msDS-IntId'))) : null,
      }));
    const table = prefixTable(bytes(one(rec('CN=Schema,'), 'prefixMap')));
    const names = attributeIdMap(schema, table, meta.map((m) => m.attid));
    expect(names.get(edbIntId)).toBe('msExchEDBFile');
    expect(names.get(0)).toBe('objectClass');
    expect(names.get(3)).toBe('cn');
    expect(names.get(0x00020001)).toBe('instanceType');
    expect(names.get(0x00020002)).toBe('whenCreated');
    expect(names.get(0x00020119)).toBe('nTSecurityDescriptor');
    expect(names.get(0x00090001)).toBe('name');
    expect(names.get(0x0009030e)).toBe('objectCategory');
  });
});

describe('replPropertyMetaData built by hand', () => {
  // 2000-01-01T00:00:00Z = FILETIME 125911584000000000 (100 ns) = 12591158400 s = 0x2_EE7D_D480
  const Y2K = '80d47dee02000000';
  const Y2K_PLUS_61 = 'bdd47dee02000000'; // + 61 s
  const DC1 = '3b65084ac45dfc4480ffab80302aa0ce'; // {4a08653b-5dc4-44fc-80ff-ab80302aa0ce}
  const DC2 = '00112233445566778899aabbccddeeff'; // {33221100-5544-7766-8899-aabbccddeeff}
  const value = Buffer.from(
    '01000000' + '00000000' + '02000000' + '00000000' +
      // msExchEDBFile's id, version 1, set on DC1 at USN 100
      '8ca65ca1' + '01000000' + Y2K + DC1 + '6400000000000000' + '6400000000000000' +
      // msExchESEParamLogFilePath's id, version 7, last changed on DC2 (its USN 5000), here at local USN 120
      '86a65ca1' + '07000000' + Y2K_PLUS_61 + DC2 + '8813000000000000' + '7800000000000000',
    'hex',
  );
  const [a, b] = decodeReplPropertyMetaData(value);

  it('reads every field of both entries', () => {
    expect(a).toEqual({ attid: 0xa15ca68c, version: 1, changedAt: '2000-01-01T00:00:00Z', invocationId: '4a08653b-5dc4-44fc-80ff-ab80302aa0ce', originatingUsn: 100, localUsn: 100 });
    expect(b).toEqual({ attid: 0xa15ca686, version: 7, changedAt: '2000-01-01T00:01:01Z', invocationId: '33221100-5544-7766-8899-aabbccddeeff', originatingUsn: 5000, localUsn: 120 });
  });

  it('refuses a short, truncated or unknown-version value', () => {
    expect(() => decodeReplPropertyMetaData(value.subarray(0, 10))).toThrow(ReplMetaDataError);
    expect(() => decodeReplPropertyMetaData(value.subarray(0, 60))).toThrow(/truncated/);
    const v2 = Buffer.from(value);
    v2.writeUInt32LE(2, 0);
    expect(() => decodeReplPropertyMetaData(v2)).toThrow(/version 2/);
  });

  it('ids alone, and only the entries asked for', () => {
    expect(replMetaDataAttids(value)).toEqual([0xa15ca68c, 0xa15ca686]);
    expect(decodeReplPropertyMetaData(value, (id) => id === 0xa15ca686)).toEqual([b]);
    expect(() => replMetaDataAttids(value.subarray(0, 60))).toThrow(/truncated/);
  });

  it('an empty vector has no entries', () => {
    expect(decodeReplPropertyMetaData(Buffer.from('01000000000000000000000000000000', 'hex'))).toEqual([]);
  });
});

describe('attid → OID', () => {
  // vectors from DSInternals' PrefixTable tests (a prefixMap after the Exchange 2016 schema import, Windows layout)
  const windows = Buffer.from(
    '060000006200000023480b002a864886f7140104b658664f310c002a864886f7140104b658668331090c002a864886f7140105b6583e83dc600a002a864886f714010614014b6d0a002a864886f714010614024f750b002a864886f7140106140183',
    'hex',
  );

  it('built-in prefixes (givenName, objectSid, searchFlags, entryTTL)', () => {
    expect(oidFromAttid(42, BUILT_IN_PREFIXES)).toBe('2.5.4.42');
    expect(oidFromAttid(589970, BUILT_IN_PREFIXES)).toBe('1.2.840.113556.1.4.146');
    expect(oidFromAttid(131406, BUILT_IN_PREFIXES)).toBe('1.2.840.113556.1.2.334');
    expect(oidFromAttid(1769475, BUILT_IN_PREFIXES)).toBe('1.3.6.1.4.1.1466.101.119.3');
  });

  it('Windows prefixMap: Exchange prefixes (ms-Exch-Admins, ms-Exch-Folder-Affinity-List)', () => {
    const t = prefixTable(windows);
    expect(t.size).toBe(39 + 6);
    expect(oidFromAttid(827294608, t)).toBe('1.2.840.113556.1.4.7000.102.50064');
    expect(oidFromAttid(1210264401, t)).toBe('1.2.840.113556.1.4.7000.102.11089');
    expect(oidFromAttid(12345678, t)).toBeNull();
  });

  it('Samba prefixMap: the stored prefix of 1.2.840.113556.1.4.7000.102 names msExchEDBFile by OID', () => {
    const t = prefixTable(bytes(one(rec('CN=Schema,'), 'prefixMap')));
    expect(t.get(0x2a)?.toString('hex')).toBe('2a864886f7140104b65866');
    // 11001 ≥ 128: two BER bytes, the prefix without them is index 0x2a
    expect(oidFromAttid((0x2a << 16) | 11001, t)).toBe(text(one(rec('CN=ms-Exch-EDB-File,'), 'attributeID')));
  });

  it('a truncated prefixMap is an error', () => {
    expect(() => prefixTable(windows.subarray(0, 20))).toThrow(PrefixMapError);
  });
});

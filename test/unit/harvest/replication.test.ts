import { describe, expect, it } from 'vitest';
import { mapReplication, schemaFilter, type ReplicationInput } from '../../../src/harvest/replication.js';
import { KINDS } from '../../../src/harvest/registry.js';
import { guidToBytes } from '../../../src/harvest/decode/guid.js';
import type { Entry } from '../../../src/source/directory.js';

const entry = (dn: string, text: Record<string, string[]>, binary: Record<string, Buffer[]> = {}): Entry => ({
  dn,
  text: new Map(Object.entries(text).map(([k, v]) => [k.toLowerCase(), v])),
  binary: new Map(Object.entries(binary).map(([k, v]) => [k.toLowerCase(), v])),
});

const DC1 = '4a08653b-5dc4-44fc-80ff-ab80302aa0ce';
const DC2 = '33221100-5544-7766-8899-aabbccddeeff';
const GONE = '99999999-0000-0000-0000-000000000001';
const DB_GUID = '722b9809-be28-4cc9-b097-0e88d34fb11d';
const database = KINDS.find((k) => k.id === 'database')!;

/** One 48-byte entry: attid, version, seconds since 1601, invocationId, USNs. */
function metaEntry(attid: number, version: number, seconds: bigint, dc: string): Buffer {
  const b = Buffer.alloc(48);
  b.writeUInt32LE(attid, 0);
  b.writeUInt32LE(version, 4);
  b.writeBigUInt64LE(seconds, 8);
  guidToBytes(dc).copy(b, 16);
  b.writeBigUInt64LE(10n, 32);
  b.writeBigUInt64LE(10n, 40);
  return b;
}
function vector(...entries: Buffer[]): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(1, 0);
  h.writeUInt32LE(entries.length, 8);
  return Buffer.concat([h, ...entries]);
}
// 2000-01-01T00:00:00Z = 12591158400 s since 1601 (FILETIME 125911584000000000)
const Y2K = 12591158400n;
const EDB_INTID = -1587763572; // msDS-IntId as LDAP text gives it
const LOG_INTID = -1587763578;

function input(over: Partial<ReplicationInput> = {}): ReplicationInput {
  const db = entry('CN=DB1,CN=Databases,CN=X', { cn: ['DB1'] }, {
    objectGUID: [guidToBytes(DB_GUID)],
    replPropertyMetaData: [
      vector(
        metaEntry(EDB_INTID >>> 0, 3, Y2K + 3600n, DC2),
        metaEntry(LOG_INTID >>> 0, 1, Y2K, GONE),
        metaEntry(3, 1, Y2K, DC1), // cn: 2.5.4.3, built-in prefix 0
        metaEntry(0, 1, Y2K, DC1), // objectClass: never attributed
      ),
    ],
  });
  const schema = [
    entry('CN=ms-Exch-EDB-File,CN=Schema', { lDAPDisplayName: ['msExchEDBFile'], attributeID: ['1.2.840.113556.1.4.7000.102.11001'], 'msDS-IntId': [String(EDB_INTID)] }),
    entry('CN=ms-Exch-ESE-Param-Log-File-Path,CN=Schema', { lDAPDisplayName: ['msExchESEParamLogFilePath'], attributeID: ['1.2.840.113556.1.4.7000.102.11011'], 'msDS-IntId': [String(LOG_INTID)] }),
    entry('CN=Common-Name,CN=Schema', { lDAPDisplayName: ['cn'], attributeID: ['2.5.4.3'] }),
  ];
  const dc = (name: string, id: string) => ({
    server: entry(`CN=${name},CN=Servers,CN=S,CN=Sites`, { cn: [name], dNSHostName: [`${name}.Contoso.test`] }),
    ntds: entry(`CN=NTDS Settings,CN=${name},CN=Servers,CN=S,CN=Sites`, {}, { invocationId: [guidToBytes(id)] }),
  });
  return {
    requested: true,
    sourceKind: 'ldap',
    objects: [{ entry: db, kind: database }],
    schemaHead: undefined,
    attributeSchemas: schema,
    dcs: [dc('dc1', DC1), dc('dc2', DC2)],
    ...over,
  };
}

describe('mapReplication', () => {
  it('per object and attribute: version, time and the DC, by DNS name; a retired DC by its invocationId', () => {
    const r = mapReplication(input());
    expect(r.status).toBe('read');
    expect(r.note).toBeNull();
    expect(r.dcs).toEqual({ [DC1]: 'dc1.contoso.test', [DC2]: 'dc2.contoso.test' });
    expect(r.objects[DB_GUID]).toEqual({
      msExchEDBFile: '3 2000-01-01T01:00:00Z dc2.contoso.test',
      msExchESEParamLogFilePath: `1 2000-01-01T00:00:00Z ${GONE}`,
      cn: '1 2000-01-01T00:00:00Z dc1.contoso.test',
    });
    expect(r.attributeIds).toEqual({ a15ca68c: 'msExchEDBFile', a15ca686: 'msExchESEParamLogFilePath', '00000003': 'cn' });
  });

  it('--no-repl-metadata: said, nothing read', () => {
    const r = mapReplication(input({ requested: false }));
    expect([r.status, r.objects]).toEqual(['not-requested', {}]);
    expect(r.note).toMatch(/--no-repl-metadata/);
  });

  it('an export without the attribute: unavailable, with how to export it', () => {
    const bare = input().objects.map((o) => ({ ...o, entry: entry(o.entry.dn, {}, { objectGUID: [guidToBytes(DB_GUID)] }) }));
    const r = mapReplication(input({ objects: bare, sourceKind: 'ldif' }));
    expect(r.status).toBe('unavailable');
    expect(r.note).toMatch(/export has no replPropertyMetaData/);
    expect(mapReplication(input({ objects: bare })).note).toMatch(/account may not read it/);
  });

  it('no schema objects: ids cannot be named', () => {
    const r = mapReplication(input({ attributeSchemas: [] }));
    expect(r.status).toBe('unavailable');
    expect(r.note).toMatch(/schema objects were not read/);
  });

  it('a broken value is counted, the others still read', () => {
    const broken = entry('CN=DB2,CN=Databases,CN=X', {}, { objectGUID: [guidToBytes(DC1)], replPropertyMetaData: [Buffer.from('0100', 'hex')] });
    const r = mapReplication(input({ objects: [...input().objects, { entry: broken, kind: database }] }));
    expect(r.status).toBe('read');
    expect(r.note).toBe('1 replPropertyMetaData values could not be decoded');
  });

  it('the schema search asks for the schema head and the attributes read, by name', () => {
    const f = schemaFilter();
    expect(f.startsWith('(|(objectClass=dMD)(&(objectClass=attributeSchema)(|')).toBe(true);
    expect(f).toContain('(lDAPDisplayName=msexchedbfile)');
    expect(f).not.toContain('(lDAPDisplayName=objectclass)');
  });
});

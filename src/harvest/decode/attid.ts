/**
 * Attribute ids (ATTRTYP) in replPropertyMetaData → attribute OIDs.
 *
 * An attribute with `msDS-IntId` on its schema object is identified by that
 * value. Every other attribute's id is made by [MS-DRSR] 5.16.4 MakeAttid:
 * the upper 16 bits index the DC's prefix table (a list of BER-encoded OID
 * prefixes), the lower 16 bits carry the last arc (with bit 15 set when the
 * arc needed a third BER byte). OidFromAttid below is its inverse.
 *
 * The first prefixes are built into every DC and never stored; the schema's
 * `prefixMap` attribute holds the rest. Two stored layouts exist:
 * - Samba: "BDSD" (PREFIX_MAP_VERSION_DSDB) + NDR drsuapi_DsReplicaOIDMapping_Ctr
 *   (checked against the Samba test DC's value);
 * - Windows: count (u32), size (u32), then per prefix index (u16), length (u16), bytes
 *   (layout and test vectors: DSInternals, MichaelGrafnetter/DSInternals PrefixTable).
 */

export type PrefixTable = ReadonlyMap<number, Buffer>;

/**
 * The built-in prefixes, index → BER prefix ([MS-DRSR] 5.16.4; the same list
 * is built into Samba, source4/dsdb/schema/schema_prefixmap.c, and DSInternals).
 */
const BUILT_IN: ReadonlyArray<readonly [number, string]> = [
  [0, '5504'], // 2.5.4
  [1, '5506'], // 2.5.6
  [2, '2a864886f7140102'], // 1.2.840.113556.1.2
  [3, '2a864886f7140103'], // 1.2.840.113556.1.3
  [4, '6086480165020201'], // 2.16.840.1.101.2.2.1
  [5, '6086480165020203'], // 2.16.840.1.101.2.2.3
  [6, '6086480165020105'], // 2.16.840.1.101.2.1.5
  [7, '6086480165020104'], // 2.16.840.1.101.2.1.4
  [8, '5505'], // 2.5.5
  [9, '2a864886f7140104'], // 1.2.840.113556.1.4
  [10, '2a864886f7140105'], // 1.2.840.113556.1.5
  [11, '2a864886f71401048204'], // 1.2.840.113556.1.4.260
  [12, '2a864886f714010538'], // 1.2.840.113556.1.5.56
  [13, '2a864886f71401048206'], // 1.2.840.113556.1.4.262
  [14, '2a864886f714010539'], // 1.2.840.113556.1.5.57
  [15, '2a864886f71401048207'], // 1.2.840.113556.1.4.263
  [16, '2a864886f71401053a'], // 1.2.840.113556.1.5.58
  [17, '2a864886f714010549'], // 1.2.840.113556.1.5.73
  [18, '2a864886f71401048231'], // 1.2.840.113556.1.4.305
  [19, '0992268993f22c64'], // 0.9.2342.19200300.100
  [20, '6086480186f84203'], // 2.16.840.1.113730.3
  [21, '0992268993f22c6401'], // 0.9.2342.19200300.100.1
  [22, '6086480186f8420301'], // 2.16.840.1.113730.3.1
  [23, '2a864886f7140105b658'], // 1.2.840.113556.1.5.7000
  [24, '5515'], // 2.5.21
  [25, '5512'], // 2.5.18
  [26, '5514'], // 2.5.20
  [27, '2b060104018b3a6577'], // 1.3.6.1.4.1.1466.101.119
  [28, '6086480186f8420302'], // 2.16.840.1.113730.3.2
  [29, '2b06010401817a01'], // 1.3.6.1.4.1.250.1
  [30, '2a864886f70d0109'], // 1.2.840.113549.1.9
  [31, '0992268993f22c6404'], // 0.9.2342.19200300.100.4
  [32, '2a864886f714010617'], // 1.2.840.113556.1.6.23
  [33, '2a864886f71401061201'], // 1.2.840.113556.1.6.18.1
  [34, '2a864886f71401061202'], // 1.2.840.113556.1.6.18.2
  [35, '2a864886f71401060d03'], // 1.2.840.113556.1.6.13.3
  [36, '2a864886f71401060d04'], // 1.2.840.113556.1.6.13.4
  [37, '2b0601010101'], // 1.3.6.1.1.1.1
  [38, '2b0601010102'], // 1.3.6.1.1.1.2
];

export const BUILT_IN_PREFIXES: PrefixTable = new Map(BUILT_IN.map(([i, hex]) => [i, Buffer.from(hex, 'hex')]));

export class PrefixMapError extends Error {}

/** The schema's prefixMap (either layout) on top of the built-in prefixes; null or empty = built-in only. */
export function prefixTable(prefixMap: Buffer | null): PrefixTable {
  const table = new Map(BUILT_IN_PREFIXES);
  if (!prefixMap || prefixMap.length === 0) return table;
  const stored = prefixMap.subarray(0, 4).toString('latin1') === 'BDSD' ? parseSamba(prefixMap) : parseWindows(prefixMap);
  for (const [i, b] of stored) table.set(i, b);
  return table;
}

function need(buf: Buffer, end: number): void {
  if (end > buf.length) throw new PrefixMapError(`prefixMap truncated (needs ${end} bytes, has ${buf.length})`);
}

/** Windows: numPrefixes (u32), totalSize (u32), then { index u16, length u16, bytes }. */
function parseWindows(buf: Buffer): Map<number, Buffer> {
  need(buf, 8);
  const count = buf.readUInt32LE(0);
  const out = new Map<number, Buffer>();
  let o = 8;
  for (let i = 0; i < count; i++) {
    need(buf, o + 4);
    const index = buf.readUInt16LE(o);
    const length = buf.readUInt16LE(o + 2);
    need(buf, o + 4 + length);
    out.set(index, Buffer.from(buf.subarray(o + 4, o + 4 + length)));
    o += 4 + length;
  }
  return out;
}

/**
 * Samba: "BDSD", reserved (u32), then NDR of drsuapi_DsReplicaOIDMapping_Ctr:
 * num_mappings, referent, conformant count, num_mappings × { id_prefix,
 * length, referent }, then each OID's bytes (conformant count, bytes, padded to 4).
 */
function parseSamba(buf: Buffer): Map<number, Buffer> {
  need(buf, 20);
  const count = buf.readUInt32LE(8);
  let o = 20;
  const heads: { index: number; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    need(buf, o + 12);
    heads.push({ index: buf.readUInt32LE(o) & 0xffff, length: buf.readUInt32LE(o + 4) });
    o += 12;
  }
  const out = new Map<number, Buffer>();
  for (const h of heads) {
    need(buf, o + 4);
    const n = buf.readUInt32LE(o);
    if (n !== h.length) throw new PrefixMapError(`prefixMap entry ${h.index}: ${n} bytes where ${h.length} were announced`);
    need(buf, o + 4 + n);
    out.set(h.index, Buffer.from(buf.subarray(o + 4, o + 4 + n)));
    o += 4 + n + ((4 - (n % 4)) % 4);
  }
  return out;
}

/** [MS-DRSR] OidFromAttid: null when the id's prefix is not in the table. */
export function oidFromAttid(attid: number, table: PrefixTable): string | null {
  const prefix = table.get(attid >>> 16);
  if (!prefix) return null;
  let low = attid & 0xffff;
  const last: number[] = [];
  if (low < 128) last.push(low);
  else {
    if (low >= 0x8000) low -= 0x8000;
    last.push(((low >> 7) & 0x7f) | 0x80, low & 0x7f);
  }
  return oidFromBer(Buffer.concat([prefix, Buffer.from(last)]));
}

/** BER-encoded OID (no tag/length) → dotted form. */
export function oidFromBer(bytes: Buffer): string | null {
  const arcs: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  if (arcs.length === 0 || (bytes[bytes.length - 1]! & 0x80) !== 0) return null;
  const firstArc = arcs[0]!;
  const head = firstArc < 40 ? [0, firstArc] : firstArc < 80 ? [1, firstArc - 40] : [2, firstArc - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

export interface SchemaAttribute {
  lDAPDisplayName: string;
  attributeID: string;
  /** msDS-IntId as LDAP returns it (a signed 32-bit integer), or null */
  intId: number | null;
}

/**
 * attid → lDAPDisplayName for the given schema attributes: msDS-IntId first,
 * else the prefix-table id of attributeID (the ids the metadata can carry).
 */
export function attributeIdMap(attributes: readonly SchemaAttribute[], table: PrefixTable, attids: Iterable<number>): Map<number, string> {
  const byIntId = new Map<number, string>();
  const byOid = new Map<string, string>();
  for (const a of attributes) {
    if (a.intId !== null) byIntId.set(a.intId >>> 0, a.lDAPDisplayName);
    else byOid.set(a.attributeID, a.lDAPDisplayName);
  }
  const out = new Map<number, string>();
  for (const id of attids) {
    if (out.has(id)) continue;
    const direct = byIntId.get(id);
    if (direct) {
      out.set(id, direct);
      continue;
    }
    const oid = oidFromAttid(id, table);
    const name = oid ? byOid.get(oid) : undefined;
    if (name) out.set(id, name);
  }
  return out;
}

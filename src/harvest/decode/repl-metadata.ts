/**
 * `replPropertyMetaData` values: per attribute of an object, how often it was
 * changed (version), when and on which DC the last change was made.
 *
 * Layout ([MS-DRSR] PROPERTY_META_DATA_EXT_VECTOR, little-endian, as AD and
 * Samba return it over LDAP):
 *
 *   0 dwVersion (=1) · 4 reserved · 8 cNumProps · 12 reserved
 *   16 + 48·i: attrType (u32) · dwVersion (u32) · timeChanged (u64, whole
 *   SECONDS since 1601-01-01 UTC, not FILETIME's 100 ns) · originating DSA
 *   invocationId (GUID) · usnOriginating (u64) · usnLocal (u64)
 *
 * The seconds unit was checked on the Samba test DC (the value of a fresh
 * change equals the wall clock in seconds since 1601).
 */
import { guidFromBytes } from './guid.js';

export interface AttributeMetaData {
  /** ATTRTYP: msDS-IntId or a prefix-table id (see attid.ts) */
  attid: number;
  /** originating changes so far: 1 = set once and never changed */
  version: number;
  /** last originating change, ISO 8601 UTC */
  changedAt: string;
  /** invocationId of the DC the last change was made on (canonical GUID) */
  invocationId: string;
  originatingUsn: number;
  localUsn: number;
}

export class ReplMetaDataError extends Error {}

const HEADER = 16;
const ENTRY = 48;
/** seconds from 1601-01-01 to 1970-01-01 */
const EPOCH_1601_TO_1970 = 11_644_473_600;

/** Number of entries, after checking the header and the length. */
function entryCount(buf: Buffer): number {
  if (buf.length < HEADER) throw new ReplMetaDataError(`replPropertyMetaData too short (${buf.length} bytes)`);
  const version = buf.readUInt32LE(0);
  if (version !== 1) throw new ReplMetaDataError(`replPropertyMetaData version ${version} (only 1 is defined)`);
  const count = buf.readUInt32LE(8);
  if (buf.length < HEADER + count * ENTRY) {
    throw new ReplMetaDataError(`replPropertyMetaData truncated (${count} entries need ${HEADER + count * ENTRY} bytes, got ${buf.length})`);
  }
  return count;
}

/** Only the attribute ids (cheap: a large harvest names them first, then decodes only the entries it keeps). */
export function replMetaDataAttids(buf: Buffer): number[] {
  const count = entryCount(buf);
  return Array.from({ length: count }, (_, i) => buf.readUInt32LE(HEADER + i * ENTRY));
}

/** Every entry, or those whose attid `keep` accepts. */
export function decodeReplPropertyMetaData(buf: Buffer, keep?: (attid: number) => boolean): AttributeMetaData[] {
  const count = entryCount(buf);
  const out: AttributeMetaData[] = [];
  for (let i = 0; i < count; i++) {
    const o = HEADER + i * ENTRY;
    if (keep && !keep(buf.readUInt32LE(o))) continue;
    out.push({
      attid: buf.readUInt32LE(o),
      version: buf.readUInt32LE(o + 4),
      changedAt: secondsSince1601ToIso(buf.readBigUInt64LE(o + 8)),
      invocationId: guidFromBytes(buf.subarray(o + 16, o + 32))!,
      originatingUsn: safeNumber(buf.readBigUInt64LE(o + 32)),
      localUsn: safeNumber(buf.readBigUInt64LE(o + 40)),
    });
  }
  return out;
}

export function secondsSince1601ToIso(seconds: bigint): string {
  const unix = Number(seconds) - EPOCH_1601_TO_1970;
  const d = new Date(unix * 1000);
  if (Number.isNaN(d.getTime())) throw new ReplMetaDataError(`replPropertyMetaData time ${seconds} is out of range`);
  return d.toISOString().replace('.000Z', 'Z');
}

function safeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ReplMetaDataError(`replPropertyMetaData USN ${n} is out of range`);
  return Number(n);
}

/**
 * AD-integrated DNS `dnsRecord` values ([MS-DNSP] 2.3.2.2 DNS_RPC_RECORD as
 * stored in AD): a 24-byte header then the record data.
 *
 *   0 DataLength (LE16) · 2 Type (LE16) · 4 Version (=5) · 5 Rank · 6 Flags (LE16)
 *   8 Serial (LE32) · 12 TtlSeconds (BE32) · 16 Reserved · 20 TimeStamp (LE32) · 24 Data
 *
 * Only what the binder prints is decoded: A and AAAA (the server's IPs) and
 * CNAME (namespace aliases). Type 0 is a tombstone (deleted record kept for
 * replication) and is never an address.
 */
export type DnsRecord =
  | { type: 'A' | 'AAAA'; address: string; ttl: number; static: boolean }
  | { type: 'CNAME'; target: string; ttl: number; static: boolean }
  | { type: 'tombstone' }
  | { type: 'other'; typeCode: number };

export class DnsRecordError extends Error {}

const HEADER = 24;

export function decodeDnsRecord(buf: Buffer): DnsRecord {
  if (buf.length < HEADER) throw new DnsRecordError(`dnsRecord too short (${buf.length} bytes)`);
  const dataLength = buf.readUInt16LE(0);
  const typeCode = buf.readUInt16LE(2);
  if (buf.length < HEADER + dataLength) {
    throw new DnsRecordError(`dnsRecord data truncated (${buf.length - HEADER} of ${dataLength} bytes)`);
  }
  const data = buf.subarray(HEADER, HEADER + dataLength);
  const ttl = buf.readUInt32BE(12);
  // aging timestamp 0 = static record (not scavenged)
  const isStatic = buf.readUInt32LE(20) === 0;
  switch (typeCode) {
    case 0:
      return { type: 'tombstone' };
    case 1:
      if (data.length !== 4) throw new DnsRecordError(`A record with ${data.length} data bytes`);
      return { type: 'A', address: Array.from(data).join('.'), ttl, static: isStatic };
    case 0x1c:
      if (data.length !== 16) throw new DnsRecordError(`AAAA record with ${data.length} data bytes`);
      return { type: 'AAAA', address: formatIpv6(data), ttl, static: isStatic };
    case 5:
      return { type: 'CNAME', target: decodeCountName(data), ttl, static: isStatic };
    default:
      return { type: 'other', typeCode };
  }
}

/** DNS_COUNT_NAME: total length, label count, then length-prefixed labels. */
export function decodeCountName(data: Buffer): string {
  if (data.length < 2) throw new DnsRecordError('DNS_COUNT_NAME too short');
  const labelCount = data[1]!;
  const labels: string[] = [];
  let i = 2;
  for (let k = 0; k < labelCount; k++) {
    const len = data[i];
    if (len === undefined || i + 1 + len > data.length) throw new DnsRecordError('DNS_COUNT_NAME label overruns the data');
    if (len === 0) break;
    labels.push(data.subarray(i + 1, i + 1 + len).toString('utf8'));
    i += 1 + len;
  }
  return labels.join('.');
}

/** RFC 5952 text form: lower-case, longest zero run compressed. */
export function formatIpv6(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

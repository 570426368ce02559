/**
 * TLS channel binding for SASL binds inside LDAPS: RFC 5929
 * "tls-server-end-point", the hash of the DC's certificate, which Windows DCs
 * check when LDAP channel binding is on (LdapEnforceChannelBinding 1 "when
 * supported" or 2 "always"; Microsoft ADV190023).
 *
 * The hash is the certificate's own signature hash, except that MD5 and
 * SHA-1 become SHA-256 (RFC 5929 §4.1).
 */
import { createHash } from 'node:crypto';

/** signatureAlgorithm OIDs (DER content bytes, hex) and the hash RFC 5929 takes for them */
const SIGNATURE_HASH: Record<string, string> = {
  '2a864886f70d01010b': 'sha256', // sha256WithRSAEncryption 1.2.840.113549.1.1.11
  '2a864886f70d01010c': 'sha384', // sha384WithRSAEncryption 1.2.840.113549.1.1.12
  '2a864886f70d01010d': 'sha512', // sha512WithRSAEncryption 1.2.840.113549.1.1.13
  '2a8648ce3d040302': 'sha256', // ecdsa-with-SHA256 1.2.840.10045.4.3.2
  '2a8648ce3d040303': 'sha384', // ecdsa-with-SHA384 1.2.840.10045.4.3.3
  '2a8648ce3d040304': 'sha512', // ecdsa-with-SHA512 1.2.840.10045.4.3.4
};

/** Reads one DER TLV at `at`: where its content starts and ends. */
function tlv(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  if (start + len > der.length) throw new Error('certificate DER truncated');
  return { tag, start, end: start + len };
}

/** The hash algorithm of a DER certificate's signature (Certificate ::= SEQUENCE { tbs, signatureAlgorithm, signature }). */
export function endPointHash(der: Buffer): string {
  const cert = tlv(der, 0);
  const tbs = tlv(der, cert.start);
  const algId = tlv(der, tbs.end);
  const oid = tlv(der, algId.start);
  if (oid.tag !== 0x06) return 'sha256';
  // MD5, SHA-1, RSASSA-PSS (hash in the parameters) and anything unknown: SHA-256
  return SIGNATURE_HASH[der.subarray(oid.start, oid.end).toString('hex')] ?? 'sha256';
}

/** The channel bindings' application data for a server certificate. */
export function tlsServerEndPoint(der: Buffer): Buffer {
  return Buffer.concat([Buffer.from('tls-server-end-point:', 'ascii'), createHash(endPointHash(der)).update(der).digest()]);
}

/**
 * DER certificate (msExchServerInternalTLSCert) → the facts an admin needs to
 * replace it: subject, SAN names, issuer, thumbprint (as Exchange's
 * Get-ExchangeCertificate shows it), validity.
 */
import { X509Certificate } from 'node:crypto';
import type { Certificate } from '../../snapshot/model.js';

export class CertificateError extends Error {}

/**
 * Node prints a DN one RDN per line, issuer-to-leaf order as encoded
 * (`C=US\nO=Contoso\nCN=mail`). Exchange and Windows show the reverse,
 * comma-separated (`CN=mail, O=Contoso, C=US`): use the admin's form.
 */
export function windowsDn(nodeDn: string): string {
  return nodeDn
    .split('\n')
    .filter((l) => l.length > 0)
    .reverse()
    .join(', ');
}

/**
 * Splits Node's subjectAltName text (`DNS:a, DNS:b, IP Address:10.0.0.1`).
 * Node quotes entries that contain separators (`DNS:"a, b"`), so a plain split
 * on ", " would cut them. IPs are written `IP:` as OpenSSL and certutil do.
 */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const kind = text.slice(i, colon);
    i = colon + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
    } else {
      const end = text.indexOf(', ', i);
      value = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    }
    out.push(`${kind === 'IP Address' ? 'IP' : kind}:${value}`);
  }
  return out;
}

export function decodeCertificate(der: Buffer): Certificate {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    // OpenSSL's reason ("error:0680007B:asn1 encoding routines::header too long") helps nobody reading a warning
    throw new CertificateError(`not a DER X.509 certificate (${der.length} bytes that do not decode)`);
  }
  // subject = issuer and signed by its own key; not checkIssued(): OpenSSL's issuer
  // check also demands keyCertSign, which Exchange's self-signed certificates lack
  const selfSigned = x.subject === x.issuer && safeVerify(x);
  return {
    subject: windowsDn(x.subject),
    issuer: windowsDn(x.issuer),
    serialNumber: x.serialNumber.toUpperCase(),
    thumbprint: x.fingerprint.replace(/:/g, '').toUpperCase(),
    notBefore: isoDate(x.validFrom, 'notBefore'),
    notAfter: isoDate(x.validTo, 'notAfter'),
    subjectAltNames: parseSubjectAltNames(x.subjectAltName),
    selfSigned,
  };
}

/** OpenSSL's validity text → ISO 8601; a time it could not read ("Bad time value") is a CertificateError. */
function isoDate(text: string, field: string): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CertificateError(`certificate ${field} is not a valid time (${JSON.stringify(text)})`);
  return new Date(t).toISOString();
}

function safeVerify(x: X509Certificate): boolean {
  try {
    return x.verify(x.publicKey);
  } catch {
    return false;
  }
}

/** Days an admin gets to renew before harvest-time warnings start. */
export const EXPIRY_WARNING_DAYS = 60;

/**
 * Expiry state relative to the harvest time. Goes to metadata.warnings only:
 * the snapshot body must not change just because time passed.
 */
export function expiryState(cert: Certificate, now: Date): 'expired' | 'expiring' | 'valid' {
  const notAfter = Date.parse(cert.notAfter);
  if (notAfter <= now.getTime()) return 'expired';
  if (notAfter - now.getTime() <= EXPIRY_WARNING_DAYS * 86_400_000) return 'expiring';
  return 'valid';
}

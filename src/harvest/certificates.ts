/** Certificates stored in AD → model, with expiry warnings relative to the harvest time. */
import type { Certificate } from '../snapshot/model.js';
import { CertificateError, decodeCertificate, expiryState, EXPIRY_WARNING_DAYS } from './decode/certificate.js';
import type { Warnings } from './warnings.js';

export function certificateOf(der: Buffer | null, what: string, dn: string, now: Date, warnings: Warnings): Certificate | null {
  if (!der) return null;
  let cert: Certificate;
  try {
    cert = decodeCertificate(der);
  } catch (err) {
    // only the decoder's own words: anything else would quote Node internals
    warnings.add('cert-unreadable', `${what} is not a readable certificate: ${err instanceof CertificateError ? err.message : 'it does not decode'}`, dn);
    return null;
  }
  const state = expiryState(cert, now);
  const day = cert.notAfter.slice(0, 10);
  if (state === 'expired') {
    warnings.add('cert-expired', `${what} (${cert.subject}, thumbprint ${cert.thumbprint}) expired on ${day}`, dn);
  } else if (state === 'expiring') {
    warnings.add('cert-expiring', `${what} (${cert.subject}, thumbprint ${cert.thumbprint}) expires on ${day}, within ${EXPIRY_WARNING_DAYS} days`, dn);
  }
  return cert;
}

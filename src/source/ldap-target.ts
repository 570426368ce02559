/**
 * Where to connect and how the connection is protected, checked before any
 * packet is sent: URL syntax, transport (LDAPS, StartTLS, Kerberos seal,
 * plain) and the TLS options (CA file, SNI).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { ExbinderError, unreadableInput } from '../errors.js';

export type Auth = 'simple' | 'kerberos';

export interface Target {
  url: string;
  host: string;
  port: number;
  /**
   * ldaps: TLS from the first byte; starttls: ldap:// then TLS;
   * seal: ldap:// protected by the Kerberos SASL layer; plain: nothing (labs only)
   */
  secure: 'ldaps' | 'starttls' | 'seal' | 'plain';
  /** connect to this address instead of resolving `host` (a DC found through --dns-server) */
  address?: string;
  where: string;
  description: string;
}

export interface TargetOptions {
  url: string;
  startTls?: boolean;
  insecurePlain?: boolean;
  auth?: Auth;
  address?: string;
}

/** Validates the URL and the transport choice before any packet is sent. */
export function parseTarget(o: TargetOptions): Target {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new ExbinderError(`invalid --url "${o.url}": use ldaps://dc.example.com, or ldap://dc.example.com (StartTLS)`, 'ldap-url');
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'ldap' && scheme !== 'ldaps') {
    throw new ExbinderError(`invalid --url "${o.url}": the scheme must be ldaps:// or ldap://`, 'ldap-url');
  }
  if (u.username || u.password) {
    // never echo the URL back: it holds a credential
    throw new ExbinderError('--url must not contain a user name or password: use --bind-dn and --password-file', 'ldap-url');
  }
  if ((u.pathname && u.pathname !== '/') || u.search) {
    throw new ExbinderError(`invalid --url "${o.url}": give only scheme, host and port (the base DN comes from the root DSE)`, 'ldap-url');
  }
  if (!u.hostname) throw new ExbinderError(`invalid --url "${o.url}": no host name`, 'ldap-url');
  // DNS names are case-insensitive; one spelling keeps metadata stable
  let host = u.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = u.port ? Number(u.port) : scheme === 'ldaps' ? 636 : 389;
  if (scheme === 'ldaps' && o.startTls) {
    throw new ExbinderError('StartTLS (startTls in the config) goes with ldap:// (port 389), not ldaps://: drop one of them', 'ldap-url');
  }
  const kerberos = o.auth === 'kerberos';
  if (kerberos && isIP(host)) {
    // the service ticket is for ldap/<DNS name>: an address has no SPN
    throw new ExbinderError(`Kerberos needs the DC's DNS name, not the address ${host}: use --url ldaps://dc.example.com`, 'ldap-url');
  }
  let secure: Target['secure'];
  if (scheme === 'ldaps') secure = 'ldaps';
  else if (o.startTls) secure = 'starttls';
  // Kerberos on plain LDAP always seals: never a clear-text Kerberos session
  else if (kerberos) secure = 'seal';
  else if (o.insecurePlain) secure = 'plain';
  else {
    throw new ExbinderError(
      `${o.url} would send the password unencrypted: use ldaps://${u.hostname}, or ldap:// without --no-starttls (StartTLS), or --auth kerberos (which seals)`,
      'ldap-plain',
    );
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const where = `${hostPart}:${port}`;
  const how = secure === 'starttls' ? ' (StartTLS)' : secure === 'seal' ? ' (Kerberos sign+seal)' : '';
  const description = `${scheme}://${where}${how}`;
  return { url: `${scheme}://${where}`, host, port, secure, where, description, ...(o.address ? { address: o.address } : {}) };
}

async function readCa(caFile: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(caFile, 'utf8');
  } catch (err) {
    throw unreadableInput('CA file', caFile, err, 'check --ca-file', 'ca-file');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ExbinderError(`CA file ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----): export the CA certificate as Base-64 (PEM)`, 'ca-file');
  }
  // Node's TLS silently skips a block it cannot parse and then blames trust: check each block here
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/g) ?? [];
  const valid = blocks.filter((b) => {
    try {
      new X509Certificate(b);
      return true;
    } catch {
      return false;
    }
  });
  if (!valid.length) {
    throw new ExbinderError(
      `CA file ${caFile} holds no valid certificate (${blocks.length ? `${blocks.length} PEM block${blocks.length === 1 ? '' : 's'} that do not decode as X.509` : 'no END CERTIFICATE line'}): export the CA certificate again as Base-64 (PEM)`,
      'ca-file',
    );
  }
  return pem;
}

/** TLS options shared by every DC tried: the CA file is read once. */
export async function tlsBase(o: { caFile?: string; insecure?: boolean }): Promise<ConnectionOptions> {
  const tls: ConnectionOptions = { rejectUnauthorized: !o.insecure };
  if (o.caFile) tls.ca = [await readCa(o.caFile)];
  return tls;
}

/** TLS options for one DC: SNI and identity check against its name. */
export function tlsFor(base: ConnectionOptions, target: Target): ConnectionOptions {
  // SNI must be a name, never an IP (RFC 6066); identity is checked against `host` then
  return isIP(target.host) ? { ...base } : { ...base, servername: target.host };
}

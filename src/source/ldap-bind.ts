/**
 * Opens one connection to one DC and authenticates: simple bind (inside
 * LDAPS or StartTLS) or Kerberos (SASL GSSAPI: inside TLS without a layer,
 * or on plain LDAP with sign+seal). Every failure is an ExbinderError.
 */
import type { ConnectionOptions } from 'node:tls';
import { Client, StrongAuthRequiredError } from 'ldapts';
import { ExbinderError } from '../errors.js';
import { GssError, gssMessage } from './gssapi.js';
import { kerberosBind, SaslLayerError } from './kerberos-bind.js';
import { type ErrorContext, mapLdapError, type Phase } from './ldap-errors.js';
import { type Auth, type Target, tlsFor } from './ldap-target.js';

export interface Credentials {
  auth: Auth;
  /** simple: DN, UPN (user@domain) or DOMAIN\user */
  bindDn?: string;
  password?: string;
  /** kerberos: client keytab (else the ticket cache) and the principal to use */
  keytab?: string;
  principal?: string;
}

export interface ConnectOptions {
  tls: ConnectionOptions;
  connectTimeoutMs: number;
  timeoutMs: number;
  credentials: Credentials;
  ctx: (target: Target, phase: Phase, base?: string) => ErrorContext;
}

/** Checks the credentials before any DC is contacted. */
export function checkCredentials(c: Credentials): void {
  if (c.auth === 'kerberos') {
    if (c.password) throw new ExbinderError('--auth kerberos takes no password: use the ticket cache (kinit) or --keytab FILE', 'usage', 2);
    if (c.principal && !/^[^@\s]+@[^@\s]+$/.test(c.principal)) {
      throw new ExbinderError(`invalid --principal "${c.principal}": use user@REALM (the realm in capitals, e.g. svc-exbinder@CONTOSO.COM)`, 'usage', 2);
    }
    return;
  }
  if (!c.bindDn) throw new ExbinderError('no bind user: pass --bind-dn (a DN, user@domain or DOMAIN\\user)', 'ldap-bind-dn');
  if (!c.password) {
    // AD treats a simple bind with an empty password as an anonymous bind that "succeeds"
    throw new ExbinderError('empty password: AD would bind anonymously; provide the password of ' + c.bindDn, 'no-password');
  }
}

export function newClient(target: Target, o: Pick<ConnectOptions, 'tls' | 'connectTimeoutMs' | 'timeoutMs'>): Client {
  const connectTo = target.address ? (target.address.includes(':') ? `[${target.address}]` : target.address) : null;
  const url = connectTo ? `${target.url.split('://')[0]}://${connectTo}:${target.port}` : target.url;
  // StartTLS and seal: no tlsOptions in the constructor (they would switch on implicit TLS)
  return target.secure === 'ldaps'
    ? new Client({ url, timeout: o.timeoutMs, connectTimeout: o.connectTimeoutMs, tlsOptions: tlsFor(o.tls, target) })
    : new Client({ url, timeout: o.timeoutMs, connectTimeout: o.connectTimeoutMs });
}

/** Connects, secures and binds one DC. */
export async function connectAndBind(target: Target, o: ConnectOptions): Promise<Client> {
  const client = newClient(target, o);
  const ctx = (phase: Phase) => o.ctx(target, phase);
  try {
    if (target.secure === 'starttls') {
      // StartTLS is connection setup: the exop and the TLS handshake after it
      // (which ldapts does not time) get the connect timeout, not 120 s
      await withTimeout(client.startTLS({ ...tlsFor(o.tls, target), host: target.host }), o.connectTimeoutMs, () => void client.unbind().catch(() => undefined));
    }
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw mapLdapError(err, ctx(client.isConnected || isTlsError(err) ? 'starttls' : 'connect'));
  }
  const c = o.credentials;
  try {
    if (c.auth === 'kerberos') {
      await kerberosBind(client, {
        host: target.host,
        layer: target.secure === 'seal' ? 'seal' : 'none',
        credentials: { ...(c.keytab ? { keytab: c.keytab } : {}), ...(c.principal ? { principal: c.principal } : {}) },
      });
    } else {
      await client.bind(c.bindDn!, c.password!);
    }
  } catch (err) {
    await client.unbind().catch(() => undefined);
    if (err instanceof GssError) throw gssMessage(err, { host: target.host, keytab: c.keytab, principal: c.principal });
    if (err instanceof SaslLayerError) throw new ExbinderError(`Kerberos bind to ${target.where}: ${err.message}`, 'kerberos-layer', 2, { cause: err });
    if (c.auth === 'kerberos' && err instanceof StrongAuthRequiredError && target.secure !== 'seal') {
      throw new ExbinderError(
        `${target.where} refuses a Kerberos (SASL) bind inside TLS (${String(err.message).replace(/\s+Code: 0x[0-9a-f]+$/i, '')}): use ldap://${target.host} with --auth kerberos (sign+seal, no TLS) instead`,
        'kerberos-sasl-over-tls',
        2,
        { cause: err },
      );
    }
    // a connect failure surfaces on the first operation for ldaps and plain
    throw mapLdapError(err, ctx(target.secure === 'starttls' || isResultError(err) ? 'bind' : 'connect'));
  }
  return client;
}

function isResultError(err: unknown): boolean {
  return typeof (err as { code?: unknown })?.code === 'number';
}
function isTlsError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SIGNATURE|ISSUER/.test(code));
}

/** Rejects like ldapts' own connect timeout, so the same message applies. */
async function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error('Connection timeout'));
    }, ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

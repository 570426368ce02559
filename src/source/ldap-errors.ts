/**
 * Turns whatever ldapts, node:net and node:tls throw into one-line
 * DirectoryErrors: a reason from the Directory vocabulary (what the harvest
 * decides on), an ExbinderError code, and a message that says what failed
 * and what the admin should do. The mapping is a table of rules, first match
 * wins. Messages never contain the password (see oneLine()).
 */
import {
  AdminLimitExceededError,
  BusyError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  ResultCodeError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  TLSNotSupportedError,
  UnavailableError,
  UnknownStatusCodeError,
} from 'ldapts';
import { ExbinderError, type ExbinderCode } from '../errors.js';
import { DirectoryError, type DirectoryReason } from './directory.js';

export type Phase = 'connect' | 'starttls' | 'bind' | 'rootdse' | 'search';

export interface ErrorContext {
  /** `dc1.contoso.test:636` */
  where: string;
  host: string;
  port: number;
  secure: 'ldaps' | 'starttls' | 'seal' | 'plain';
  phase: Phase;
  bindDn: string;
  /** search base, for access errors */
  base?: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** redacted from every message, belt and braces */
  password: string;
}

/** AD's `data NNN` sub-codes of invalidCredentials (MS-ADTS / KB 2000 series). */
const AD_BIND_DATA: Record<string, string> = {
  '525': 'user not found',
  '52e': 'wrong password',
  '530': 'logon not permitted at this time',
  '531': 'logon not permitted from this workstation',
  '532': 'password expired',
  '533': 'account disabled',
  '568': 'too many security IDs',
  '701': 'account expired',
  '773': 'user must change the password',
  '775': 'account locked out',
};

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const TLS_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** One line, no password, no ldapts "Code: 0x31" noise. */
export function oneLine(text: string, password: string): string {
  let t = text.replace(/\s*\r?\n\s*/g, ' ').replace(/\s+Code: 0x[0-9a-f]+$/i, '').trim();
  if (password) t = t.split(password).join('***');
  return t;
}

function portHint(ctx: ErrorContext): string {
  return ctx.secure === 'ldaps' ? `LDAPS/${ctx.port}` : `LDAP/${ctx.port}`;
}

/** LDAPS and global catalog over TLS (MS-ADTS 6.1.1.1: 636 and 3269). */
const LDAPS_PORTS = new Set([636, 3269]);

function isTransportLoss(msg: string, code: string | undefined): boolean {
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    msg === 'Connection timeout' ||
    /Connection closed before message response|Socket error|Socket connection not established|socket hang up|Operation timed out/.test(msg)
  );
}

function transportReason(msg: string, code: string | undefined): string {
  if (code === 'ECONNRESET') return 'connection reset by the server';
  if (msg === 'Connection timeout' || /timed out/.test(msg)) return 'no answer';
  return 'the server closed the connection';
}

function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** AD puts `data 52e` inside the diagnostic message of an invalidCredentials result. */
export function adBindReason(message: string): string | null {
  const m = /data ([0-9a-f]{3})/i.exec(message);
  if (!m) return null;
  const code = m[1]!.toLowerCase();
  return `AD data ${code}: ${AD_BIND_DATA[code] ?? 'see AD bind error codes'}`;
}

/** Socket errors of a connect that reached nobody, in words. */
const UNREACHABLE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** What a rule sees of the error. */
interface Failure {
  readonly err: unknown;
  /** the message without ldapts' " Code: 0x31" suffix */
  readonly msg: string;
  /** Node's string code (errno, TLS), if any */
  readonly code: string | undefined;
  readonly ctx: ErrorContext;
}

interface Rule {
  readonly when: (f: Failure) => boolean;
  readonly reason: DirectoryReason;
  readonly code: ExbinderCode;
  readonly message: (f: Failure) => string;
}

const base = (f: Failure): string => f.ctx.base ?? 'the directory';
const tlsFix = (f: Failure): string =>
  f.ctx.secure === 'ldaps' ? 'is this an LDAPS port? for port 389 use ldap:// (StartTLS is the default)' : 'the DC may have no certificate for LDAP; use ldaps:// if it has one';
const connecting = (f: Failure): boolean => f.ctx.phase === 'connect' || f.ctx.phase === 'starttls';
const is = (...classes: (abstract new (...args: never[]) => unknown)[]) => (f: Failure): boolean => classes.some((c) => f.err instanceof c);

/** First match wins: transport, then TLS, then LDAP results, then ldapts' own transport messages. */
const RULES: readonly Rule[] = [
  // --- plain LDAP to an LDAPS port: the DC waits for a TLS ClientHello and
  // drops (or never answers) our clear-text request; say so instead of
  // blaming the network
  {
    when: (f) =>
      f.ctx.secure !== 'ldaps' && LDAPS_PORTS.has(f.ctx.port) && (connecting(f) || f.ctx.phase === 'bind') && isTransportLoss(f.msg, f.code),
    reason: 'unreachable', code: 'ldap-wrong-port',
    message: (f) =>
      `${f.ctx.where} is an LDAPS port but the URL says ldap:// (${transportReason(f.msg, f.code)}): use ldaps://${f.ctx.host.includes(':') ? `[${f.ctx.host}]` : f.ctx.host}:${f.ctx.port}, or ldap:// to port 389`,
  },
  // --- transport
  {
    when: (f) => !!f.code && UNREACHABLE[f.code] !== undefined && connecting(f),
    reason: 'unreachable', code: 'ldap-unreachable',
    message: (f) => `cannot reach ${f.ctx.where} (${UNREACHABLE[f.code!]}): check --url and that the DC listens on ${portHint(f.ctx)}`,
  },
  {
    // a DC resets a TLS ClientHello sent to its plain LDAP port
    when: (f) => f.code === 'ECONNRESET' && f.ctx.phase === 'connect' && f.ctx.secure === 'ldaps',
    reason: 'tls', code: 'tls-handshake',
    message: (f) => `TLS handshake with ${f.ctx.where} failed (connection reset by the server): is this an LDAPS port? for port 389 use ldap:// (StartTLS is the default)`,
  },
  {
    when: (f) => f.msg === 'Connection timeout',
    reason: 'unreachable', code: 'ldap-unreachable',
    message: (f) => `cannot reach ${f.ctx.where} (no answer within ${secondsText(f.ctx.connectTimeoutMs)}): check --url, firewalls, and that the DC listens on ${portHint(f.ctx)}`,
  },
  // --- TLS
  {
    when: (f) => f.code === 'ERR_TLS_CERT_ALTNAME_INVALID',
    reason: 'tls', code: 'tls-hostname',
    message: (f) => {
      // Node's reason lists only the names of the kind asked (IP or DNS); the
      // certificate's own names tell the admin what to connect to instead
      const e = f.err as { reason?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } };
      const names = e.cert?.subjectaltname ?? (e.cert?.subject?.CN ? `CN=${e.cert.subject.CN}` : undefined);
      return `TLS certificate of ${f.ctx.host} does not match the name "${f.ctx.host}" (${names ? `it names ${names}` : (e.reason ?? f.msg)}): connect with a host name the certificate holds, not an IP address or alias`;
    },
  },
  {
    when: (f) => !!f.code && TLS_UNTRUSTED.has(f.code),
    reason: 'tls', code: 'tls-verify',
    message: (f) => `TLS certificate of ${f.ctx.host} is not trusted (${f.msg}): pass the issuing CA with --ca-file FILE, or --insecure to skip verification (not recommended)`,
  },
  {
    when: (f) => !!f.code && TLS_DATES.has(f.code),
    reason: 'tls', code: 'tls-verify',
    message: (f) => `TLS certificate of ${f.ctx.host} is not valid now (${f.msg}): renew the DC certificate or fix the clock; --insecure skips verification (not recommended)`,
  },
  {
    when: (f) => !!f.code?.startsWith('ERR_SSL_') || /wrong version number|ssl3_get_record|tlsv1 alert|handshake/i.test(f.msg),
    reason: 'tls', code: 'tls-handshake',
    message: (f) => `TLS handshake with ${f.ctx.where} failed (${f.msg}): ${tlsFix(f)}`,
  },
  {
    when: (f) => f.err instanceof TLSNotSupportedError || (f.ctx.phase === 'starttls' && f.err instanceof ResultCodeError),
    reason: 'tls', code: 'tls-starttls',
    message: (f) => `${f.ctx.where} refused StartTLS (${f.msg}): the DC has no certificate for LDAP; install one or use ldaps:// to a DC that has one`,
  },
  // --- LDAP results
  {
    when: is(InvalidCredentialsError),
    reason: 'auth', code: 'ldap-credentials',
    message: (f) => {
      const reason = adBindReason(f.msg);
      return `bind as ${f.ctx.bindDn} to ${f.ctx.where} failed: invalid credentials${reason ? ` (${reason})` : ''}: check the user (DN, user@domain or DOMAIN\\user) and the password`;
    },
  },
  {
    when: is(StrongAuthRequiredError, ConfidentialityRequiredError),
    reason: 'auth', code: 'ldap-strong-auth',
    message: (f) => `${f.ctx.where} refuses a simple bind over an unencrypted connection (${f.msg}): use ldaps://, or ldap:// without --no-starttls (StartTLS)`,
  },
  {
    when: is(InsufficientAccessError),
    reason: 'access-denied', code: 'ldap-access',
    message: (f) => `${f.ctx.bindDn} may not read ${base(f)} on ${f.ctx.where} (insufficient access): grant the account read access to the configuration partition`,
  },
  {
    when: is(NoSuchObjectError),
    reason: 'no-such-object', code: 'ldap-no-such-object',
    message: (f) => `${f.ctx.where} has no object ${base(f)} (${f.msg}): check the DN, or that this DC holds that partition`,
  },
  {
    when: is(TimeLimitExceededError),
    reason: 'timeout', code: 'ldap-timeout',
    message: (f) => `${f.ctx.where} stopped the search of ${base(f)} at its time limit (${f.msg}): retry later or raise the DC's MaxQueryDuration`,
  },
  {
    when: is(SizeLimitExceededError, AdminLimitExceededError),
    reason: 'limit', code: 'ldap-limit',
    message: (f) => `${f.ctx.where} refused the search of ${base(f)} by policy (${f.msg}): lower --page-size to at most the DC's MaxPageSize (1000 by default)`,
  },
  {
    when: is(BusyError),
    reason: 'busy', code: 'ldap-unavailable',
    message: (f) => `${f.ctx.where} is busy or unavailable (${f.msg}): retry later or use another DC`,
  },
  {
    when: is(UnavailableError),
    reason: 'unavailable', code: 'ldap-unavailable',
    message: (f) => `${f.ctx.where} is busy or unavailable (${f.msg}): retry later or use another DC`,
  },
  {
    when: (f) => f.err instanceof UnknownStatusCodeError && f.err.code === 10,
    reason: 'referral', code: 'ldap-referral',
    message: (f) => `${f.ctx.where} does not hold ${f.ctx.base ?? 'that naming context'} (referral): point --url at a DC of the forest root domain`,
  },
  // --- ldapts transport messages
  {
    when: (f) => /Operation timed out/.test(f.msg),
    reason: 'timeout', code: 'ldap-timeout',
    message: (f) => `${f.ctx.where} did not answer the ${f.ctx.phase} within ${secondsText(f.ctx.timeoutMs)}: retry, or raise --timeout for a slow or loaded DC`,
  },
  {
    when: (f) =>
      /Connection closed before message response|Socket error|Socket connection not established|socket hang up/.test(f.msg) ||
      f.code === 'ECONNRESET' ||
      f.code === 'EPIPE',
    reason: 'connection-lost', code: 'ldap-connection-lost',
    message: (f) => {
      const reason = /Socket error/.test(f.msg) ? f.msg.replace(/^Socket error\. Message type: [^\n]*\n?/, '') || 'socket error' : 'the connection was closed';
      return `connection to ${f.ctx.where} lost during ${f.ctx.phase}: ${reason}: check the network and the DC, then run again`;
    },
  },
  {
    when: (f) => f.err instanceof ResultCodeError,
    reason: 'other', code: 'ldap-error',
    message: (f) => `LDAP ${f.ctx.phase} on ${f.ctx.where} failed: ${f.msg} (result ${(f.err as ResultCodeError).code})`,
  },
];

const FALLBACK: Rule = {
  when: () => true,
  reason: 'other', code: 'ldap-error',
  message: (f) => `LDAP ${f.ctx.phase} on ${f.ctx.where} failed: ${f.msg}`,
};

export function mapLdapError(err: unknown, ctx: ErrorContext): ExbinderError {
  if (err instanceof ExbinderError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  // ldapts ends result messages with " Code: 0x31": the code is ours to explain
  const msg = (typeof e?.message === 'string' ? e.message : String(err)).replace(/\s+Code: 0x[0-9a-f]+\s*$/i, '').replace(/\0/g, '');
  const f: Failure = { err, msg, code: typeof e?.code === 'string' ? e.code : undefined, ctx };
  const rule = RULES.find((r) => r.when(f)) ?? FALLBACK;
  return new DirectoryError(oneLine(rule.message(f), ctx.password), rule.reason, rule.code, { cause: err });
}

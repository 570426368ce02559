/**
 * Turns whatever ldapts, node:net and node:tls throw into one-line
 * ExbinderErrors that say what failed and what the admin should do.
 * Messages never contain the password (see redact()).
 */
import {
  AdminLimitExceededError,
  BusyError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  ResultCodeError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  TLSNotSupportedError,
  UnavailableError,
  UnknownStatusCodeError,
} from 'ldapts';
import { ExbinderError } from '../errors.js';

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

function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

function make(message: string, code: string, ctx: ErrorContext, cause: unknown): ExbinderError {
  return new ExbinderError(oneLine(message, ctx.password), code, 2, { cause });
}

/** AD puts `data 52e` inside the diagnostic message of an invalidCredentials result. */
export function adBindReason(message: string): string | null {
  const m = /data ([0-9a-f]{3})/i.exec(message);
  if (!m) return null;
  const code = m[1]!.toLowerCase();
  return `AD data ${code}: ${AD_BIND_DATA[code] ?? 'see AD bind error codes'}`;
}

export function mapLdapError(err: unknown, ctx: ErrorContext): ExbinderError {
  if (err instanceof ExbinderError) return err;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  // ldapts ends result messages with " Code: 0x31": the code is ours to explain
  const msg = (typeof e?.message === 'string' ? e.message : String(err)).replace(/\s+Code: 0x[0-9a-f]+\s*$/i, '').replace(/\0/g, '');
  const code = typeof e?.code === 'string' ? e.code : undefined;

  // --- transport ------------------------------------------------------------
  const unreachable: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (code && unreachable[code] && (ctx.phase === 'connect' || ctx.phase === 'starttls')) {
    return make(
      `cannot reach ${ctx.where} (${unreachable[code]}): check --url and that the DC listens on ${portHint(ctx)}`,
      'ldap-unreachable',
      ctx,
      err,
    );
  }
  if (code === 'ECONNRESET' && ctx.phase === 'connect' && ctx.secure === 'ldaps') {
    // a DC resets a TLS ClientHello sent to its plain LDAP port
    return make(
      `TLS handshake with ${ctx.where} failed (connection reset by the server): is this an LDAPS port? for port 389 use ldap:// with --starttls`,
      'tls-handshake',
      ctx,
      err,
    );
  }
  if (msg === 'Connection timeout') {
    return make(
      `cannot reach ${ctx.where} (no answer within ${secondsText(ctx.connectTimeoutMs)}): check --url, firewalls, and that the DC listens on ${portHint(ctx)}`,
      'ldap-unreachable',
      ctx,
      err,
    );
  }

  // --- TLS ------------------------------------------------------------------
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node's reason lists only the names of the kind asked (IP or DNS); the
    // certificate's own names tell the admin what to connect to instead
    const cert = (err as { cert?: { subjectaltname?: string; subject?: { CN?: string } } }).cert;
    const names = cert?.subjectaltname ?? (cert?.subject?.CN ? `CN=${cert.subject.CN}` : undefined);
    return make(
      `TLS certificate of ${ctx.host} does not match the name "${ctx.host}" (${names ? `it names ${names}` : (e.reason ?? msg)}): connect with a host name the certificate holds, not an IP address or alias`,
      'tls-hostname',
      ctx,
      err,
    );
  }
  if (code && TLS_UNTRUSTED.has(code)) {
    return make(
      `TLS certificate of ${ctx.host} is not trusted (${msg}): pass the issuing CA with --ca-file FILE, or --insecure to skip verification (not recommended)`,
      'tls-verify',
      ctx,
      err,
    );
  }
  if (code && TLS_DATES.has(code)) {
    return make(
      `TLS certificate of ${ctx.host} is not valid now (${msg}): renew the DC certificate or fix the clock; --insecure skips verification (not recommended)`,
      'tls-verify',
      ctx,
      err,
    );
  }
  if (code?.startsWith('ERR_SSL_') || /wrong version number|ssl3_get_record|tlsv1 alert|handshake/i.test(msg)) {
    return make(
      `TLS handshake with ${ctx.where} failed (${msg}): ${ctx.secure === 'ldaps' ? 'is this an LDAPS port? for port 389 use ldap:// with --starttls' : 'the DC may have no certificate for LDAP; use ldaps:// if it has one'}`,
      'tls-handshake',
      ctx,
      err,
    );
  }
  if (err instanceof TLSNotSupportedError || (ctx.phase === 'starttls' && err instanceof ResultCodeError)) {
    return make(
      `${ctx.where} refused StartTLS (${msg}): the DC has no certificate for LDAP; install one or use ldaps:// to a DC that has one`,
      'tls-starttls',
      ctx,
      err,
    );
  }

  // --- LDAP results -----------------------------------------------------------
  if (err instanceof InvalidCredentialsError) {
    const reason = adBindReason(msg);
    return make(
      `bind as ${ctx.bindDn} to ${ctx.where} failed: invalid credentials${reason ? ` (${reason})` : ''}: check the user (DN, user@domain or DOMAIN\\user) and the password`,
      'ldap-credentials',
      ctx,
      err,
    );
  }
  if (err instanceof StrongAuthRequiredError || err instanceof ConfidentialityRequiredError) {
    return make(
      `${ctx.where} refuses a simple bind over an unencrypted connection (${msg}): use ldaps:// or --starttls`,
      'ldap-strong-auth',
      ctx,
      err,
    );
  }
  if (err instanceof InsufficientAccessError) {
    return make(
      `${ctx.bindDn} may not read ${ctx.base ?? 'the directory'} on ${ctx.where} (insufficient access): grant the account read access to the configuration partition`,
      'ldap-access',
      ctx,
      err,
    );
  }
  if (err instanceof TimeLimitExceededError) {
    return make(
      `${ctx.where} stopped the search of ${ctx.base ?? 'the directory'} at its time limit (${msg}): retry later or raise the DC's MaxQueryDuration`,
      'ldap-timeout',
      ctx,
      err,
    );
  }
  if (err instanceof SizeLimitExceededError || err instanceof AdminLimitExceededError) {
    return make(
      `${ctx.where} refused the search of ${ctx.base ?? 'the directory'} by policy (${msg}): lower --page-size to at most the DC's MaxPageSize (1000 by default)`,
      'ldap-limit',
      ctx,
      err,
    );
  }
  if (err instanceof BusyError || err instanceof UnavailableError) {
    return make(`${ctx.where} is busy or unavailable (${msg}): retry later or use another DC`, 'ldap-unavailable', ctx, err);
  }
  if (err instanceof UnknownStatusCodeError && err.code === 10) {
    return make(
      `${ctx.where} does not hold ${ctx.base ?? 'that naming context'} (referral): point --url at a DC of the forest root domain`,
      'ldap-referral',
      ctx,
      err,
    );
  }

  // --- ldapts transport messages ------------------------------------------------
  if (/Operation timed out/.test(msg)) {
    return make(
      `${ctx.where} did not answer the ${ctx.phase} within ${secondsText(ctx.timeoutMs)}: retry, or raise --timeout for a slow or loaded DC`,
      'ldap-timeout',
      ctx,
      err,
    );
  }
  if (
    /Connection closed before message response|Socket error|Socket connection not established|socket hang up/.test(msg) ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  ) {
    const reason = /Socket error/.test(msg) ? msg.replace(/^Socket error\. Message type: [^\n]*\n?/, '') || 'socket error' : 'the connection was closed';
    return make(
      `connection to ${ctx.where} lost during ${ctx.phase}: ${reason}: check the network and the DC, then run again`,
      'ldap-connection-lost',
      ctx,
      err,
    );
  }

  if (err instanceof ResultCodeError) {
    return make(`LDAP ${ctx.phase} on ${ctx.where} failed: ${msg} (result ${err.code})`, 'ldap-error', ctx, err);
  }
  return make(`LDAP ${ctx.phase} on ${ctx.where} failed: ${msg}`, 'ldap-error', ctx, err);
}

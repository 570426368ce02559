/**
 * Kerberos (GSSAPI) tokens from the system's MIT library, libgssapi_krb5.so.2
 * (Debian libgssapi-krb5-2, RHEL krb5-libs), called through koffi: prebuilt
 * FFI, no compiler at install time. Only the initiator side: import the
 * service name, acquire credentials (ticket cache, or a client keytab with a
 * private in-memory cache: no kinit), step the context, wrap and unwrap.
 *
 * Calls that may talk to the KDC (acquire, init) run on koffi's worker thread
 * so that a slow KDC does not stop the event loop; wrap/unwrap are local.
 *
 * The library is loaded on first use: a simple bind never needs it.
 */
import { createRequire } from 'node:module';
import { ExbinderError } from '../errors.js';

// koffi is CommonJS; createRequire keeps this module loadable when koffi is absent
const require = createRequire(import.meta.url);

/** GSS flags (RFC 2744 §3.9.1) */
export const GSS_C_MUTUAL_FLAG = 2;
export const GSS_C_REPLAY_FLAG = 4;
export const GSS_C_SEQUENCE_FLAG = 8;
export const GSS_C_CONF_FLAG = 16;
export const GSS_C_INTEG_FLAG = 32;

const GSS_S_COMPLETE = 0;
const GSS_S_CONTINUE_NEEDED = 1;
const GSS_C_INITIATE = 1;
const GSS_C_GSS_CODE = 1;
const GSS_C_MECH_CODE = 2;

// OIDs in DER content form (RFC 2744 / RFC 1964)
/** 1.2.840.113554.1.2.1.4 GSS_C_NT_HOSTBASED_SERVICE */
const NT_HOSTBASED_SERVICE = Buffer.from('2a864886f71201020104', 'hex');
/** 1.2.840.113554.1.2.2.1 GSS_KRB5_NT_PRINCIPAL_NAME */
const NT_KRB5_PRINCIPAL = Buffer.from('2a864886f71201020201', 'hex');
/** 1.2.840.113554.1.2.2 the Kerberos 5 mechanism */
const MECH_KRB5 = Buffer.from('2a864886f712010202', 'hex');

/**
 * MIT krb5 error-table codes (krb5_err.et, base -1765328384) that get a
 * message of their own. Values are the minor status as an unsigned 32-bit number.
 */
export const KRB5 = {
  C_PRINCIPAL_UNKNOWN: (-1765328378) >>> 0, // KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN
  S_PRINCIPAL_UNKNOWN: (-1765328377) >>> 0, // KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN
  PREAUTH_FAILED: (-1765328360) >>> 0, // KRB5KDC_ERR_PREAUTH_FAILED
  CLIENT_REVOKED: (-1765328366) >>> 0, // KRB5KDC_ERR_CLIENT_REVOKED (disabled or locked out)
  KEY_EXPIRED: (-1765328361) >>> 0, // KRB5KDC_ERR_KEY_EXP (password expired)
  SKEW: (-1765328347) >>> 0, // KRB5KRB_AP_ERR_SKEW
  KDC_UNREACH: (-1765328228) >>> 0, // KRB5_KDC_UNREACH
  REALM_UNKNOWN: (-1765328230) >>> 0, // KRB5_REALM_UNKNOWN ("Cannot find KDC for requested realm")
  CC_NOTFOUND: (-1765328243) >>> 0, // KRB5_CC_NOTFOUND
  FCC_NOFILE: (-1765328189) >>> 0, // KRB5_FCC_NOFILE ("No credentials cache found")
  KT_NOTFOUND: (-1765328203) >>> 0, // KRB5_KT_NOTFOUND
  KT_NOSUCHFILE: 2, // ENOENT from the keytab
} as const;

/** What went wrong, for one-line messages and for failover (none of these is worth another DC except kdc-unreachable). */
export type GssFailure =
  | 'no-credentials'
  | 'clock-skew'
  | 'unknown-spn'
  | 'kdc-unreachable'
  | 'principal-unknown'
  | 'bad-key'
  | 'account-disabled'
  | 'library-missing'
  | 'other';

export class GssError extends Error {
  constructor(
    message: string,
    readonly failure: GssFailure,
    readonly major: number,
    readonly minor: number,
  ) {
    super(message);
    this.name = 'GssError';
  }
}

export interface CredentialSource {
  /** client keytab; without it the default ticket cache (KRB5CCNAME) is used */
  keytab?: string;
  /** user@REALM to act as; with a keytab, default is the keytab's first principal */
  principal?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = ((...args: any[]) => number) & { async: (...args: any[]) => void };
interface Api {
  koffi: any;
  importName: Fn;
  acquireCred: Fn;
  acquireCredFrom: Fn;
  initSecContext: Fn;
  wrap: Fn;
  unwrap: Fn;
  releaseBuffer: Fn;
  releaseName: Fn;
  releaseCred: Fn;
  deleteSecContext: Fn;
  displayStatus: Fn;
}

let api: Api | null = null;
/** each keytab acquisition gets its own memory cache: no ticket outlives the keytab that gave it */
let cacheSerial = 0;

/** Loads libgssapi_krb5 once; a clear error when it or koffi is missing. */
function load(): Api {
  if (api) return api;
  let koffi: any;
  let lib: any;
  try {
    koffi = require('koffi');
    lib = koffi.load(process.env['EXBINDER_GSSAPI_LIBRARY'] ?? 'libgssapi_krb5.so.2');
  } catch (err) {
    throw new GssError(
      `Kerberos needs the MIT GSSAPI library (libgssapi_krb5.so.2): install libgssapi-krb5-2 (Debian/Ubuntu) or krb5-libs (RHEL) (${(err as Error).message.split('\n')[0]})`,
      'library-missing',
      0,
      0,
    );
  }
  koffi.struct('gss_OID_desc', { length: 'uint32_t', elements: 'void *' });
  koffi.struct('gss_buffer_desc', { length: 'size_t', value: 'void *' });
  koffi.struct('gss_key_value_element_desc', { key: 'const char *', value: 'const char *' });
  koffi.struct('gss_key_value_set_desc', { count: 'uint32_t', elements: 'gss_key_value_element_desc *' });
  koffi.struct('gss_channel_bindings_struct', {
    initiator_addrtype: 'uint32_t',
    initiator_address: 'gss_buffer_desc',
    acceptor_addrtype: 'uint32_t',
    acceptor_address: 'gss_buffer_desc',
    application_data: 'gss_buffer_desc',
  });
  const f = (sig: string): Fn => lib.func(sig) as Fn;
  api = {
    koffi,
    importName: f('uint32_t gss_import_name(_Out_ uint32_t *minor, gss_buffer_desc *name, gss_OID_desc *type, _Out_ void **out)'),
    acquireCred: f(
      'uint32_t gss_acquire_cred(_Out_ uint32_t *minor, void *name, uint32_t time, void *mechs, int usage, _Out_ void **cred, void *actual, void *timeRec)',
    ),
    acquireCredFrom: f(
      'uint32_t gss_acquire_cred_from(_Out_ uint32_t *minor, void *name, uint32_t time, void *mechs, int usage, gss_key_value_set_desc *store, _Out_ void **cred, void *actual, void *timeRec)',
    ),
    initSecContext: f(
      'uint32_t gss_init_sec_context(_Out_ uint32_t *minor, void *cred, _Inout_ void **ctx, void *target, gss_OID_desc *mech, uint32_t flags, uint32_t time, gss_channel_bindings_struct *bindings, gss_buffer_desc *input, void *actualMech, _Out_ gss_buffer_desc *output, _Out_ uint32_t *retFlags, void *timeRec)',
    ),
    wrap: f(
      'uint32_t gss_wrap(_Out_ uint32_t *minor, void *ctx, int conf, uint32_t qop, gss_buffer_desc *input, _Out_ int *confState, _Out_ gss_buffer_desc *output)',
    ),
    unwrap: f(
      'uint32_t gss_unwrap(_Out_ uint32_t *minor, void *ctx, gss_buffer_desc *input, _Out_ gss_buffer_desc *output, _Out_ int *confState, _Out_ uint32_t *qop)',
    ),
    releaseBuffer: f('uint32_t gss_release_buffer(_Out_ uint32_t *minor, gss_buffer_desc *buffer)'),
    releaseName: f('uint32_t gss_release_name(_Out_ uint32_t *minor, _Inout_ void **name)'),
    releaseCred: f('uint32_t gss_release_cred(_Out_ uint32_t *minor, _Inout_ void **cred)'),
    deleteSecContext: f('uint32_t gss_delete_sec_context(_Out_ uint32_t *minor, _Inout_ void **ctx, void *output)'),
    displayStatus: f(
      'uint32_t gss_display_status(_Out_ uint32_t *minor, uint32_t status, int type, gss_OID_desc *mech, _Inout_ uint32_t *more, _Out_ gss_buffer_desc *output)',
    ),
  };
  return api;
}

interface NativeBuffer {
  length: number | bigint;
  value: unknown;
}

/** Copies a library-owned buffer into a Node Buffer and releases it. */
function take(a: Api, b: NativeBuffer): Buffer {
  const n = Number(b.length);
  // copy before the release: a Buffer over koffi's view would point into freed memory
  const out = n > 0 && b.value ? Buffer.from(new Uint8Array(a.koffi.view(b.value, n) as ArrayBuffer)) : Buffer.alloc(0);
  a.releaseBuffer([0], b);
  return out;
}

const oid = (bytes: Buffer) => ({ length: bytes.length, elements: bytes });
const gssBuffer = (bytes: Buffer) => ({ length: bytes.length, value: bytes.length > 0 ? bytes : null });

function isError(major: number): boolean {
  return (major & 0xffff0000) !== 0;
}

/** The library's own words for a status (both the GSS and the Kerberos part). */
function statusText(a: Api, major: number, minor: number): string {
  const parts: string[] = [];
  for (const [code, type] of [
    [major, GSS_C_GSS_CODE],
    [minor, GSS_C_MECH_CODE],
  ] as const) {
    if (type === GSS_C_MECH_CODE && minor === 0) continue;
    const more = [0];
    for (let i = 0; i < 4; i++) {
      const out: NativeBuffer = { length: 0, value: null };
      const m = a.displayStatus([0], code, type, type === GSS_C_MECH_CODE ? oid(MECH_KRB5) : null, more, out);
      if (isError(m)) break;
      const text = take(a, out).toString('utf8').trim();
      if (text && !parts.includes(text)) parts.push(text);
      if (more[0] === 0) break;
    }
  }
  return parts.join(': ');
}

/** Sorts a failed call into one of the failures the user can act on. */
export function classify(minor: number, text: string): GssFailure {
  switch (minor >>> 0) {
    case KRB5.SKEW:
      return 'clock-skew';
    case KRB5.S_PRINCIPAL_UNKNOWN:
      return 'unknown-spn';
    case KRB5.C_PRINCIPAL_UNKNOWN:
      return 'principal-unknown';
    case KRB5.KDC_UNREACH:
    case KRB5.REALM_UNKNOWN:
      return 'kdc-unreachable';
    case KRB5.PREAUTH_FAILED:
      return 'bad-key';
    case KRB5.CLIENT_REVOKED:
    case KRB5.KEY_EXPIRED:
      return 'account-disabled';
    case KRB5.CC_NOTFOUND:
    case KRB5.FCC_NOFILE:
    case KRB5.KT_NOTFOUND:
    case KRB5.KT_NOSUCHFILE:
      return 'no-credentials';
  }
  if (/no credentials cache|credentials cache.*not found|no kerberos credentials|key table.*not found|no key table/i.test(text)) return 'no-credentials';
  if (/clock skew/i.test(text)) return 'clock-skew';
  if (/server .*not found in kerberos database/i.test(text)) return 'unknown-spn';
  if (/client .*not found in kerberos database/i.test(text)) return 'principal-unknown';
  if (/cannot (contact|find) any kdc|cannot find kdc/i.test(text)) return 'kdc-unreachable';
  return 'other';
}

function fail(a: Api, what: string, major: number, minor: number): GssError {
  const text = statusText(a, major, minor);
  return new GssError(`${what}: ${text || `GSS major 0x${major.toString(16)}, minor ${minor}`}`, classify(minor, text), major, minor);
}

function callAsync(fn: Fn, args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => fn.async(...args, (err: unknown, res: number) => (err ? reject(err) : resolve(res))));
}

/** An initiator security context with ldap/<host> (or another service). */
export class GssContext {
  private ctx: unknown = null;
  private target: unknown = null;
  private cred: unknown = null;
  private retFlags = 0;
  private done = false;
  /** application data of the channel bindings (RFC 5056), e.g. tls-server-end-point:<hash> */
  private bindings: Buffer | null = null;

  private constructor(
    private readonly a: Api,
    readonly service: string,
    private readonly flags: number,
  ) {}

  /**
   * Imports `service@host` and acquires the initiator's credentials. With a
   * keytab the ticket goes into a MEMORY cache of this process: nothing is
   * written to disk and no kinit is needed.
   */
  static async create(o: { service: string; host: string; flags: number; credentials: CredentialSource }): Promise<GssContext> {
    const a = load();
    const c = new GssContext(a, `${o.service}/${o.host}`, o.flags);
    const minor = [0];
    const out = [null];
    const name = Buffer.from(`${o.service}@${o.host}`, 'utf8');
    const major = a.importName(minor, gssBuffer(name), oid(NT_HOSTBASED_SERVICE), out);
    if (isError(major)) throw fail(a, `cannot use service name ${o.service}@${o.host}`, major, minor[0]!);
    c.target = out[0];
    try {
      await c.acquire(o.credentials);
    } catch (err) {
      c.dispose();
      throw err;
    }
    return c;
  }

  private async acquire(src: CredentialSource): Promise<void> {
    const a = this.a;
    let name: unknown = null;
    if (src.principal) {
      const out = [null];
      const minor = [0];
      const major = a.importName(minor, gssBuffer(Buffer.from(src.principal, 'utf8')), oid(NT_KRB5_PRINCIPAL), out);
      if (isError(major)) throw fail(a, `cannot use principal ${src.principal}`, major, minor[0]!);
      name = out[0];
    }
    try {
      const minor = [0];
      const cred = [null];
      let major: number;
      if (src.keytab) {
        // a private cache per process: nothing on disk, no kinit, no clash with the user's own tickets
        const store = {
          count: 2,
          elements: [
            { key: 'client_keytab', value: src.keytab },
            { key: 'ccache', value: `MEMORY:exbinder-${process.pid}-${++cacheSerial}` },
          ],
        };
        major = await callAsync(a.acquireCredFrom, [minor, name, 0, null, GSS_C_INITIATE, store, cred, null, null]);
      } else {
        major = await callAsync(a.acquireCred, [minor, name, 0, null, GSS_C_INITIATE, cred, null, null]);
      }
      if (isError(major)) {
        const from = src.keytab ? `keytab ${src.keytab}` : 'the ticket cache';
        throw fail(a, `no Kerberos credentials${src.principal ? ` for ${src.principal}` : ''} in ${from}`, major, minor[0]!);
      }
      this.cred = cred[0];
    } finally {
      if (name) a.releaseName([0], [name]);
    }
  }

  /** Binds the context to the channel it runs in (before the first step). */
  setChannelBinding(applicationData: Buffer): void {
    this.bindings = applicationData;
  }

  /**
   * One step of the context: the server's token in (null first), ours out.
   * The first step gets the service ticket from the KDC.
   */
  async step(input: Buffer | null): Promise<{ token: Buffer; complete: boolean }> {
    const a = this.a;
    const minor = [0];
    const ctx = [this.ctx];
    const out: NativeBuffer = { length: 0, value: null };
    const retFlags = [0];
    const major = await callAsync(a.initSecContext, [
      minor,
      this.cred,
      ctx,
      this.target,
      oid(MECH_KRB5),
      this.flags,
      0,
      this.bindings
        ? {
            initiator_addrtype: 0, // GSS_C_AF_UNSPEC
            initiator_address: { length: 0, value: null },
            acceptor_addrtype: 0,
            acceptor_address: { length: 0, value: null },
            application_data: gssBuffer(this.bindings),
          }
        : null,
      input ? gssBuffer(input) : null,
      null,
      out,
      retFlags,
      null,
    ]);
    this.ctx = ctx[0];
    const token = take(a, out);
    if (isError(major)) throw fail(a, `Kerberos authentication to ${this.service} failed`, major, minor[0]!);
    this.retFlags = retFlags[0]!;
    this.done = (major & 0xffff) === GSS_S_COMPLETE;
    if (!this.done && (major & 0xffff) !== GSS_S_CONTINUE_NEEDED) throw fail(a, `Kerberos authentication to ${this.service} failed`, major, minor[0]!);
    return { token, complete: this.done };
  }

  /** Flags the established context really has (confidentiality, integrity...). */
  get established(): { complete: boolean; flags: number } {
    return { complete: this.done, flags: this.retFlags };
  }

  wrap(data: Buffer, confidential: boolean): Buffer {
    const a = this.a;
    const minor = [0];
    const confState = [0];
    const out: NativeBuffer = { length: 0, value: null };
    const major = a.wrap(minor, this.ctx, confidential ? 1 : 0, 0, gssBuffer(data), confState, out);
    const token = take(a, out);
    if (isError(major)) throw fail(a, 'GSSAPI wrap failed', major, minor[0]!);
    if (confidential && confState[0] !== 1) throw new GssError('GSSAPI wrap did not encrypt', 'other', major, 0);
    return token;
  }

  unwrap(token: Buffer): { data: Buffer; confidential: boolean } {
    const a = this.a;
    const minor = [0];
    const confState = [0];
    const qop = [0];
    const out: NativeBuffer = { length: 0, value: null };
    const major = a.unwrap(minor, this.ctx, gssBuffer(token), out, confState, qop);
    const data = take(a, out);
    if (isError(major)) throw fail(a, 'GSSAPI unwrap failed (message altered or out of sequence)', major, minor[0]!);
    return { data, confidential: confState[0] === 1 };
  }

  dispose(): void {
    const a = this.a;
    if (this.ctx) a.deleteSecContext([0], [this.ctx], null);
    if (this.cred) a.releaseCred([0], [this.cred]);
    if (this.target) a.releaseName([0], [this.target]);
    this.ctx = this.cred = this.target = null;
  }
}

/** One line a person can act on, for each failure. */
export function gssMessage(err: GssError, o: { host: string; keytab?: string; principal?: string; realm?: string }): ExbinderError {
  const who = o.principal ?? (o.keytab ? `the principal in ${o.keytab}` : 'the ticket cache principal');
  const detail = err.message;
  const m: Record<GssFailure, string> = {
    'no-credentials': o.keytab
      ? `no usable key in keytab ${o.keytab}${o.principal ? ` for ${o.principal}` : ''}: check the path and that the keytab holds that principal (klist -k ${o.keytab}) (${detail})`
      : `no Kerberos ticket: run kinit (or give --keytab FILE --principal user@REALM) (${detail})`,
    'clock-skew': `clock skew too great between this machine and the domain (KDC, ${o.host}): synchronise the clock (NTP, chrony) with the domain (Kerberos allows 5 minutes) (${detail})`,
    'unknown-spn': `the KDC knows no service principal ldap/${o.host}: connect by the DC's full DNS name (as in its servicePrincipalName), not an alias or IP address (${detail})`,
    'kdc-unreachable': `cannot reach a Kerberos KDC for ${o.realm ?? 'the realm'}: check krb5.conf (KRB5_CONFIG) or DNS _kerberos SRV records and that port 88 is open (${detail})`,
    'principal-unknown': `the KDC does not know ${who}: check --principal (user@REALM, realm in capitals) (${detail})`,
    'bad-key': `the KDC rejected the key of ${who}: the keytab is out of date (password changed, new kvno): export it again (${detail})`,
    'account-disabled': `the account ${who} is disabled, locked out or its password expired (${detail})`,
    'library-missing': detail,
    other: detail,
  };
  return new ExbinderError(m[err.failure], `kerberos-${err.failure}`, 2, { cause: err });
}

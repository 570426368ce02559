/**
 * The live source: Active Directory over LDAPS, StartTLS or Kerberos-sealed
 * LDAP, on ldapts 8. This module opens the directory (trying DCs in order
 * until one answers) and reads it; the parts live beside it, by concept:
 *
 *   ldap-target.ts   URL, transport and TLS options
 *   ldap-options.ts  numeric bounds and defaults
 *   dc-discovery.ts  DCs of a domain from DNS SRV records (RFC 2782 order)
 *   ldap-bind.ts     one connection: connect, StartTLS, simple or Kerberos bind
 *   kerberos-bind.ts, gssapi.ts, ldapts-sasl.ts  SASL GSSAPI (RFC 4752)
 *   ldap-paging.ts   paged searches (message layer, public-API fallback)
 *   ldap-range.ts    ranged retrieval (`member;range=…`)
 *   ldap-entry.ts    entries as read -> Entry
 *   ldap-errors.ts   one-line messages for what ldapts/net/tls throw
 *
 * Read-only by construction: the only client calls are startTLS, bind (simple,
 * or SASL BindRequests of ours), search/searchPaginated, unbind, and `_send`
 * of a SearchRequest built here (paging) (test/integration/source proves that
 * no add/modify/del/modifyDN/other exop is ever sent).
 *
 * ldapts pitfalls handled (node-libraries.md §1):
 * - StartTLS: no tlsOptions in the constructor (they would switch on
 *   implicit TLS), and `servername`/`host` passed to startTLS() so the
 *   certificate is checked against the DC's name, not "localhost".
 * - explicit `timeLimit` (ldapts' default is 10 s per search);
 * - `explicitBufferAttributes` is matched case-sensitively: see caseInsensitive();
 * - no range retrieval in ldapts: done here (ldap-range.ts);
 * - after a dropped connection ldapts would silently reconnect without TLS
 *   or bind: we refuse to issue anything on a connection that is not bound,
 *   so a harvest never continues on another connection (or another DC).
 */
import { BusyError, type Client, type Control, type Entry as LdaptsEntry, NoSuchObjectError, UnavailableError } from 'ldapts';
import { ExbinderError } from '../errors.js';
import { discoverDcs } from './dc-discovery.js';
import { type Directory, type DirectoryReason, directoryReason, type Entry, invalidSearchBase, type RootDse, type SearchRequest } from './directory.js';
import { parseDn } from '../dn.js';
import { parseFilter } from './filter.js';
import { checkCredentials, connectAndBind, type Credentials } from './ldap-bind.js';
import { asText, caseInsensitive, completeEntry, normalizeEntry, type RawEntry, toArray, toEntry } from './ldap-entry.js';
import { type ErrorContext, mapLdapError, type Phase } from './ldap-errors.js';
import { bounded, CONNECT_TIMEOUT_DEFAULT_MS, PAGE_SIZE_MAX, stderrWarning, TIMEOUT_DEFAULT_MS } from './ldap-options.js';
import { type ClientInternals, internalsOf, ldaptsPages, ownPages, type PageQuery, type PagingContext } from './ldap-paging.js';
import { RANGE_WINDOW, rangedValues } from './ldap-range.js';
import { type Auth, parseTarget, type Target, tlsBase } from './ldap-target.js';
import { SdFlagsControl } from './sd-flags-control.js';

export { RANGE_WINDOW } from './ldap-range.js';
export { parseRangeKey } from './ldap-range.js';
export { parseTarget } from './ldap-target.js';
export type { Auth } from './ldap-target.js';

export interface LdapOptions {
  /** ldaps://host[:636] or ldap://host[:389] */
  url?: string;
  /** several DCs, tried in this order until one answers (with or instead of url) */
  urls?: string[];
  /** find the DCs by DNS SRV records of this AD domain instead of a URL */
  domain?: string;
  /** AD site: its DCs first (DC locator order) */
  site?: string;
  /** AD DNS servers (IP addresses) for discovery; default: the host's resolver */
  dnsServers?: string[];
  /** with domain: ldaps (default, port 636) or ldap (the SRV port, 389: StartTLS, or sign+seal with Kerberos) */
  scheme?: 'ldaps' | 'ldap';
  /** with ldap:// : StartTLS (required for simple binds unless insecurePlain) */
  startTls?: boolean;
  /**
   * with ldap:// and no StartTLS: send a simple bind in clear text. Only for
   * labs and for proving that a DC refuses it; never the default.
   */
  insecurePlain?: boolean;
  /** simple (DN + password, default) or kerberos (ticket cache or keytab) */
  auth?: Auth;
  /** DN or UPN (user@domain) or DOMAIN\user (simple) */
  bindDn?: string;
  password?: string;
  /** kerberos: client keytab; the ticket stays in this process's memory (no kinit) */
  keytab?: string;
  /** kerberos: principal to act as (user@REALM) */
  principal?: string;
  /** PEM bundle to trust (replaces system CAs for this connection) */
  caFile?: string;
  /** skip TLS verification: explicit opt-out, warns every run */
  insecure?: boolean;
  /** default 10000 */
  connectTimeoutMs?: number;
  /** per operation (each page is one), default 120000 */
  timeoutMs?: number;
  /** default 1000 (AD MaxPageSize) */
  pageSize?: number;
  /** wait before the one retry of an operation the DC answered busy/unavailable; default 2000 */
  busyRetryMs?: number;
  /** default: one line on stderr */
  onWarning?: (msg: string) => void;
  /**
   * Page only through ldapts' public searchPaginated() (slower), never its
   * message layer: the path used when a future ldapts lacks the internals;
   * set by tests so that path stays proven.
   */
  publicPagingOnly?: boolean;
  /** for RFC 2782's weighted choice among DCs of one priority (tests fix it) */
  random?: () => number;
}

export interface LdapDirectory extends Directory {
  readonly kind: 'ldap';
  /** search operations issued: rootDSE, each search(), each range follow-up */
  readonly searchCount: number;
  /** search result pages received (a paged search of N pages counts N) */
  readonly pageCount: number;
  /** base searches issued to complete ranged attributes */
  readonly rangeSearchCount: number;
  /** the DC that answered (host:port) */
  readonly server: string;
  /** operations retried once after a busy/unavailable answer */
  readonly busyRetries: number;
}

/**
 * Failures after which the next DC is worth trying: this DC cannot be
 * reached, its TLS fails, or it is busy. Never a refused bind (the same
 * credentials would fail on every DC and count towards account lockout).
 */
const FAILOVER_REASONS: ReadonlySet<DirectoryReason> = new Set(['unreachable', 'tls', 'busy', 'unavailable', 'timeout', 'connection-lost']);

export function isFailover(err: unknown): boolean {
  const reason = directoryReason(err);
  return reason !== null && FAILOVER_REASONS.has(reason);
}

/** The DCs to try, in order, as parsed targets (validated before any traffic). */
export async function candidates(o: LdapOptions): Promise<Target[]> {
  const urls = [...(o.url ? [o.url] : []), ...(o.urls ?? [])];
  const base = { startTls: o.startTls, insecurePlain: o.insecurePlain, auth: o.auth };
  if (o.domain) {
    if (urls.length) throw new ExbinderError('give either --domain or --url, not both', 'usage', 2);
    const scheme = o.scheme ?? 'ldaps';
    const found = await discoverDcs({ domain: o.domain, site: o.site, dnsServers: o.dnsServers, random: o.random });
    return found.map((dc) =>
      parseTarget({ ...base, url: `${scheme}://${dc.host.includes(':') ? `[${dc.host}]` : dc.host}:${scheme === 'ldaps' ? 636 : dc.port}`, address: dc.address }),
    );
  }
  if (urls.length === 0) throw new ExbinderError('no DC to read: give --url ldaps://DC (repeatable) or --domain DNSNAME', 'usage', 2);
  return urls.map((url) => parseTarget({ ...base, url }));
}

/** Connects, secures, binds (trying DCs in order) and reads nothing yet. All failures are ExbinderErrors. */
export async function openLdap(o: LdapOptions): Promise<LdapDirectory> {
  const connectTimeoutMs = bounded('--connect-timeout', o.connectTimeoutMs, CONNECT_TIMEOUT_DEFAULT_MS, 100, 600_000);
  const timeoutMs = bounded('--timeout', o.timeoutMs, TIMEOUT_DEFAULT_MS, 100, 86_400_000);
  const pageSize = bounded('--page-size', o.pageSize, PAGE_SIZE_MAX, 1, PAGE_SIZE_MAX);
  const busyRetryMs = bounded('busy retry delay', o.busyRetryMs, 2000, 0, 600_000);
  const warn = o.onWarning ?? stderrWarning;
  const credentials: Credentials = {
    auth: o.auth ?? 'simple',
    ...(o.bindDn ? { bindDn: o.bindDn } : {}),
    ...(o.password ? { password: o.password } : {}),
    ...(o.keytab ? { keytab: o.keytab } : {}),
    ...(o.principal ? { principal: o.principal } : {}),
  };
  if (credentials.auth === 'simple' && (o.keytab || o.principal)) {
    throw new ExbinderError('--keytab and --principal go with --auth kerberos', 'usage', 2);
  }
  checkCredentials(credentials);
  const targets = await candidates(o);
  const tls = await tlsBase(o);
  const who = credentials.auth === 'kerberos' ? (o.principal ?? 'the Kerberos principal') : o.bindDn!;
  const ctx = (target: Target, phase: Phase, base?: string): ErrorContext => ({
    where: target.where,
    host: target.host,
    port: target.port,
    secure: target.secure,
    phase,
    bindDn: who,
    base,
    timeoutMs,
    connectTimeoutMs,
    password: o.password ?? '',
  });
  for (const [i, target] of targets.entries()) {
    if (o.insecure && target.secure !== 'plain' && target.secure !== 'seal') {
      warn(`TLS certificate verification is disabled (--insecure): the identity of ${target.host} is not checked`);
    }
    if (target.secure === 'plain') warn(`plain LDAP to ${target.where}: the password and all data cross the network unencrypted`);
    try {
      const client = await connectAndBind(target, { tls, connectTimeoutMs, timeoutMs, credentials, ctx });
      return new LdapSource(client, target, { pageSize, timeoutMs, busyRetryMs, warn, ctx: (phase, base) => ctx(target, phase, base), publicPagingOnly: o.publicPagingOnly ?? false });
    } catch (err) {
      const next = targets[i + 1];
      if (!isFailover(err)) throw err;
      if (!next) {
        if (targets.length === 1) throw err;
        const e = err as ExbinderError;
        throw new ExbinderError(`none of the ${targets.length} domain controllers answered; the last: ${e.message}`, e.code, e.exitCode, { cause: err });
      }
      warn(`DC ${target.where} failed: ${(err as Error).message}; trying ${next.where}`);
    }
  }
  throw new ExbinderError('no DC to read', 'usage', 2);
}

function isBusy(err: unknown): boolean {
  return err instanceof BusyError || err instanceof UnavailableError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class LdapSource implements LdapDirectory {
  readonly kind = 'ldap' as const;
  readonly description: string;
  searchCount = 0;
  pageCount = 0;
  rangeSearchCount = 0;
  busyRetries = 0;
  readonly server: string;
  private closed = false;
  private readonly internals: ClientInternals | null;

  constructor(
    private readonly client: Client,
    private readonly target: Target,
    private readonly opts: {
      pageSize: number;
      timeoutMs: number;
      busyRetryMs: number;
      warn: (msg: string) => void;
      ctx: (phase: Phase, base?: string) => ErrorContext;
      publicPagingOnly: boolean;
    },
  ) {
    this.description = target.description;
    this.server = target.where;
    this.internals = opts.publicPagingOnly ? null : internalsOf(client);
  }

  /** Server-side time limit in seconds, matching our client-side timeout. */
  private get timeLimit(): number {
    return Math.ceil(this.opts.timeoutMs / 1000);
  }

  /**
   * ldapts reconnects transparently after a drop, unauthenticated and (after
   * StartTLS) unencrypted. Never let that happen: a lost connection ends the run.
   */
  private assertBound(phase: Phase, base?: string): void {
    if (this.closed) throw new ExbinderError(`${this.description} was already closed`, 'ldap-closed');
    if (!this.client.isConnected || !this.client.isBound) {
      throw new ExbinderError(
        `connection to ${this.target.where} lost during ${phase}${base ? ` of ${base}` : ''}: the connection was closed: check the network and the DC, then run again`,
        'ldap-connection-lost',
      );
    }
  }

  async rootDse(): Promise<RootDse> {
    // the root DSE is read without the paged control (AD rejects it there)
    const entry = await this.readBase(
      '',
      ['configurationNamingContext', 'schemaNamingContext', 'defaultNamingContext', 'rootDomainNamingContext', 'dnsHostName', 'namingContexts'],
      [],
      'rootdse',
      'the root DSE',
    );
    const values = new Map<string, string[]>();
    for (const [k, v] of Object.entries(entry ?? {})) if (k !== 'dn') values.set(k.toLowerCase(), toArray(v).map(asText));
    const one = (name: string): string | null => values.get(name.toLowerCase())?.[0] ?? null;
    const config = one('configurationNamingContext');
    if (!config) {
      throw new ExbinderError(
        `${this.target.where} returned no configurationNamingContext in its root DSE: is this an Active Directory domain controller?`,
        'ldap-rootdse',
      );
    }
    const rootDomain = one('rootDomainNamingContext') ?? config.replace(/^CN=Configuration,/i, '');
    return {
      configurationNamingContext: config,
      schemaNamingContext: one('schemaNamingContext') ?? `CN=Schema,${config}`,
      defaultNamingContext: one('defaultNamingContext') ?? rootDomain,
      rootDomainNamingContext: rootDomain,
      dnsHostName: one('dnsHostName'),
      namingContexts: values.get('namingcontexts') ?? [],
    };
  }

  async *search(request: SearchRequest): AsyncIterable<Entry> {
    this.assertBound('search', request.base);
    this.searchCount++;
    const binary = [...new Set((request.binaryAttributes ?? []).map((a) => a.toLowerCase()))];
    const ranged = [...new Set((request.rangedAttributes ?? []).map((a) => a.toLowerCase()))];
    const binarySet = new Set(binary);
    const rangedSet = new Set(ranged);
    // ranged attributes are asked in explicit windows so that Windows (which
    // caps at MaxValRange) and Samba (which does not) both answer with a
    // ranged key we can follow
    const attributes = [
      ...new Set([
        ...request.attributes.filter((a) => !rangedSet.has(a.toLowerCase())),
        ...(request.binaryAttributes ?? []),
      ]),
      ...ranged.map((a) => `${a};range=0-${RANGE_WINDOW - 1}`),
    ];
    // an empty list means "all attributes" to LDAP but "none" in our contract
    // (and in the LDIF source): 1.1 is RFC 4511's "no attributes"
    if (attributes.length === 0) attributes.push('1.1');
    // same syntax checks and messages as the LDIF source, before any traffic
    const filter = parseFilter(request.filter);
    try {
      parseDn(request.base);
    } catch (err) {
      throw invalidSearchBase(request.base, err);
    }
    const wantsSd = attributes.some((a) => a.toLowerCase() === 'ntsecuritydescriptor');
    const controls = wantsSd ? [new SdFlagsControl()] : [];
    const query: PageQuery = { base: request.base, scope: request.scope, filter, attributes, binary: binarySet };
    const pages = this.pages(query, controls);
    const iterator = pages[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<RawEntry[]>;
        try {
          next = await iterator.next();
        } catch (err) {
          // a missing (or invisible) base is "nothing there", as in the LDIF source
          if (err instanceof NoSuchObjectError) return;
          throw mapLdapError(err, this.opts.ctx('search', request.base));
        }
        if (next.done) return;
        for (const raw of next.value) yield await this.toEntry(raw, binarySet);
      }
    } finally {
      // an abandoned iteration must not leave a page request unanswered or a generator suspended
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  private pagingContext(base: string): PagingContext {
    return {
      pageSize: this.opts.pageSize,
      timeLimit: this.timeLimit,
      assertBound: () => this.assertBound('search', base),
      onPage: () => this.pageCount++,
      // a page answered busy/unavailable is asked again once, same cookie, same connection:
      // the harvest never moves to another DC mid-way
      retryBusy: async (err) => {
        if (!isBusy(err)) return false;
        await this.backOff(base, err);
        return true;
      },
    };
  }

  /** Pages of one search (message layer, or the public API when ldapts lacks it). */
  private pages(q: PageQuery, controls: Control[]): AsyncGenerator<RawEntry[]> {
    const p = this.pagingContext(q.base);
    return this.internals ? ownPages(this.internals as ClientInternals, p, q, controls) : ldaptsPages(this.client, p, q, controls);
  }

  private async backOff(base: string, err: unknown): Promise<void> {
    this.busyRetries++;
    this.opts.warn(`${this.target.where} answered ${(err as Error).name === 'BusyError' ? 'busy' : 'unavailable'} for ${base}: retrying once in ${this.opts.busyRetryMs} ms`);
    await sleep(this.opts.busyRetryMs);
    this.assertBound('search', base);
  }

  /** One base-scope read, retried once after busy/unavailable. */
  private async readBase(dn: string, attributes: string[], binary: string[], phase: Phase, ctxBase: string): Promise<LdaptsEntry | undefined> {
    for (let attempt = 0; ; attempt++) {
      this.assertBound(phase, ctxBase);
      this.searchCount++;
      try {
        const res = await this.client.search(dn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes,
          ...(binary.length ? { explicitBufferAttributes: caseInsensitive(binary) } : {}),
          timeLimit: this.timeLimit,
        });
        this.pageCount++;
        return res.searchEntries[0];
      } catch (err) {
        if (attempt === 0 && isBusy(err)) {
          await this.backOff(dn, err);
          continue;
        }
        throw mapLdapError(err, this.opts.ctx(phase, ctxBase));
      }
    }
  }

  /** Normalises an entry as read; completes ranged attributes with base searches. */
  private async toEntry(raw: RawEntry, binary: ReadonlySet<string>): Promise<Entry> {
    const n = normalizeEntry(raw, binary);
    for (const { name, next } of n.incomplete) {
      const rest = await rangedValues(
        (dn, attr, attrName) => {
          this.rangeSearchCount++;
          return this.readBase(dn, [attr], [attrName], 'search', dn);
        },
        this.target.where,
        raw.dn,
        name,
        next,
      );
      completeEntry(n, name, rest, binary);
    }
    return toEntry(n);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.unbind();
    } catch {
      /* the connection is going away either way */
    }
  }
}


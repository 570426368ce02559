/**
 * The live source: Active Directory over LDAPS or StartTLS, on ldapts 8.
 *
 * Read-only by construction: the only client calls are startTLS, bind,
 * search/searchPaginated, unbind, and `_send` of a SearchRequest built here
 * (paging, see ownPages) (test/integration/source proves that no
 * add/modify/del/modifyDN/other exop is ever sent).
 *
 * ldapts pitfalls handled here (node-libraries.md §1):
 * - StartTLS: no tlsOptions in the constructor (they would switch on
 *   implicit TLS), and `servername`/`host` passed to startTLS() so the
 *   certificate is checked against the DC's name, not "localhost".
 * - explicit `timeLimit` (ldapts' default is 10 s per search);
 * - `explicitBufferAttributes` is matched case-sensitively against the type
 *   the server returns: we pass a list whose includes() ignores case;
 * - no range retrieval in ldapts: done here (rangedValues());
 * - after a dropped connection ldapts would silently reconnect without TLS
 *   or bind: we refuse to issue anything on a connection that is not bound.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import {
  Client,
  type Control,
  type Entry as LdaptsEntry,
  type Filter,
  MessageResponseStatus,
  NoSuchObjectError,
  PagedResultsControl,
  type SearchEntry,
  SearchRequest as LdaptsSearchRequest,
  type SearchResponse,
  StatusCodeParser,
} from 'ldapts';
import { ExbinderError, unreadableInput } from '../errors.js';
import type { Directory, Entry, RootDse, SearchRequest } from './directory.js';
import { parseDn } from '../dn.js';
import { parseFilter } from './filter.js';
import { SdFlagsControl } from './sd-flags-control.js';
import { type ErrorContext, mapLdapError, type Phase } from './ldap-errors.js';

export interface LdapOptions {
  /** ldaps://host[:636] or ldap://host[:389] */
  url: string;
  /** with ldap:// : StartTLS (required unless insecurePlain) */
  startTls?: boolean;
  /**
   * with ldap:// and no StartTLS: send the bind in clear text. Only for labs
   * and for proving that a DC refuses it; never the default.
   */
  insecurePlain?: boolean;
  /** DN or UPN (user@domain) or DOMAIN\user */
  bindDn: string;
  password: string;
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
  /** default: one line on stderr */
  onWarning?: (msg: string) => void;
  /**
   * Page only through ldapts' public searchPaginated() (slower), never its
   * message layer: the path used when a future ldapts lacks the internals;
   * set by tests so that path stays proven.
   */
  publicPagingOnly?: boolean;
}

export interface LdapDirectory extends Directory {
  readonly kind: 'ldap';
  /** search operations issued: rootDSE, each search(), each range follow-up */
  readonly searchCount: number;
  /** search result pages received (a paged search of N pages counts N) */
  readonly pageCount: number;
  /** base searches issued to complete ranged attributes */
  readonly rangeSearchCount: number;
}

/** Values per range window. AD's default MaxValRange is 1500. */
export const RANGE_WINDOW = 1500;
const RANGE_KEY = /^([^;]+)((?:;[^;]*)*?);range=(\d+)-(\d+|\*)((?:;[^;]*)*)$/i;
const PAGE_SIZE_MAX = 1000;

/** ldapts compares explicitBufferAttributes with includes(): make it case-insensitive. */
class CaseInsensitiveList extends Array<string> {
  private lower: Set<string> | undefined;
  override includes(type: string): boolean {
    // ldapts asks once per attribute of every entry: lower-case our names once, not per call
    if (!this.lower) {
      this.lower = new Set();
      for (const a of this) this.lower.add(a.toLowerCase());
    }
    const semi = type.indexOf(';');
    return this.lower.has((semi < 0 ? type : type.slice(0, semi)).toLowerCase());
  }
}
function caseInsensitive(names: readonly string[]): string[] {
  const list = new CaseInsensitiveList();
  list.push(...names);
  return list;
}

function stderrWarning(msg: string): void {
  process.stderr.write(`exbinder: warning: ${msg}\n`);
}

interface Target {
  url: string;
  host: string;
  port: number;
  secure: 'ldaps' | 'starttls' | 'plain';
  where: string;
  description: string;
}

/** Validates the URL and the transport choice before any packet is sent. */
export function parseTarget(o: Pick<LdapOptions, 'url' | 'startTls' | 'insecurePlain'>): Target {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new ExbinderError(`invalid --url "${o.url}": use ldaps://dc.example.com or ldap://dc.example.com with --starttls`, 'ldap-url');
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
    throw new ExbinderError('--starttls goes with ldap:// (port 389), not ldaps://: drop one of them', 'ldap-url');
  }
  let secure: Target['secure'];
  if (scheme === 'ldaps') secure = 'ldaps';
  else if (o.startTls) secure = 'starttls';
  else if (o.insecurePlain) secure = 'plain';
  else {
    throw new ExbinderError(
      `${o.url} would send the password unencrypted: use ldaps://${u.hostname} or add --starttls`,
      'ldap-plain',
    );
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const where = `${hostPart}:${port}`;
  const description = `${scheme}://${where}${secure === 'starttls' ? ' (StartTLS)' : ''}`;
  return { url: `${scheme}://${where}`, host, port, secure, where, description };
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
  return pem;
}

/** Integer option within bounds, with a message naming the option. */
function bounded(name: string, value: number | undefined, dflt: number, min: number, max: number): number {
  const v = value ?? dflt;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ExbinderError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`, 'ldap-options');
  }
  return v;
}

/** Connects, secures, binds and reads nothing yet. All failures are ExbinderErrors. */
export async function openLdap(o: LdapOptions): Promise<LdapDirectory> {
  const target = parseTarget(o);
  const connectTimeoutMs = bounded('--connect-timeout', o.connectTimeoutMs, 10_000, 100, 600_000);
  const timeoutMs = bounded('--timeout', o.timeoutMs, 120_000, 100, 86_400_000);
  const pageSize = bounded('--page-size', o.pageSize, PAGE_SIZE_MAX, 1, PAGE_SIZE_MAX);
  const warn = o.onWarning ?? stderrWarning;
  if (!o.bindDn) throw new ExbinderError('no bind user: pass --bind-dn (a DN, user@domain or DOMAIN\\user)', 'ldap-bind-dn');
  if (!o.password) {
    // AD treats a simple bind with an empty password as an anonymous bind that "succeeds"
    throw new ExbinderError('empty password: AD would bind anonymously; provide the password of ' + o.bindDn, 'no-password');
  }

  const tlsOptions: ConnectionOptions = { rejectUnauthorized: !o.insecure };
  if (o.caFile) tlsOptions.ca = [await readCa(o.caFile)];
  // SNI must be a name, never an IP (RFC 6066); identity is checked against `host` then
  if (!isIP(target.host)) tlsOptions.servername = target.host;
  if (o.insecure && target.secure !== 'plain') {
    warn(`TLS certificate verification is disabled (--insecure): the identity of ${target.host} is not checked`);
  }
  if (target.secure === 'plain') {
    warn(`plain LDAP to ${target.where}: the password and all data cross the network unencrypted`);
  }

  const client =
    target.secure === 'ldaps'
      ? new Client({ url: target.url, timeout: timeoutMs, connectTimeout: connectTimeoutMs, tlsOptions })
      : new Client({ url: target.url, timeout: timeoutMs, connectTimeout: connectTimeoutMs });

  const ctx = (phase: Phase, base?: string): ErrorContext => ({
    where: target.where,
    host: target.host,
    port: target.port,
    secure: target.secure,
    phase,
    bindDn: o.bindDn,
    base,
    timeoutMs,
    connectTimeoutMs,
    password: o.password,
  });

  try {
    if (target.secure === 'starttls') {
      // StartTLS is connection setup: the exop and the TLS handshake after it
      // (which ldapts does not time) get the connect timeout, not 120 s
      await withTimeout(client.startTLS({ ...tlsOptions, host: target.host }), connectTimeoutMs, () => void client.unbind().catch(() => undefined));
    }
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw mapLdapError(err, ctx(client.isConnected || isTlsError(err) ? 'starttls' : 'connect'));
  }
  try {
    await client.bind(o.bindDn, o.password);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    // a connect failure surfaces on the first operation for ldaps and plain
    throw mapLdapError(err, ctx(target.secure === 'starttls' || isResultError(err) ? 'bind' : 'connect'));
  }
  return new LdapSource(client, target, { pageSize, timeoutMs, ctx, publicPagingOnly: o.publicPagingOnly ?? false });
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

/** A value as ldapts returns it: scalar for one value, array for several, [] for none. */
type RawValue = LdaptsEntry[string];

function toArray(v: RawValue): (string | Buffer)[] {
  if (Array.isArray(v)) return v as (string | Buffer)[];
  return [v as string | Buffer];
}

function asText(v: string | Buffer): string {
  // a non-binary attribute whose bytes are not UTF-8: same lossy decoding as the LDIF source
  return typeof v === 'string' ? v : v.toString('utf8');
}

function asBytes(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/** Splits `homeMDBBL;range=0-1499` into the attribute and its window. */
export function parseRangeKey(key: string): { name: string; lo: number; hi: number | '*' } | null {
  const m = RANGE_KEY.exec(key);
  if (!m) return null;
  return { name: (m[1]! + m[2]! + m[5]!).toLowerCase(), lo: Number(m[3]), hi: m[4] === '*' ? '*' : Number(m[4]) };
}

/** One entry as read, before normalisation: attribute types as the server sent them. */
interface RawEntry {
  readonly dn: string;
  readonly attributes: readonly { readonly type: string; readonly values: readonly (string | Buffer)[] }[];
}

/** What a paged search sends, prepared by search(). */
interface PageQuery {
  base: string;
  scope: SearchRequest['scope'];
  filter: Filter;
  attributes: string[];
  /** lower-cased names of attributes read as bytes */
  binary: ReadonlySet<string>;
}

/**
 * The two members of ldapts' Client that paging on its message layer needs.
 * They are private in its typings (ldapts 8.2), so they are looked up at run
 * time; a client without them is paged through the public searchPaginated().
 */
interface ClientInternals {
  _nextMessageId(): number;
  _send(message: LdaptsSearchRequest): Promise<SearchResponse | undefined>;
}

function internalsOf(client: Client): ClientInternals | null {
  const c = client as unknown as Partial<ClientInternals>;
  if (typeof c._send !== 'function' || typeof c._nextMessageId !== 'function') return null;
  return { _nextMessageId: () => c._nextMessageId!.call(client), _send: (m) => c._send!.call(client, m) };
}

/**
 * An ldapts SearchEntry as toObject() would present it, without the empty
 * arrays for absent attributes: binary attributes (name before any `;`
 * option, case-insensitively) and attributes with a value that is not UTF-8
 * come as the bytes received, the rest as ldapts' UTF-8 strings.
 */
function fromSearchEntry(e: SearchEntry, binary: ReadonlySet<string>): RawEntry {
  return {
    dn: e.name,
    attributes: e.attributes.map((a) => {
      const semi = a.type.indexOf(';');
      const name = (semi < 0 ? a.type : a.type.slice(0, semi)).toLowerCase();
      const values: readonly (string | Buffer)[] = a.values;
      return { type: a.type, values: binary.has(name) || values.some((v) => Buffer.isBuffer(v)) ? a.parsedBuffers : values };
    }),
  };
}

/** An entry from ldapts' searchPaginated() (toObject: scalar for one value, [] for an absent attribute). */
function fromLdaptsObject(raw: LdaptsEntry): RawEntry {
  const attributes: { type: string; values: (string | Buffer)[] }[] = [];
  for (const key of Object.keys(raw)) if (key !== 'dn') attributes.push({ type: key, values: toArray(raw[key]!) });
  return { dn: raw.dn, attributes };
}

class LdapSource implements LdapDirectory {
  readonly kind = 'ldap' as const;
  readonly description: string;
  searchCount = 0;
  pageCount = 0;
  rangeSearchCount = 0;
  private closed = false;
  private readonly internals: ClientInternals | null;

  constructor(
    private readonly client: Client,
    private readonly target: Target,
    private readonly opts: { pageSize: number; timeoutMs: number; ctx: (phase: Phase, base?: string) => ErrorContext; publicPagingOnly: boolean },
  ) {
    this.description = target.description;
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
    this.assertBound('rootdse');
    this.searchCount++;
    let entry: LdaptsEntry | undefined;
    try {
      // the root DSE is read without the paged control (AD rejects it there)
      const res = await this.client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: [
          'configurationNamingContext',
          'schemaNamingContext',
          'defaultNamingContext',
          'rootDomainNamingContext',
          'dnsHostName',
          'namingContexts',
        ],
        timeLimit: this.timeLimit,
      });
      this.pageCount++;
      entry = res.searchEntries[0];
    } catch (err) {
      throw mapLdapError(err, this.opts.ctx('rootdse', 'the root DSE'));
    }
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
      throw new ExbinderError(`search base ${JSON.stringify(request.base)} is not a valid DN: ${(err as Error).message}`, 'dn-syntax');
    }
    const wantsSd = attributes.some((a) => a.toLowerCase() === 'ntsecuritydescriptor');
    const controls = wantsSd ? [new SdFlagsControl()] : [];
    const query: PageQuery = { base: request.base, scope: request.scope, filter, attributes, binary: binarySet };
    const pages = this.internals ? this.ownPages(this.internals, query, controls) : this.ldaptsPages(query, controls);
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
        for (const raw of next.value) yield await this.toEntry(raw, binarySet, request.base);
      }
    } finally {
      // an abandoned iteration must not leave a page request unanswered or a generator suspended
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  /**
   * Paged search on ldapts' message layer. ldapts' own searchPaginated()
   * converts every entry of a page with toObject() (which adds an empty array
   * for each requested attribute an entry lacks: ~90 per Exchange entry)
   * before it asks for the next page, so the DC waits for that conversion on
   * every page. Here the request for page N+1 leaves as soon as page N's
   * result arrives, and entries are read straight from ldapts' parsed
   * attributes. Same request bytes, same controls, same result-code errors
   * (StatusCodeParser) as searchPaginated().
   */
  private async *ownPages(internals: ClientInternals, q: PageQuery, controls: Control[]): AsyncGenerator<RawEntry[]> {
    const paged = new PagedResultsControl({ value: { size: this.opts.pageSize } });
    const message = new LdaptsSearchRequest({
      messageId: -1,
      baseDN: q.base,
      scope: q.scope,
      filter: q.filter,
      attributes: q.attributes,
      sizeLimit: 0,
      timeLimit: this.timeLimit,
      controls: [...controls, paged],
    });
    const send = (): Promise<SearchResponse | undefined> => {
      this.assertBound('search', q.base);
      message.messageId = internals._nextMessageId();
      // _send encodes the message synchronously: the cookie can change for the next page right after
      const response = internals._send(message);
      response.catch(() => undefined); // awaited below; not "unhandled" while the previous page is converted
      return response;
    };
    let pending: Promise<SearchResponse | undefined> | null = send();
    try {
      while (pending) {
        const response: SearchResponse | undefined = await pending;
        pending = null;
        if (response?.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(response);
        this.pageCount++;
        const cookie = response.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl)?.value?.cookie;
        if (cookie && cookie.length > 0) {
          paged.value = { size: this.opts.pageSize, cookie };
          pending = send();
        }
        yield response.searchEntries.map((e) => fromSearchEntry(e, q.binary));
      }
    } finally {
      // abandoned with a page request in flight: let its answer arrive, so that
      // nothing of this search is still on the wire when the next one starts
      if (pending) await pending.catch(() => undefined);
    }
  }

  /** Public-API fallback (ldapts without the message layer used above): searchPaginated, next page asked before this one is converted. */
  private async *ldaptsPages(q: PageQuery, controls: Control[]): AsyncGenerator<RawEntry[]> {
    const iterator = this.client
      .searchPaginated(
        q.base,
        {
          scope: q.scope,
          filter: q.filter,
          attributes: q.attributes,
          explicitBufferAttributes: caseInsensitive([...q.binary]),
          paged: { pageSize: this.opts.pageSize },
          timeLimit: this.timeLimit,
          sizeLimit: 0,
        },
        controls,
      )
      [Symbol.asyncIterator]();
    const fetchPage = () => {
      const page = iterator.next();
      page.catch(() => undefined); // awaited below; not "unhandled" while the previous page is converted
      return page;
    };
    try {
      let pending = fetchPage();
      for (;;) {
        const next = await pending;
        if (next.done) return;
        this.pageCount++;
        // ask for page N+1 before converting page N: the DC computes the next page
        // while we convert this one, instead of both sides taking turns
        pending = fetchPage();
        yield next.value.searchEntries.map(fromLdaptsObject);
      }
    } finally {
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  /** Normalises an entry as read; completes ranged attributes with base searches. */
  private async toEntry(raw: RawEntry, binary: ReadonlySet<string>, base: string): Promise<Entry> {
    const text = new Map<string, string[]>();
    const bytes = new Map<string, Buffer[]>();
    const incomplete: { name: string; next: number }[] = [];
    const attrs: { name: string; values: readonly (string | Buffer)[]; range: ReturnType<typeof parseRangeKey> }[] = [];
    // with `*` in the request a server may return an attribute both plain and
    // ranged: the ranged windows are authoritative (the plain key may be capped)
    const rangedHere = new Set<string>();
    for (const { type: key, values } of raw.attributes) {
      if (values.length === 0) continue; // ldapts' toObject fills requested-but-absent attributes with []
      // only a key with options can be a range (`homeMDBBL;range=0-1499`): the regex runs for those alone
      const range = key.includes(';') ? parseRangeKey(key) : null;
      if (range) rangedHere.add(range.name);
      attrs.push({ name: range ? range.name : key.toLowerCase(), values, range });
    }
    for (const { name, values, range } of attrs) {
      if (!range && rangedHere.has(name)) continue;
      if (binary.has(name)) {
        appendTo(bytes, name, values.map(asBytes));
      } else {
        appendTo(text, name, values.map(asText));
      }
      // a plain key (server ignored the range option) or `-*` is complete
      if (range && range.hi !== '*') incomplete.push({ name, next: range.hi + 1 });
    }
    for (const { name, next } of incomplete) {
      const rest = await this.rangedValues(raw.dn, name, next, base);
      if (binary.has(name)) appendTo(bytes, name, rest.map(asBytes));
      else appendTo(text, name, rest.map(asText));
    }
    return { dn: raw.dn, text, binary: bytes };
  }

  /** Fetches `attr;range=lo-…` windows of one entry until the server says `-*`. */
  private async rangedValues(dn: string, name: string, from: number, base: string): Promise<(string | Buffer)[]> {
    const out: (string | Buffer)[] = [];
    let lo = from;
    for (;;) {
      this.assertBound('search', base);
      this.searchCount++;
      this.rangeSearchCount++;
      const attr = `${name};range=${lo}-${lo + RANGE_WINDOW - 1}`;
      let entry: LdaptsEntry | undefined;
      try {
        const res = await this.client.search(dn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: [attr],
          explicitBufferAttributes: caseInsensitive([name]),
          timeLimit: this.timeLimit,
        });
        this.pageCount++;
        entry = res.searchEntries[0];
      } catch (err) {
        throw mapLdapError(err, this.opts.ctx('search', dn));
      }
      let more: number | null = null;
      let found = false;
      for (const [key, value] of Object.entries(entry ?? {})) {
        const r = parseRangeKey(key);
        // ldapts echoes every requested key, filled with [] when the server
        // answered under another name (`…;range=1500-*`): only real windows count
        const values = toArray(value);
        if (!r || r.name !== name || values.length === 0) continue;
        found = true;
        out.push(...values);
        if (r.hi !== '*') {
          if (r.hi < lo) {
            throw new ExbinderError(`${this.target.where} answered ${key} for ${attr} on ${dn}: range retrieval does not advance`, 'ldap-range');
          }
          more = r.hi + 1;
        }
      }
      if (!found || more === null) return out;
      lo = more;
    }
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

function appendTo<T>(map: Map<string, T[]>, key: string, values: T[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values); // callers pass a fresh array (a map() result): no copy
}

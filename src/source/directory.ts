/**
 * The only contract between "where directory data comes from" (LDAP, LDIF)
 * and the harvest. All I/O with Active Directory lives behind it; harvest
 * code receives plain entries and never sees a client, and a failure comes
 * back as a DirectoryError whose `reason` says what kind of failure it is.
 */
import { ExbinderError, type ExbinderCode } from '../errors.js';

/**
 * Why the directory did not answer, in the words the harvest decides on. A
 * source maps its own failures (LDAP result codes, socket and TLS errors,
 * LDIF input) onto these; the harvest never looks at messages or numbers.
 * - no-such-object: the base is not there (LDAP 32)
 * - access-denied: the account may not read it (LDAP 50)
 * - referral: this DC does not hold that naming context (LDAP 10)
 * - busy / unavailable: the DC is overloaded or shutting down (LDAP 51 / 52)
 * - timeout: no answer in time, or the DC's time limit (LDAP 3)
 * - limit: an administrative or size limit refused the search (LDAP 4, 11)
 * - tls: the secure channel could not be set up or verified
 * - auth: the bind was refused (credentials, or a stronger bind is required)
 * - unreachable: nothing answered at that address
 * - connection-lost: the connection broke mid-operation
 * - invalid-request: a base DN or filter that is not valid syntax
 * - other: anything else (an unexpected result code)
 */
export const DIRECTORY_REASONS = [
  'no-such-object',
  'access-denied',
  'referral',
  'busy',
  'unavailable',
  'timeout',
  'limit',
  'tls',
  'auth',
  'unreachable',
  'connection-lost',
  'invalid-request',
  'other',
] as const;
export type DirectoryReason = (typeof DIRECTORY_REASONS)[number];

/** A failure at the Directory boundary: the one-line message for the user, the reason for the harvest. */
export class DirectoryError extends ExbinderError {
  constructor(
    message: string,
    readonly reason: DirectoryReason,
    code: ExbinderCode,
    options?: { cause?: unknown },
  ) {
    super(message, code, 2, options);
    this.name = 'DirectoryError';
  }
}

/** The reason of a Directory failure; null for anything that is not one (a bug, a programming error). */
export function directoryReason(err: unknown): DirectoryReason | null {
  return err instanceof DirectoryError ? err.reason : null;
}

/** Both sources check a search base before using it, with the same words. */
export function invalidSearchBase(base: string, err: unknown): DirectoryError {
  return new DirectoryError(`search base ${JSON.stringify(base)} is not a valid DN: ${(err as Error).message}`, 'invalid-request', 'dn-syntax', {
    cause: err,
  });
}

export type Scope = 'base' | 'one' | 'sub';

export interface SearchRequest {
  /** base DN */
  base: string;
  scope: Scope;
  /** RFC 4515 filter with text values only (binary filters are not needed by the harvest) */
  filter: string;
  /** lDAPDisplayNames to return (case-insensitive) */
  attributes: readonly string[];
  /** attributes returned as bytes (objectGUID, dnsRecord, certificates...) */
  binaryAttributes?: readonly string[];
  /**
   * Multi-valued attributes the source must return complete even when AD
   * caps them (MaxValRange, 1500): fetched with `attr;range=lo-hi` loops.
   */
  rangedAttributes?: readonly string[];
}

/** One directory object. Attribute keys are lower-cased lDAPDisplayNames. */
export interface Entry {
  readonly dn: string;
  readonly text: ReadonlyMap<string, readonly string[]>;
  readonly binary: ReadonlyMap<string, readonly Buffer[]>;
}

export interface RootDse {
  configurationNamingContext: string;
  schemaNamingContext: string;
  defaultNamingContext: string;
  rootDomainNamingContext: string;
  /** DNS name of the DC answering (LDAP) or null (LDIF) */
  dnsHostName: string | null;
  namingContexts: string[];
}

export interface Directory {
  /** what this is, for metadata and messages: `ldaps://dc1.contoso.com:636` or `export.ldf` */
  readonly description: string;
  readonly kind: 'ldap' | 'ldif';
  rootDse(): Promise<RootDse>;
  /**
   * Streams matching entries; pages under the hood (AD MaxPageSize is 1000).
   * A base that does not exist (or is invisible to the account) yields no
   * entries rather than an error: optional containers (CN=Databases on 2003)
   * are normal. Attributes absent on an entry are absent from its maps.
   * A subtree search stays inside the base's naming context, as on a DC.
   */
  search(request: SearchRequest): AsyncIterable<Entry>;
  /**
   * Searches issued so far (for snapshot metadata). Both built-in sources
   * set it; optional so that test doubles need not.
   */
  readonly searchCount?: number;
  close(): Promise<void>;
}

/** Convenience for callers that want every entry at once. */
export async function searchAll(dir: Directory, request: SearchRequest): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of dir.search(request)) out.push(e);
  return out;
}

/** First text value of an attribute, or null. */
export function first(entry: Entry, attribute: string): string | null {
  return entry.text.get(attribute.toLowerCase())?.[0] ?? null;
}

/** All text values of an attribute (empty when absent). */
export function all(entry: Entry, attribute: string): readonly string[] {
  return entry.text.get(attribute.toLowerCase()) ?? [];
}

/** First binary value of an attribute, or null. */
export function firstBinary(entry: Entry, attribute: string): Buffer | null {
  return entry.binary.get(attribute.toLowerCase())?.[0] ?? null;
}

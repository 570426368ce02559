/**
 * The only contract between "where directory data comes from" (LDAP, LDIF)
 * and the harvest. All I/O with Active Directory lives behind it; harvest
 * code receives plain entries and never sees a client.
 */

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

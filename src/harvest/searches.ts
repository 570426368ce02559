/**
 * Where the harvest reads: the fixed handful of LDAP searches. What each
 * search asks for is the union of the kinds declared on it (registry.ts);
 * kinds that share a search are fetched together in ONE paged search and
 * told apart client-side by objectClass, so the number of searches does not
 * grow with the org's size or with a new kind.
 */
import type { RootDse, Scope } from '../source/directory.js';

export interface SearchSpec {
  readonly base: (nc: RootDse) => string;
  readonly scope: Scope;
  /** static filter; searches with a dynamic filter get it from the harvest */
  readonly filter: string | null;
  /** a missing base (no such object) is normal: e.g. no legacy DNS container */
  readonly optional: boolean;
  /** its objects' replPropertyMetaData is read too (binary, only returned when asked for by name) unless the harvest leaves it out */
  readonly replMetadata?: boolean;
}

/** Change attribution per attribute ([MS-DRSR] PROPERTY_META_DATA_EXT_VECTOR; see decode/repl-metadata.ts). */
export const REPL_METADATA_ATTRIBUTE = 'replPropertyMetaData';

/** Read for every kind of every search. */
export const COMMON_ATTRIBUTES = ['objectClass', 'cn', 'name', 'whenCreated', 'adminDisplayName', 'description'] as const;

export const exchangeContainerDn = (nc: RootDse): string => `CN=Microsoft Exchange,CN=Services,${nc.configurationNamingContext}`;

const SPECS = {
  // (objectClass=*) and not a union filter: objects of classes we do not read
  // must be seen to be reported (an unknown child of a server is a warning)
  exchange: { base: exchangeContainerDn, scope: 'sub', filter: '(objectClass=*)', optional: true, replMetadata: true },
  // receive connector ACLs: their own search, so no other object's security descriptor is transferred
  receiveConnectorAcls: { base: exchangeContainerDn, scope: 'sub', filter: '(objectClass=msExchSmtpReceiveConnector)', optional: true },
  schemaVersion: { base: (nc) => `CN=ms-Exch-Schema-Version-Pt,${nc.schemaNamingContext}`, scope: 'base', filter: '(objectClass=*)', optional: true },
  partitions: { base: (nc) => `CN=Partitions,${nc.configurationNamingContext}`, scope: 'sub', filter: '(|(objectClass=crossRefContainer)(objectClass=crossRef))', optional: true },
  sites: { base: (nc) => `CN=Sites,${nc.configurationNamingContext}`, scope: 'sub', filter: '(|(objectClass=server)(objectClass=nTDSDSA)(objectClass=nTDSDSARO))', optional: true },
  // the default domain NC: one search with a filter built from what the Exchange search found
  domain: { base: (nc) => nc.defaultNamingContext, scope: 'sub', filter: null, optional: false },
  // computer accounts of servers whose FQDN is in another domain of the forest
  // (one search per such domain; the base comes from CN=Partitions)
  otherDomain: { base: (nc) => nc.defaultNamingContext, scope: 'sub', filter: null, optional: true },
  // AD-integrated DNS: one search per DNS partition, nodes filtered by host label
  dnsDomainZones: { base: (nc) => `CN=MicrosoftDNS,DC=DomainDnsZones,${nc.defaultNamingContext}`, scope: 'sub', filter: null, optional: true },
  dnsForestZones: { base: (nc) => `CN=MicrosoftDNS,DC=ForestDnsZones,${nc.rootDomainNamingContext}`, scope: 'sub', filter: null, optional: true },
  dnsLegacyZones: { base: (nc) => `CN=MicrosoftDNS,CN=System,${nc.defaultNamingContext}`, scope: 'sub', filter: null, optional: true },
  // the schema head (prefixMap) and the attributeSchema objects of the attributes the model reads
  schema: { base: (nc) => nc.schemaNamingContext, scope: 'sub', filter: null, optional: true },
} satisfies Readonly<Record<string, SearchSpec>>;

export type SearchId = keyof typeof SPECS;
export const SEARCHES: Readonly<Record<SearchId, SearchSpec>> = SPECS;

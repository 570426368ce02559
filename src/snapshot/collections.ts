/**
 * The collection registry: every object collection of a snapshot, once, with
 * what the later stages need to know about it: what a reader calls one, its
 * zod schema (from model.ts, the single source of the types), the severity
 * of a change to each of its fields, how its objects belong in a server's
 * chapter, where they sit in a snapshot, and in which schema version the
 * collection or a field was added. The diff walks the collections from
 * here, the view and the drift report label them from here, migrate.ts
 * fills what an older snapshot lacks from here.
 *
 * Every per-collection table is typed Record<CollectionName, …> with
 * `satisfies`, so the compiler names each place a new collection must fill:
 * this registry and the harvest's (src/harvest/registry.ts: the kinds and
 * mapper that fill it, the attributes each field is read from). A field
 * without a severity is a compile error too (`Severities`), and so is a
 * top-level collection the Snapshot schema (model.ts) does not hold.
 */
import type { z } from 'zod';
import {
  AcceptedDomain,
  AdminGroup,
  AutodiscoverScp,
  Dag,
  Database,
  Domain,
  DomainController,
  Forest,
  Organization,
  PopImapSettings,
  ReceiveConnector,
  RoutingGroup,
  RoutingGroupConnector,
  SendConnector,
  Server,
  StorageGroup,
  VirtualDirectory,
  type Metadata,
  type Snapshot,
} from './model.js';
import type { Severity } from './drift.js';

/** The collection names; the registry's keys (below) in model order. */
export type CollectionName = keyof typeof REGISTRY;

/**
 * Severity of a change to each field of an object (identity and `raw`
 * aside: renames and moves are critical everywhere, raw drift is info).
 * `critical` = the binder's chapters or runbook print it (a printed copy
 * with this value wrong sends the admin down the wrong path on the worst
 * day); `info` = worth knowing, never a reason to reprint. Every field must
 * be decided: a missing key does not compile.
 */
export type Severities<T> = { readonly [K in Exclude<keyof T, 'guid' | 'dn' | 'raw'>]-?: Severity };

/** How an object belongs in a server's chapter: the field holding its server's DN(s); null = printed once for the organization. */
export type ServerLink = 'server' | 'sourceServers' | null;

/**
 * Fields added to a collection after it: the schema version that added each
 * and the value a snapshot written before it gets (null or []: the harvest
 * did not read it then). migrate.ts fills them.
 */
export type Added<T> = { readonly [K in keyof T]?: { readonly since: number; readonly empty: T[K] } };

export interface CollectionEntry<S extends z.ZodType<object> = z.ZodType<object>> {
  /** what a reader calls one object of the collection */
  readonly label: string;
  /** the schema of one object, from model.ts */
  readonly schema: S;
  readonly severity: Severities<z.infer<S>>;
  /** databases are printed with every server that holds a copy too (render/view/build.ts) */
  readonly serverLink: ServerLink;
  /**
   * Where its objects sit in a snapshot: a top-level list of the collection's
   * name (default), the one object of that name (`one`: organization, forest),
   * or a list of that name inside one of those.
   */
  readonly at?: 'one' | { readonly in: 'organization' | 'forest' };
  /** the schema version that added the collection: older snapshots get none of its objects */
  readonly since?: number;
  readonly added?: Added<z.infer<S>>;
}

/** One registry entry; checks `severity` against the schema's fields. */
const entry = <S extends z.ZodType<object>, const A extends CollectionEntry['at'] = undefined>(e: CollectionEntry<S> & { readonly at?: A }): CollectionEntry<S> & { readonly at: NoInfer<A> } =>
  e as CollectionEntry<S> & { readonly at: A };

const C = 'critical' as const;

// the organization and the forest are one object each; their nested lists are collections of their own
const OrganizationObject = Organization.omit({ adminGroups: true });
const ForestObject = Forest.omit({ domains: true, domainControllers: true });

export const REGISTRY = {
  organization: entry({
    label: 'Organization', schema: OrganizationObject, serverLink: null, at: 'one',
    severity: { name: C, objectVersion: C, objectVersionRelease: C, cmdletExtensionAgents: C, authCertificate: C },
    added: { cmdletExtensionAgents: { since: 3, empty: [] }, authCertificate: { since: 4, empty: null } },
  }),
  adminGroups: entry({ label: 'Administrative group', schema: AdminGroup, serverLink: null, at: { in: 'organization' }, severity: { name: C } }),
  forest: entry({
    label: 'Forest', schema: ForestObject, serverLink: null, at: 'one',
    severity: { rootDomain: C, functionalLevel: C, functionalLevelName: C, exchangeSchemaVersion: C, exchangeSchemaRelease: C },
  }),
  domains: entry({
    label: 'Domain', schema: Domain, serverLink: null, at: { in: 'forest' },
    severity: { dnsName: C, functionalLevel: C, functionalLevelName: C, exchangeSystemObjectsVersion: C },
  }),
  domainControllers: entry({
    label: 'Domain controller', schema: DomainController, serverLink: null, at: { in: 'forest' },
    severity: {
      name: C, fqdn: C, site: C, domain: C, isGlobalCatalog: C, isReadOnly: C, operatingSystem: C, operatingSystemVersion: C,
      ipAddresses: C,
    },
  }),
  servers: entry({
    label: 'Server', schema: Server, serverLink: null,
    severity: {
      name: C, adminGroup: C, fqdn: C, serialNumber: C, versionNumber: C, version: C, roles: C, roleBitmask: C,
      legacyServerRole: C, installPath: C, dataPath: C, site: C, siteName: C, networkAddresses: C, routingGroup: C,
      dag: C, computer: C, ipAddresses: C, transportPaths: C, transportServices: C, clusteredMailboxServer: C,
      internalTransportCertificate: C,
    },
    added: { transportServices: { since: 3, empty: [] }, clusteredMailboxServer: { since: 3, empty: null } },
  }),
  storageGroups: entry({
    label: 'Storage group', schema: StorageGroup, serverLink: 'server',
    severity: { name: C, server: C, logFolderPath: C, systemFolderPath: C, logFilePrefix: C, circularLogging: C, recovery: C },
  }),
  databases: entry({
    label: 'Database', schema: Database, serverLink: 'server',
    severity: {
      name: C, kind: C, server: C, storageGroup: C, masterServerOrDag: C, edbFilePath: C, streamingFilePath: C,
      logFolderPath: C, systemFolderPath: C, logFilePrefix: C, circularLogging: C, mountAtStartup: C,
      allowFileRestore: C, recovery: C, copies: C,
      // how many mailboxes live on a database changes every day and is not a recovery step
      mailboxCount: 'info',
    },
  }),
  dags: entry({
    label: 'DAG', schema: Dag, serverLink: null,
    severity: {
      name: C, members: C, witnessShare: C, witnessServer: C, witnessDirectory: C, alternateWitnessShare: C,
      alternateWitnessServer: C, alternateWitnessDirectory: C, ipv4Addresses: C, datacenterActivationMode: C,
    },
  }),
  virtualDirectories: entry({
    label: 'Virtual directory', schema: VirtualDirectory, serverLink: 'server',
    severity: {
      name: C, server: C, kind: C, website: C, internalUrl: C, externalUrl: C, internalAuthentication: C,
      externalAuthentication: C, metabasePath: C,
    },
  }),
  autodiscoverScps: entry({
    label: 'Autodiscover SCP', schema: AutodiscoverScp, serverLink: 'server',
    severity: { name: C, server: C, url: C, siteScope: C },
  }),
  popImapSettings: entry({
    label: 'Client protocol settings', schema: PopImapSettings, serverLink: 'server', since: 5,
    severity: {
      name: C, server: C, protocol: C, x509CertificateName: C, unencryptedOrTlsBindings: C, sslBindings: C,
      internalConnectionSettings: C, externalConnectionSettings: C,
    },
  }),
  receiveConnectors: entry({
    label: 'Receive connector', schema: ReceiveConnector, serverLink: 'server',
    severity: {
      name: C, server: C, enabled: C, bindings: C, fqdn: C, remoteIpRanges: C, permissionGroups: C, authMechanisms: C,
      maxMessageSize: C, tlsCertificateName: C,
    },
    added: { tlsCertificateName: { since: 3, empty: null } },
  }),
  sendConnectors: entry({
    label: 'Send connector', schema: SendConnector, serverLink: 'sourceServers',
    severity: {
      name: C, routingGroup: C, enabled: C, addressSpaces: C, smartHosts: C, sourceServers: C, port: C, fqdn: C,
      tlsCertificateName: C,
    },
    added: { tlsCertificateName: { since: 3, empty: null } },
  }),
  routingGroups: entry({
    label: 'Routing group', schema: RoutingGroup, serverLink: null,
    severity: { name: C, adminGroup: C, masterServer: C },
  }),
  routingGroupConnectors: entry({
    label: 'Routing group connector', schema: RoutingGroupConnector, serverLink: null,
    severity: { name: C, routingGroup: C, targetRoutingGroup: C, sourceServers: C, targetServers: C, cost: C },
  }),
  acceptedDomains: entry({
    label: 'Accepted domain', schema: AcceptedDomain, serverLink: null,
    severity: { name: C, domainName: C, type: C, isDefault: C },
  }),
} as const satisfies Readonly<Record<string, CollectionEntry>>;

/** The collections in model order (the diff reports in it). */
export const COLLECTIONS = Object.keys(REGISTRY) as readonly CollectionName[];

/** One object of a collection, as the registry's schema types it. */
export type CollectionObject<Name extends CollectionName> = z.infer<(typeof REGISTRY)[Name]['schema']>;
/** Every collection's objects. */
export type CollectionObjects = { readonly [Name in CollectionName]: CollectionObject<Name>[] };

const pick = <T>(f: (e: CollectionEntry, c: CollectionName) => T): Record<CollectionName, T> =>
  Object.fromEntries(COLLECTIONS.map((c) => [c, f(REGISTRY[c], c)])) as Record<CollectionName, T>;

/** What a reader calls one object of each collection. */
export const COLLECTION_LABEL: Readonly<Record<CollectionName, string>> = pick((e) => e.label);

/** The label of a collection named in a report (a string: reports of older versions may name others). */
export function collectionLabel(collection: string): string {
  return (COLLECTION_LABEL as Readonly<Record<string, string>>)[collection] ?? collection;
}

/** How an object belongs in a server's chapter (see `CollectionEntry.serverLink`). */
export const SERVER_LINK: Readonly<Record<CollectionName, ServerLink>> = pick((e) => e.serverLink);

/** Top-level field → severity, per collection (from the registry). */
export const FIELD_SEVERITY: Readonly<Record<CollectionName, Readonly<Record<string, Severity>>>> = pick((e) => e.severity);

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => !!v && typeof v === 'object' && !Array.isArray(v);
const place = (c: CollectionName): CollectionEntry['at'] => (REGISTRY[c] as CollectionEntry).at;
/** The collections nested in the one object of `parent` (organization: adminGroups). */
const nestedIn = (parent: CollectionName) => COLLECTIONS.filter((c) => { const at = place(c); return typeof at === 'object' && at.in === parent; });

/**
 * The objects of a collection in a snapshot document, as stored (a one-object
 * collection: the object itself, nested lists included); [] where the
 * document has none. migrate.ts reads older documents through it too.
 */
export function storedObjects(doc: Doc, c: CollectionName): Doc[] {
  const at = place(c);
  const list = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter(isDoc) : []);
  if (at === 'one') return isDoc(doc[c]) ? [doc[c]] : [];
  if (at) return isDoc(doc[at.in]) ? list((doc[at.in] as Doc)[c]) : [];
  return list(doc[c]);
}

/** Where each collection's objects are in a snapshot (the one organization and forest object without their nested lists). */
export function collectionObjects(s: Snapshot): CollectionObjects {
  const doc = s as unknown as Doc;
  const strip = (o: Doc, c: CollectionName) => Object.fromEntries(Object.entries(o).filter(([k]) => !(nestedIn(c) as string[]).includes(k)));
  return Object.fromEntries(COLLECTIONS.map((c) => [c, storedObjects(doc, c).map((o) => (place(c) === 'one' ? strip(o, c) : o))])) as unknown as CollectionObjects;
}

/** A snapshot from its collections (the one organization and forest object nest theirs). Not yet canonical. */
export function assembleSnapshot(schemaVersion: Snapshot['schemaVersion'], metadata: Metadata, o: CollectionObjects): Snapshot {
  const doc: Doc = { schemaVersion, metadata };
  for (const c of COLLECTIONS) {
    if (place(c) !== 'one') continue;
    const [one] = o[c] as readonly Doc[];
    if (!one) throw new Error(`a snapshot has exactly one ${c} object`);
    doc[c] = { ...one };
  }
  for (const c of COLLECTIONS) {
    const at = place(c);
    if (at === 'one') continue;
    (at ? (doc[at.in] as Doc) : doc)[c] = [...o[c]];
  }
  return doc as unknown as Snapshot;
}

type TopLevel = { [C in CollectionName]: (typeof REGISTRY)[C]['at'] extends undefined ? C : never }[CollectionName];
type None<T extends never> = T;
/** Every top-level list collection is a key of the Snapshot schema: a new one missing from model.ts does not compile (it is named). */
export type TopLevelCollectionsMissingFromSnapshot = None<Exclude<TopLevel, keyof Snapshot>>;

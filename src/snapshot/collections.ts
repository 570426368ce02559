/**
 * The collection registry: every object collection of a snapshot, once, with
 * what the later stages need to know about it: what a reader calls one, its
 * zod schema (from model.ts, the single source of the types), the severity
 * of a change to each of its fields, and how its objects belong in a server's
 * chapter. The diff walks the collections from here, the view and the drift
 * report label them from here.
 *
 * Every per-collection table is typed Record<CollectionName, …> with
 * `satisfies`, so the compiler names each place a new collection must fill:
 * this registry, the harvest's (src/harvest/registry.ts: the kinds and mapper
 * that fill it, the attributes each field is read from) and
 * `collectionObjects()` / `assembleSnapshot()` below. A field without a
 * severity is a compile error too (`Severities`).
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

/** Diffable collections in model order; nested lists of `forest`/`organization` get their own name. */
export const COLLECTIONS = [
  'organization',
  'adminGroups',
  'forest',
  'domains',
  'domainControllers',
  'servers',
  'storageGroups',
  'databases',
  'dags',
  'virtualDirectories',
  'autodiscoverScps',
  'receiveConnectors',
  'sendConnectors',
  'routingGroups',
  'routingGroupConnectors',
  'acceptedDomains',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

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

export interface CollectionEntry<S extends z.ZodType<object> = z.ZodType<object>> {
  /** what a reader calls one object of the collection */
  readonly label: string;
  /** the schema of one object, from model.ts */
  readonly schema: S;
  readonly severity: Severities<z.infer<S>>;
  /** databases are printed with every server that holds a copy too (render/view/build.ts) */
  readonly serverLink: ServerLink;
}

/** One registry entry; checks `severity` against the schema's fields. */
const entry = <S extends z.ZodType<object>>(e: CollectionEntry<S>): CollectionEntry<S> => e;

const C = 'critical' as const;

// the organization and the forest are one object each; their nested lists are collections of their own
const OrganizationObject = Organization.omit({ adminGroups: true });
const ForestObject = Forest.omit({ domains: true, domainControllers: true });

export const REGISTRY = {
  organization: entry({
    label: 'Organization', schema: OrganizationObject, serverLink: null,
    severity: { name: C, objectVersion: C, objectVersionRelease: C, cmdletExtensionAgents: C, authCertificate: C },
  }),
  adminGroups: entry({ label: 'Administrative group', schema: AdminGroup, serverLink: null, severity: { name: C } }),
  forest: entry({
    label: 'Forest', schema: ForestObject, serverLink: null,
    severity: { rootDomain: C, functionalLevel: C, functionalLevelName: C, exchangeSchemaVersion: C, exchangeSchemaRelease: C },
  }),
  domains: entry({
    label: 'Domain', schema: Domain, serverLink: null,
    severity: { dnsName: C, functionalLevel: C, functionalLevelName: C, exchangeSystemObjectsVersion: C },
  }),
  domainControllers: entry({
    label: 'Domain controller', schema: DomainController, serverLink: null,
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
  receiveConnectors: entry({
    label: 'Receive connector', schema: ReceiveConnector, serverLink: 'server',
    severity: {
      name: C, server: C, enabled: C, bindings: C, fqdn: C, remoteIpRanges: C, permissionGroups: C, authMechanisms: C,
      maxMessageSize: C, tlsCertificateName: C,
    },
  }),
  sendConnectors: entry({
    label: 'Send connector', schema: SendConnector, serverLink: 'sourceServers',
    severity: {
      name: C, routingGroup: C, enabled: C, addressSpaces: C, smartHosts: C, sourceServers: C, port: C, fqdn: C,
      tlsCertificateName: C,
    },
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
} as const satisfies Record<CollectionName, CollectionEntry>;

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

/**
 * Where each collection's objects are in a snapshot (the organization and the
 * forest are one object each; admin groups, domains and DCs are nested).
 * `assembleSnapshot` is its inverse.
 */
export function collectionObjects(s: Snapshot): CollectionObjects {
  const { adminGroups, ...organization } = s.organization;
  const { domains, domainControllers, ...forest } = s.forest;
  return {
    organization: [organization],
    adminGroups,
    forest: [forest],
    domains,
    domainControllers,
    servers: s.servers,
    storageGroups: s.storageGroups,
    databases: s.databases,
    dags: s.dags,
    virtualDirectories: s.virtualDirectories,
    autodiscoverScps: s.autodiscoverScps,
    receiveConnectors: s.receiveConnectors,
    sendConnectors: s.sendConnectors,
    routingGroups: s.routingGroups,
    routingGroupConnectors: s.routingGroupConnectors,
    acceptedDomains: s.acceptedDomains,
  } satisfies Record<CollectionName, readonly unknown[]>;
}

/** A snapshot from its collections (the one organization and forest object nest theirs). Not yet canonical. */
export function assembleSnapshot(schemaVersion: Snapshot['schemaVersion'], metadata: Metadata, o: CollectionObjects): Snapshot {
  const [organization] = o.organization;
  const [forest] = o.forest;
  if (!organization || !forest) throw new Error('a snapshot has exactly one organization and one forest object');
  return {
    schemaVersion,
    metadata,
    organization: { ...organization, adminGroups: [...o.adminGroups] },
    forest: { ...forest, domains: [...o.domains], domainControllers: [...o.domainControllers] },
    servers: [...o.servers],
    storageGroups: [...o.storageGroups],
    databases: [...o.databases],
    dags: [...o.dags],
    virtualDirectories: [...o.virtualDirectories],
    autodiscoverScps: [...o.autodiscoverScps],
    receiveConnectors: [...o.receiveConnectors],
    sendConnectors: [...o.sendConnectors],
    routingGroups: [...o.routingGroups],
    routingGroupConnectors: [...o.routingGroupConnectors],
    acceptedDomains: [...o.acceptedDomains],
  };
}

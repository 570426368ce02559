/**
 * The collection registry: every object collection of a snapshot, once. The
 * diff walks them in this order, the view and the drift report label them
 * from here, and every per-collection table elsewhere is typed
 * Record<CollectionName, …> so the compiler names each place a new
 * collection must be filled in.
 */
import type { Snapshot } from './model.js';

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

/** What a reader calls one object of each collection. */
export const COLLECTION_LABEL = {
  organization: 'Organization',
  adminGroups: 'Administrative group',
  forest: 'Forest',
  domains: 'Domain',
  domainControllers: 'Domain controller',
  servers: 'Server',
  storageGroups: 'Storage group',
  databases: 'Database',
  dags: 'DAG',
  virtualDirectories: 'Virtual directory',
  autodiscoverScps: 'Autodiscover SCP',
  receiveConnectors: 'Receive connector',
  sendConnectors: 'Send connector',
  routingGroups: 'Routing group',
  routingGroupConnectors: 'Routing group connector',
  acceptedDomains: 'Accepted domain',
} as const satisfies Record<CollectionName, string>;

/** The label of a collection named in a report (a string: reports of older versions may name others). */
export function collectionLabel(collection: string): string {
  return (COLLECTION_LABEL as Readonly<Record<string, string>>)[collection] ?? collection;
}

/**
 * Where each collection's objects are in a snapshot (the organization and the
 * forest are one object each; admin groups, domains and DCs are nested).
 */
export function collectionObjects(s: Snapshot): { readonly [C in CollectionName]: readonly unknown[] } {
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
  };
}

/**
 * How an object belongs in a server's chapter: the field that holds its
 * server's DN (or several: a send connector has source servers); null for
 * what the binder prints once for the organization. Databases are printed
 * with every server that holds a copy too (render/view/build.ts).
 */
export const SERVER_LINK = {
  organization: null,
  adminGroups: null,
  forest: null,
  domains: null,
  domainControllers: null,
  servers: null,
  storageGroups: 'server',
  databases: 'server',
  dags: null,
  virtualDirectories: 'server',
  autodiscoverScps: 'server',
  receiveConnectors: 'server',
  sendConnectors: 'sourceServers',
  routingGroups: null,
  routingGroupConnectors: null,
  acceptedDomains: null,
} as const satisfies Record<CollectionName, 'server' | 'sourceServers' | null>;

/**
 * The collection registry: every object collection of a snapshot, once. The
 * diff walks them in this order, the view and the drift report label them
 * from here, and every per-collection table elsewhere is typed
 * Record<CollectionName, …> so the compiler names each place a new
 * collection must be filled in.
 */

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

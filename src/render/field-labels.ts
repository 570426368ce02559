/**
 * Field labels for people: the one place where a drift field path of the
 * model (`copies[EX02].activationPreference`, `transportPaths.messageTracking`,
 * `raw.msexchsmtpmaxmessagesize`) becomes what an admin reads ("Activation
 * preference of the copy on EX02", "Message tracking log path", "Attribute
 * msExchSmtpMaxMessageSize"). Appendix A, the attribution table and the
 * drift report (text and Markdown) all print these; the paths themselves stay
 * in the JSON report, which is for programs.
 */

import type { CollectionName, CollectionObject } from '../snapshot/collections.js';

/** Every top-level field of every collection (the registry's schemas), raw aside: each needs a label below. */
type FieldName = Exclude<{ [C in CollectionName]: keyof CollectionObject<C> & string }[CollectionName], 'raw'>;

/**
 * Labels of top-level fields, the same in every collection unless COLLECTION_FIELD says otherwise. Typed
 * with `satisfies Record<FieldName, string>`: a field added to the model does not compile until it has one.
 */
const FIELD: Readonly<Record<string, string>> = {
  adminGroup: 'Administrative group', fqdn: 'FQDN', serialNumber: 'Serial number (build stamp)', versionNumber: 'Version number',
  version: 'Exchange version', roles: 'Server roles', roleBitmask: 'Role bits (msExchCurrentServerRoles)',
  legacyServerRole: 'Exchange 2003 server role', installPath: 'Install path', dataPath: 'Data path', site: 'AD site', siteName: 'AD site name',
  networkAddresses: 'Network addresses', routingGroup: 'Routing group', dag: 'DAG', computer: 'Computer account',
  ipAddresses: 'IP addresses', transportPaths: 'Transport log paths', transportServices: 'Transport service', clusteredMailboxServer: 'Clustered mailbox server',
  internalTransportCertificate: 'Internal transport certificate', server: 'Server', logFolderPath: 'Log folder',
  systemFolderPath: 'System folder', logFilePrefix: 'Log file prefix', circularLogging: 'Circular logging', recovery: 'Recovery store',
  kind: 'Kind', storageGroup: 'Storage group', masterServerOrDag: 'Master server or DAG', edbFilePath: 'EDB file path',
  streamingFilePath: 'STM file path', mountAtStartup: 'Mount at startup', allowFileRestore: 'Can be overwritten by a restore',
  mailboxCount: 'Mailbox count', copies: 'Database copy', members: 'Members', witnessShare: 'Witness share', witnessServer: 'Witness server',
  witnessDirectory: 'Witness directory', alternateWitnessShare: 'Alternate witness share', alternateWitnessServer: 'Alternate witness server',
  alternateWitnessDirectory: 'Alternate witness directory', ipv4Addresses: 'IPv4 addresses', datacenterActivationMode: 'Datacenter activation mode',
  website: 'Web site', internalUrl: 'Internal URL', externalUrl: 'External URL', internalAuthentication: 'Internal authentication methods',
  externalAuthentication: 'External authentication methods', metabasePath: 'Metabase path', url: 'Autodiscover URL', siteScope: 'Site scope',
  enabled: 'Enabled', bindings: 'Bindings', remoteIpRanges: 'Remote IP ranges', permissionGroups: 'Permission groups',
  authMechanisms: 'Authentication mechanisms', maxMessageSize: 'Maximum message size', tlsCertificateName: 'TLS certificate',
  addressSpaces: 'Address spaces', smartHosts: 'Smart hosts', sourceServers: 'Source servers', port: 'Port', masterServer: 'Master server',
  targetRoutingGroup: 'Target routing group', targetServers: 'Target servers', cost: 'Cost', domainName: 'Domain name', type: 'Type',
  isDefault: 'Default domain', domain: 'Domain', isGlobalCatalog: 'Global catalog', isReadOnly: 'Read-only domain controller',
  operatingSystem: 'Operating system', operatingSystemVersion: 'Operating system version', operatingSystemServicePack: 'Operating system service pack',
  dnsName: 'DNS name', functionalLevel: 'Functional level', functionalLevelName: 'Functional level',
  exchangeSystemObjectsVersion: 'Microsoft Exchange System Objects version (PrepareDomain)', rootDomain: 'Forest root domain',
  exchangeSchemaVersion: 'Exchange schema version (PrepareSchema)', exchangeSchemaRelease: 'Exchange schema release',
  objectVersion: 'Organization objectVersion (PrepareAD)', objectVersionRelease: 'Release of the organization objectVersion',
  adminGroups: 'Administrative groups', cmdletExtensionAgents: 'Cmdlet extension agent', authCertificate: 'OAuth certificate',
  protocol: 'Protocol', x509CertificateName: 'Certificate name (X509CertificateName)', unencryptedOrTlsBindings: 'Unencrypted or TLS bindings',
  sslBindings: 'SSL bindings', internalConnectionSettings: 'Internal connection settings', externalConnectionSettings: 'External connection settings',
  name: 'Name', dn: 'Distinguished name', guid: 'Object GUID',
} satisfies Record<FieldName, string> & Readonly<Record<string, string>>;

/** Where a collection reads a field name differently. */
const COLLECTION_FIELD: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  databases: { kind: 'Database type', server: 'Owning server', recovery: 'Recovery database' },
  storageGroups: { recovery: 'Recovery storage group' },
  virtualDirectories: { kind: 'Virtual directory type' },
  forest: { functionalLevel: 'Forest functional level', functionalLevelName: 'Forest functional level' },
  domains: { functionalLevel: 'Domain functional level', functionalLevelName: 'Domain functional level' },
  routingGroupConnectors: { sourceServers: 'Source bridgehead servers', targetServers: 'Target bridgehead servers' },
};

/** Fields inside a nested object (`computer.x`, `transportPaths.x`, ...) and of the items of a list (`copies[K].x`). */
const NESTED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  computer: {
    dn: 'Computer account', dnsHostName: 'DNS host name of the computer account', operatingSystem: 'Operating system',
    operatingSystemVersion: 'Operating system version', operatingSystemServicePack: 'Operating system service pack',
  },
  transportPaths: {
    messageTracking: 'Message tracking log path', receiveProtocolLog: 'Receive protocol log path', sendProtocolLog: 'Send protocol log path',
    connectivityLog: 'Connectivity log path', pickupDirectory: 'Pickup directory', replayDirectory: 'Replay directory',
    pipelineTracing: 'Pipeline tracing path', routingLog: 'Routing table log path',
  },
  clusteredMailboxServer: { storageType: 'Cluster storage type (CCR or SCC)', nodes: 'Cluster nodes that can host the clustered mailbox server' },
  authCertificate: { current: 'Current OAuth certificate thumbprint', previous: 'Previous OAuth certificate thumbprint', next: 'Next OAuth certificate thumbprint' },
  copies: {
    server: 'Host server', serverName: 'Server', activationPreference: 'Activation preference', replayLagTime: 'Replay lag time',
    truncationLagTime: 'Truncation lag time', dn: 'Distinguished name',
  },
  cmdletExtensionAgents: { enabled: 'Enabled flag', isSystem: 'System agent', name: 'Name', dn: 'Distinguished name' },
  transportServices: { service: 'Service', dn: 'Distinguished name' },
};

/** 'activationPreference' → 'Activation preference': for a field this table does not know yet (a newer model). */
function words(field: string): string {
  const s = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const lower = (label: string) => (/^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

/** The item of a list field, as a phrase: 'the copy on EX02', 'the Front End Transport service'. */
function item(list: string, key: string): string {
  if (list === 'copies') return `the copy on ${key}`;
  if (list === 'cmdletExtensionAgents') return `the cmdlet extension agent ${key}`;
  if (list === 'transportServices') {
    // keyed by DN: CN=Frontend / CN=Mailbox under the server's CN=Transport Configuration
    const rdn = /^CN=([^,]+)/i.exec(key)?.[1]?.toLowerCase();
    return rdn === 'frontend' ? 'the Front End Transport service' : rdn === 'mailbox' ? 'the Mailbox Transport service' : `the transport service ${key}`;
  }
  return `${lower(FIELD[list] ?? words(list))} ${key}`;
}

/**
 * The label of a drift field path. `spell`: raw attribute names as Active
 * Directory spells them (the harvest's attributeSpelling; the snapshot keys
 * them in lower case).
 */
export function fieldLabel(collection: string, path: string, spell: (attribute: string) => string = (a) => a): string {
  if (path.startsWith('raw.')) return `Attribute ${spell(path.slice(4))}`;
  const m = /^([^.[]+)(?:\[(.*)\])?(?:\.(.+))?$/.exec(path);
  if (!m) return path;
  const [, top, key, rest] = m as unknown as [string, string, string | undefined, string | undefined];
  const own = (f: string): string => COLLECTION_FIELD[collection]?.[f] ?? FIELD[f] ?? words(f);
  const nested = (parent: string, sub: string) => {
    // transportServices[K].paths.messageTracking: the paths read like a server's transport paths
    const leaf = sub.startsWith('paths.') ? NESTED['transportPaths']?.[sub.slice(6)] : NESTED[parent]?.[sub];
    return leaf ?? sub.split('.').map(words).join(', ');
  };
  if (key !== undefined) {
    const what = item(top, key);
    // an added or removed item: 'Copy on EX02'
    if (rest === undefined) return what.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase());
    return `${nested(top, rest)} of ${what}`;
  }
  if (rest === undefined) return own(top);
  const leaf = nested(top, rest);
  if (top === 'computer' && rest !== 'dn') return `${leaf} (computer account)`;
  return leaf;
}

/** Whether the tables above name this field (tests: every model field has a label, none falls back to words()). */
export function hasFieldLabel(collection: string, path: string): boolean {
  const [top, sub] = path.split('.', 2) as [string, string | undefined];
  if (sub === undefined) return Boolean(COLLECTION_FIELD[collection]?.[top] ?? FIELD[top]);
  return Boolean(NESTED[top]?.[sub]);
}

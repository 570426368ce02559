/**
 * What the harvest reads, as data: every object kind with where it lives
 * (which search), the objectClass that identifies it, and the attributes to
 * fetch. Kinds that share a search are fetched together in ONE paged search
 * (union of attributes) and told apart client-side by objectClass, so the
 * number of LDAP searches is fixed (a handful), whatever the org's size.
 *
 * Supporting a new object kind: see "How to add an object kind" in docs/design.md.
 */
import type { RootDse, Scope } from '../source/directory.js';
import { ComputerIndex } from './computers.js';
import { copiesByDatabase, mapDatabase, mapStorageGroup } from './databases.js';
import { mapDag } from './dags.js';
import { buildDnsIndex } from './dns.js';
import { dcPairs } from './domain-controllers.js';
import { mapAuthConfig, mapCmdletExtensionAgent, mapForest, mapOrganization } from './forest.js';
import { mapAutodiscoverScp, mapVirtualDirectory } from './client-access.js';
import { mapReplication } from './replication.js';
import { mapServer, mapTransportServices } from './servers.js';
import {
  mapAcceptedDomain,
  mapReceiveConnector,
  mapRoutingGroup,
  mapRoutingGroupConnector,
  mapSendConnector,
  orgSidsOf,
  wellKnownObjects,
} from './transport.js';

/** A mapper function, or the index class the mappers read a kind through. */
export type Mapper = ((...args: never[]) => unknown) | (new (...args: never[]) => unknown);

export type SearchId =
  | 'exchange'
  | 'receiveConnectorAcls'
  | 'schemaVersion'
  | 'partitions'
  | 'sites'
  | 'domain'
  | 'otherDomain'
  | 'dnsDomainZones'
  | 'dnsForestZones'
  | 'dnsLegacyZones'
  | 'schema';

export type KindId =
  | 'configurationContainer'
  | 'organization'
  | 'adminGroup'
  | 'transportServer'
  | 'server'
  | 'storageGroup'
  | 'database'
  | 'databaseCopy'
  | 'dag'
  | 'virtualDirectory'
  | 'autodiscoverScp'
  | 'receiveConnector'
  | 'sendConnector'
  | 'routingGroup'
  | 'routingGroupConnector'
  | 'acceptedDomain'
  | 'cmdletExtensionAgent'
  | 'authConfig'
  | 'receiveConnectorAcl'
  | 'schemaVersion'
  | 'crossRefContainer'
  | 'crossRef'
  | 'ntdsSettings'
  | 'siteServer'
  | 'domainHead'
  | 'exchangeSystemObjects'
  | 'computer'
  | 'exchangeGroup'
  | 'dnsNode'
  | 'schemaHead'
  | 'attributeSchema';

export interface ObjectKind {
  readonly id: KindId;
  readonly search: SearchId;
  /** objectClass values (any of them) that identify the kind; '*' = every entry of the search */
  readonly objectClasses: readonly string[];
  /** entries that also carry one of these classes are not this kind */
  readonly excludeClasses?: readonly string[];
  readonly attributes: readonly string[];
  readonly binaryAttributes?: readonly string[];
  /** multi-valued attributes that AD caps at MaxValRange (1500): the source loops ranges */
  readonly rangedAttributes?: readonly string[];
  /**
   * The function that turns its entries into snapshot objects (or the index
   * the mappers read them through); null for a kind read only to be told
   * apart (transport servers are no servers). A reference, so the compiler
   * keeps it true when a mapper moves or is renamed.
   */
  readonly mapper: Mapper | null;
}

const COMMON = ['objectClass', 'cn', 'name', 'whenCreated', 'adminDisplayName', 'description'] as const;

const SERVER_ATTRS = [
  'serialNumber', 'versionNumber', 'serverRole', 'msExchServerRole', 'msExchCurrentServerRoles',
  'msExchInstallPath', 'msExchDataPath', 'msExchServerSite', 'networkAddress', 'msExchHomeRoutingGroup',
  'msExchMDBAvailabilityGroupLink', 'msExchVersion', 'msExchProductID', 'legacyExchangeDN',
  'msExchComputerLink', 'msExchResponsibleMTAServer', 'msExchComponentStates',
  'msExchTransportMessageTrackingPath', 'msExchTransportReceiveProtocolLogPath',
  'msExchTransportSendProtocolLogPath', 'msExchTransportConnectivityLogPath',
  'msExchTransportPickupDirectoryPath', 'msExchTransportReplayDirectoryPath',
  'msExchTransportPipelineTracingPath', 'msExchTransportRoutingLogPath',
  // 2007 clustered mailbox servers: 1 = CCR (NonShared), 2 = SCC (Shared); the nodes that can host it
  'msExchClusterStorageType', 'msExchServerRedundantMachines',
] as const;

const TRANSPORT_PATH_ATTRS = [
  'msExchTransportMessageTrackingPath', 'msExchTransportReceiveProtocolLogPath',
  'msExchTransportSendProtocolLogPath', 'msExchTransportConnectivityLogPath',
  'msExchTransportPickupDirectoryPath', 'msExchTransportReplayDirectoryPath',
  'msExchTransportPipelineTracingPath', 'msExchTransportRoutingLogPath',
] as const;

const ESE_ATTRS = [
  'msExchESEParamLogFilePath', 'msExchESEParamSystemPath', 'msExchESEParamBaseName',
  'msExchESEParamCircularLog', 'msExchRestore', 'msExchRecovery',
] as const;

export const KINDS: readonly ObjectKind[] = [
  // --- one subtree search over CN=Microsoft Exchange,CN=Services,<config> ---
  { id: 'configurationContainer', search: 'exchange', objectClasses: ['msExchConfigurationContainer'], attributes: ['otherWellKnownObjects'], mapper: wellKnownObjects },
  { id: 'organization', search: 'exchange', objectClasses: ['msExchOrganizationContainer'], attributes: ['objectVersion', 'msExchProductID'], mapper: mapOrganization },
  { id: 'adminGroup', search: 'exchange', objectClasses: ['msExchAdminGroup'], attributes: ['legacyExchangeDN'], mapper: mapOrganization },
  // 2013+ CN=Frontend / CN=Mailbox under CN=Transport Configuration also match
  // objectClass=msExchExchangeServer: classify them first so they are never servers
  // their log paths are drives the rebuilt server needs (mapped with the server that holds them)
  { id: 'transportServer', search: 'exchange', objectClasses: ['msExchExchangeTransportServer'], attributes: TRANSPORT_PATH_ATTRS, mapper: mapTransportServices },
  {
    id: 'server', search: 'exchange', objectClasses: ['msExchExchangeServer'], excludeClasses: ['msExchExchangeTransportServer'],
    attributes: SERVER_ATTRS, binaryAttributes: ['msExchServerInternalTLSCert'], mapper: mapServer,
  },
  { id: 'storageGroup', search: 'exchange', objectClasses: ['msExchStorageGroup'], attributes: ESE_ATTRS, mapper: mapStorageGroup },
  {
    id: 'database', search: 'exchange', objectClasses: ['msExchPrivateMDB', 'msExchPublicMDB'],
    attributes: [...ESE_ATTRS, 'msExchEDBFile', 'msExchSLVFile', 'msExchEDBOffline', 'msExchOwningServer',
      'msExchMasterServerOrAvailabilityGroup', 'msExchPatchMDB', 'msExchDatabaseCreated', 'msExchHomePublicMDB'],
    rangedAttributes: ['homeMDBBL'], mapper: mapDatabase,
  },
  {
    id: 'databaseCopy', search: 'exchange', objectClasses: ['msExchMDBCopy'],
    attributes: ['msExchHostServerLink', 'msExchActivationPreference', 'msExchReplayLag', 'msExchTruncationLag'], mapper: copiesByDatabase,
  },
  {
    id: 'dag', search: 'exchange', objectClasses: ['msExchMDBAvailabilityGroup'],
    attributes: ['msExchFileShareWitness', 'msExchFileShareWitnessDirectory', 'msExchAlternateFileShareWitness',
      'msExchAlternateFileShareWitnessDirectory', 'msExchMDBAvailabilityGroupIPv4Addresses',
      'msExchDatacenterActivationMode', 'msExchMDBAvailabilityGroupBL', 'msExchMDBAvailabilityGroupName'],
    mapper: mapDag,
  },
  {
    // the subclasses are listed too: an export or fixture may carry only the most specific class
    id: 'virtualDirectory', search: 'exchange',
    objectClasses: ['msExchVirtualDirectory', 'msExchOWAVirtualDirectory', 'msExchEcpVirtualDirectory', 'msExchWebServicesVirtualDirectory',
      'msExchMobileVirtualDirectory', 'msExchOABVirtualDirectory', 'msExchMapiVirtualDirectory', 'msExchPowerShellVirtualDirectory',
      'msExchAutodiscoverVirtualDirectory', 'msExchRpcHttpVirtualDirectory'],
    attributes: ['msExchInternalHostName', 'msExchExternalHostName', 'msExchInternalAuthenticationMethods',
      'msExchExternalAuthenticationMethods', 'msExchMetabasePath'],
    mapper: mapVirtualDirectory,
  },
  {
    id: 'autodiscoverScp', search: 'exchange', objectClasses: ['serviceConnectionPoint'],
    attributes: ['serviceBindingInformation', 'keywords', 'serviceDNSName', 'serviceClassName'], mapper: mapAutodiscoverScp,
  },
  {
    id: 'receiveConnector', search: 'exchange', objectClasses: ['msExchSmtpReceiveConnector'],
    attributes: ['msExchSmtpReceiveBindings', 'msExchSmtpReceiveRemoteIPRanges', 'msExchSMTPReceiveConnectorFQDN',
      'msExchSmtpReceiveEnabled', 'msExchSmtpReceiveMaxMessageSize', 'msExchSMTPReceiveInboundSecurityFlag',
      'msExchSmtpReceiveRole', 'msExchSmtpTLSCertificate'],
    mapper: mapReceiveConnector,
  },
  {
    id: 'sendConnector', search: 'exchange', objectClasses: ['msExchRoutingSMTPConnector'],
    attributes: ['routingList', 'msExchSmtpSmartHost', 'msExchSmtpSendPort', 'msExchSMTPSendConnectorFQDN',
      'msExchSmtpSendEnabled', 'msExchSourceBridgeheadServersDN', 'msExchSmtpTLSCertificate'],
    mapper: mapSendConnector,
  },
  { id: 'routingGroup', search: 'exchange', objectClasses: ['msExchRoutingGroup'], attributes: ['msExchRoutingMasterDN'], mapper: mapRoutingGroup },
  {
    id: 'routingGroupConnector', search: 'exchange', objectClasses: ['msExchRoutingGroupConnector'],
    attributes: ['msExchTargetBridgeheadServersDN', 'msExchSourceBridgeheadServersDN', 'cost'],
    mapper: mapRoutingGroupConnector,
  },
  {
    id: 'acceptedDomain', search: 'exchange', objectClasses: ['msExchAcceptedDomain'],
    attributes: ['msExchAcceptedDomainName', 'msExchAcceptedDomainFlags'], mapper: mapAcceptedDomain,
  },
  // Scripting Agent and the other cmdlet extension agents (2010+): Enabled = msExchCmdletExtensionFlags bit 1
  { id: 'cmdletExtensionAgent', search: 'exchange', objectClasses: ['msExchCmdletExtensionAgent'], attributes: ['msExchCmdletExtensionFlags'], mapper: mapCmdletExtensionAgent },

  // OAuth certificate of the organization (2013+): CN=Auth Configuration,<org>
  { id: 'authConfig', search: 'exchange', objectClasses: ['msExchAuthAuthConfig'], attributes: ['msExchAuthCertificateThumbprint'], mapper: mapAuthConfig },

  // --- receive connector ACLs: their own search, so no other object's SD is transferred ---
  { id: 'receiveConnectorAcl', search: 'receiveConnectorAcls', objectClasses: ['msExchSmtpReceiveConnector'], attributes: [], binaryAttributes: ['nTSecurityDescriptor'], mapper: mapReceiveConnector },

  // --- forest facts ---
  { id: 'schemaVersion', search: 'schemaVersion', objectClasses: ['*'], attributes: ['rangeUpper'], mapper: mapForest },
  { id: 'crossRefContainer', search: 'partitions', objectClasses: ['crossRefContainer'], attributes: ['msDS-Behavior-Version'], mapper: mapForest },
  { id: 'crossRef', search: 'partitions', objectClasses: ['crossRef'], attributes: ['nCName', 'dnsRoot', 'systemFlags', 'nETBIOSName', 'msDS-Behavior-Version'], mapper: mapForest },
  {
    // invocationId: which DC a replPropertyMetaData entry names (replication.ts)
    id: 'ntdsSettings', search: 'sites', objectClasses: ['nTDSDSA', 'nTDSDSARO'], attributes: ['options', 'msDS-HasDomainNCs', 'hasMasterNCs', 'msDS-hasMasterNCs'],
    binaryAttributes: ['invocationId'], mapper: dcPairs,
  },
  { id: 'siteServer', search: 'sites', objectClasses: ['server'], attributes: ['dNSHostName', 'serverReference'], mapper: dcPairs },

  // --- default domain NC: one search with a filter built from what the Exchange search found ---
  { id: 'domainHead', search: 'domain', objectClasses: ['domainDNS'], attributes: ['msDS-Behavior-Version'], mapper: mapForest },
  // MESO of every domain: each domain with Exchange recipients or servers needs /PrepareDomain (Microsoft, Prepare Active Directory and domains)
  ...(['domain', 'otherDomain'] as const).map(
    (search): ObjectKind => ({ id: 'exchangeSystemObjects', search, objectClasses: ['msExchSystemObjectsContainer'], attributes: ['objectVersion'], mapper: mapForest }),
  ),
  ...(['domain', 'otherDomain'] as const).map(
    (search): ObjectKind => ({
      id: 'computer', search, objectClasses: ['computer'],
      attributes: ['dNSHostName', 'operatingSystem', 'operatingSystemVersion', 'operatingSystemServicePack', 'sAMAccountName', 'userAccountControl', 'primaryGroupID'],
      mapper: ComputerIndex,
    }),
  ),
  { id: 'exchangeGroup', search: 'domain', objectClasses: ['group'], attributes: ['sAMAccountName'], binaryAttributes: ['objectSid'], mapper: orgSidsOf },

  // --- AD-integrated DNS: one search per DNS partition, nodes filtered by host label ---
  ...(['dnsDomainZones', 'dnsForestZones', 'dnsLegacyZones'] as const).map(
    (search): ObjectKind => ({ id: 'dnsNode', search, objectClasses: ['dnsNode'], attributes: ['dc', 'dNSTombstoned'], binaryAttributes: ['dnsRecord'], mapper: buildDnsIndex }),
  ),

  // --- schema, for naming the attribute ids of replPropertyMetaData (only when it is read) ---
  { id: 'schemaHead', search: 'schema', objectClasses: ['dMD'], attributes: [], binaryAttributes: ['prefixMap'], mapper: mapReplication },
  { id: 'attributeSchema', search: 'schema', objectClasses: ['attributeSchema'], attributes: ['lDAPDisplayName', 'attributeID', 'msDS-IntId'], mapper: mapReplication },
];

export interface SearchSpec {
  readonly id: SearchId;
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

export const exchangeContainerDn = (nc: RootDse): string => `CN=Microsoft Exchange,CN=Services,${nc.configurationNamingContext}`;

export const SEARCHES: Readonly<Record<SearchId, SearchSpec>> = {
  // (objectClass=*) and not a union filter: objects of classes we do not read
  // must be seen to be reported (an unknown child of a server is a warning)
  exchange: { id: 'exchange', base: exchangeContainerDn, scope: 'sub', filter: '(objectClass=*)', optional: true, replMetadata: true },
  receiveConnectorAcls: { id: 'receiveConnectorAcls', base: exchangeContainerDn, scope: 'sub', filter: '(objectClass=msExchSmtpReceiveConnector)', optional: true },
  schemaVersion: { id: 'schemaVersion', base: (nc) => `CN=ms-Exch-Schema-Version-Pt,${nc.schemaNamingContext}`, scope: 'base', filter: '(objectClass=*)', optional: true },
  partitions: { id: 'partitions', base: (nc) => `CN=Partitions,${nc.configurationNamingContext}`, scope: 'sub', filter: '(|(objectClass=crossRefContainer)(objectClass=crossRef))', optional: true },
  sites: { id: 'sites', base: (nc) => `CN=Sites,${nc.configurationNamingContext}`, scope: 'sub', filter: '(|(objectClass=server)(objectClass=nTDSDSA)(objectClass=nTDSDSARO))', optional: true },
  domain: { id: 'domain', base: (nc) => nc.defaultNamingContext, scope: 'sub', filter: null, optional: false },
  // computer accounts of servers whose FQDN is in another domain of the forest
  // (one search per such domain; the base comes from CN=Partitions)
  otherDomain: { id: 'otherDomain', base: (nc) => nc.defaultNamingContext, scope: 'sub', filter: null, optional: true },
  dnsDomainZones: { id: 'dnsDomainZones', base: (nc) => `CN=MicrosoftDNS,DC=DomainDnsZones,${nc.defaultNamingContext}`, scope: 'sub', filter: null, optional: true },
  dnsForestZones: { id: 'dnsForestZones', base: (nc) => `CN=MicrosoftDNS,DC=ForestDnsZones,${nc.rootDomainNamingContext}`, scope: 'sub', filter: null, optional: true },
  dnsLegacyZones: { id: 'dnsLegacyZones', base: (nc) => `CN=MicrosoftDNS,CN=System,${nc.defaultNamingContext}`, scope: 'sub', filter: null, optional: true },
  // the schema head (prefixMap) and the attributeSchema objects of the attributes the model reads
  schema: { id: 'schema', base: (nc) => nc.schemaNamingContext, scope: 'sub', filter: null, optional: true },
};

export function kindsOf(search: SearchId): ObjectKind[] {
  return KINDS.filter((k) => k.search === search);
}

/** Union of what the kinds of a search need, lower-cased for the source; replPropertyMetaData where the search carries it and it is wanted. */
export function attributesOf(search: SearchId, replMetadata = false): { attributes: string[]; binaryAttributes: string[]; rangedAttributes: string[] } {
  const ks = kindsOf(search);
  const uniq = (xs: readonly string[]): string[] => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];
  const repl = replMetadata && SEARCHES[search].replMetadata ? [REPL_METADATA_ATTRIBUTE] : [];
  const binaryAttributes = uniq(['objectGUID', ...ks.flatMap((k) => k.binaryAttributes ?? []), ...repl]);
  const rangedAttributes = uniq(ks.flatMap((k) => k.rangedAttributes ?? []));
  const attributes = uniq([...COMMON, ...ks.flatMap((k) => k.attributes), ...binaryAttributes, ...rangedAttributes]);
  return { attributes, binaryAttributes, rangedAttributes };
}

/**
 * Classes found under a server that we know and deliberately do not map
 * (protocol containers, System Attendant, MTA, …). Anything else under a
 * server is reported as `unknown-object-class`, so nothing disappears silently.
 */
export const KNOWN_UNMAPPED_SERVER_CHILDREN: ReadonlySet<string> = new Set(
  [
    'container', 'msExchContainer', 'msExchInformationStore', 'protocolCfgSharedServer', 'msExchProtocolCfgSharedContainer',
    'msExchProtocolCfgHTTPContainer', 'msExchProtocolCfgSMTPContainer', 'msExchProtocolCfgIMAPContainer',
    'msExchProtocolCfgPOPContainer', 'msExchProtocolCfgNNTPContainer', 'msExchProtocolCfgHTTPServer', 'protocolCfgHTTPServer',
    'protocolCfgSMTPServer', 'protocolCfgIMAPServer', 'protocolCfgPOPServer', 'protocolCfgNNTPServer',
    'msExchProtocolCfgHTTPVirtualDirectory', 'protocolCfgSMTPSessions', 'protocolCfgSMTPDomainContainer', 'protocolCfgSMTPDomain',
    'mTA', 'exchangeAdminService', 'msExchExchangeTransportCfgContainer', 'msExchSmtpReceiveConnectorContainer',
    'msExchMonitorsContainer', 'msExchProtocolCfgSMTPIPAddressContainer', 'msExchProtocolCfgSMTPIPAddress',
    'msExchPopImapContainer', 'msExchProtocolCfgPOPServer', 'msExchProtocolCfgIMAPServer',
    // per-server protocol settings of 2010+ (class names from Exchange's own code): RPC client access, UM SIP
    'protocolCfg', 'msExchProtocolCfgExchangeRpcService', 'msExchProtocolCfgSIPContainer', 'msExchProtocolCfgSIPFEServer',
  ].map((c) => c.toLowerCase()),
);

let spelled: Map<string, string> | null = null;
/**
 * A raw attribute key (the snapshot keys raw attributes in lower case) as
 * Active Directory spells it (msExchTransportMessageTrackingPath): every
 * attribute the harvest asks for is spelled here. Others (an LDIF export may
 * carry more) stay as read. Passed to the render stage by the use cases.
 */
export function attributeSpelling(name: string): string {
  if (!spelled) {
    spelled = new Map();
    for (const id of Object.keys(SEARCHES) as SearchId[]) {
      const a = attributesOf(id, true);
      for (const n of [...a.attributes, ...a.binaryAttributes, ...a.rangedAttributes]) spelled.set(n.toLowerCase(), n);
    }
  }
  return spelled.get(name.toLowerCase()) ?? name;
}

/**
 * The harvest registry (the snapshot's half is src/snapshot/collections.ts):
 * per collection, the object kinds it reads (where: which search; how told
 * apart: objectClass; what: the attributes to fetch), the mapper that turns
 * their entries into snapshot objects, and the LDAP attributes each model
 * field is read from. Kinds that feed only the harvest's indexes (computer
 * accounts, DNS, DC pairs, the schema) are declared in INDEX_KINDS below.
 * KINDS, KindId and what each search asks for are derived from these two
 * tables: a new kind is one declaration.
 *
 * Typed with `satisfies` over Record<CollectionName, …>: a new collection
 * does not compile until it is filled here, a mapper must return objects of
 * the collection's schema, and a mapper can only read the kinds its entry
 * declares (`reads`) or names (`alsoReads`: kinds another entry declares).
 *
 * The attribute table is the harvest's knowledge (the snapshot stage holds
 * no LDAP attribute names): the use cases pass it to the diff (a raw
 * attribute behind a changed field is not reported twice) and to the drift
 * attribution (which replPropertyMetaData entry says when a field changed).
 *
 * Supporting a new object kind: see "How to add an object kind" in docs/design.md.
 */
import type { Entry, RootDse } from '../source/directory.js';
import { COLLECTIONS, type CollectionName, type CollectionObject, type CollectionObjects } from '../snapshot/collections.js';
import type { FieldAttributes, FieldTable } from '../snapshot/field-attributes.js';
import { DnIndex, isUnder, sameDn } from '../dn.js';
import type { Warnings } from './warnings.js';
import type { ComputerIndex } from './computers.js';
import type { DnsIndex } from './dns.js';
import { all } from './entries.js';
import { COMMON_ATTRIBUTES, REPL_METADATA_ATTRIBUTE, SEARCHES, type SearchId } from './searches.js';
import { mapAdminGroup, mapDomains, mapForest, mapOrganization, type ForestInputs } from './forest.js';
import { mapDomainController } from './domain-controllers.js';
import { mapServer } from './servers.js';
import { copiesByDatabase, mapDatabase, mapStorageGroup } from './databases.js';
import { mapDag } from './dags.js';
import { isAutodiscoverScp, mapAutodiscoverScp, mapPopImapSettings, mapVirtualDirectory } from './client-access.js';
import {
  mapAcceptedDomain,
  mapReceiveConnector,
  mapRoutingGroup,
  mapRoutingGroupConnector,
  mapSendConnector,
  orgSidsOf,
  wellKnownObjects,
} from './transport.js';

/** One object kind: where it is read, how its entries are told apart, what is fetched for it. */
export interface KindSpec {
  /** the search(es) that return it; one kind may be read in several (a domain's objects: default and other domains) */
  readonly search: SearchId | readonly SearchId[];
  /** objectClass values (any of them) that identify the kind; '*' = every entry of the search */
  readonly objectClasses: readonly string[];
  /** entries that also carry one of these classes are not this kind */
  readonly excludeClasses?: readonly string[];
  readonly attributes: readonly string[];
  readonly binaryAttributes?: readonly string[];
  /** multi-valued attributes that AD caps at MaxValRange (1500): the source loops ranges */
  readonly rangedAttributes?: readonly string[];
}

/** A kind as one search reads it (a kind read by several searches is one per search). */
export interface ObjectKind extends KindSpec {
  readonly id: KindId;
  readonly search: SearchId;
}

/**
 * Kinds that feed only the harvest's indexes, which the mappers read through
 * MapInput (computers, dns, dcs) or the harvest itself uses (replication).
 */
export const INDEX_KINDS = {
  // DC pairs (domain-controllers.ts dcPairs): the site server and its NTDS Settings;
  // invocationId: which DC a replPropertyMetaData entry names (replication.ts)
  ntdsSettings: {
    search: 'sites', objectClasses: ['nTDSDSA', 'nTDSDSARO'], attributes: ['options', 'msDS-HasDomainNCs', 'hasMasterNCs', 'msDS-hasMasterNCs'],
    binaryAttributes: ['invocationId'],
  },
  siteServer: { search: 'sites', objectClasses: ['server'], attributes: ['dNSHostName', 'serverReference'] },
  // computer accounts of servers and DCs (computers.ts ComputerIndex), in every domain searched
  computer: {
    search: ['domain', 'otherDomain'], objectClasses: ['computer'],
    attributes: ['dNSHostName', 'operatingSystem', 'operatingSystemVersion', 'operatingSystemServicePack', 'sAMAccountName', 'userAccountControl', 'primaryGroupID'],
  },
  // AD-integrated DNS (dns.ts buildDnsIndex): one search per DNS partition
  dnsNode: { search: ['dnsDomainZones', 'dnsForestZones', 'dnsLegacyZones'], objectClasses: ['dnsNode'], attributes: ['dc', 'dNSTombstoned'], binaryAttributes: ['dnsRecord'] },
  // the schema, for naming the attribute ids of replPropertyMetaData (replication.ts; only when it is read)
  schemaHead: { search: 'schema', objectClasses: ['dMD'], attributes: [], binaryAttributes: ['prefixMap'] },
  attributeSchema: { search: 'schema', objectClasses: ['attributeSchema'], attributes: ['lDAPDisplayName', 'attributeID', 'msDS-IntId'] },
} as const satisfies Readonly<Record<string, KindSpec>>;
type IndexKindId = keyof typeof INDEX_KINDS;

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
    'protocolCfgSMTPServer', 'protocolCfgNNTPServer',
    'msExchProtocolCfgHTTPVirtualDirectory', 'protocolCfgSMTPSessions', 'protocolCfgSMTPDomainContainer', 'protocolCfgSMTPDomain',
    'mTA', 'exchangeAdminService', 'msExchExchangeTransportCfgContainer', 'msExchSmtpReceiveConnectorContainer',
    'msExchMonitorsContainer', 'msExchProtocolCfgSMTPIPAddressContainer', 'msExchProtocolCfgSMTPIPAddress',
    'msExchPopImapContainer', 'msExchProtocolCfgPOPServer', 'msExchProtocolCfgIMAPServer',
    // (protocolCfgPOPServer / protocolCfgIMAPServer: the popImapSettings kind)
    // per-server protocol settings of 2010+ (class names from Exchange's own code): RPC client access, UM SIP
    'protocolCfg', 'msExchProtocolCfgExchangeRpcService', 'msExchProtocolCfgSIPContainer', 'msExchProtocolCfgSIPFEServer',
  ].map((c) => c.toLowerCase()),
);

/** What every mapper may read: the entries of the kinds K and what the harvest resolved once for all of them. */
export interface MapInput<K extends string> {
  readonly rootDse: RootDse;
  /** the organization documented (the first by DN when there are several) */
  readonly org: Entry;
  /** a property, not a method: a mapper may only ask for the kinds its entry reads (checked strictly) */
  readonly entries: (kind: K) => readonly Entry[];
  /** the server objects (not the 2013+ transport services), by DN */
  readonly servers: DnIndex<Entry>;
  /** the DCs under CN=Sites: site server + NTDS Settings */
  readonly dcs: ReadonlyArray<{ server: Entry; ntds: Entry }>;
  readonly computers: ComputerIndex;
  readonly dns: DnsIndex;
  readonly domainDnsName: string;
  /** the harvest's start: certificate expiry is judged against it */
  readonly now: Date;
  readonly warnings: Warnings;
}

/** What the registry checks of every entry: the mapper returns the collection's objects. */
export interface CollectionHarvest<T> {
  /** the kinds of this collection's objects and of what only it reads, by id (the first is the collection's own objects) */
  readonly reads: Readonly<Record<string, KindSpec>>;
  /** kinds declared by another entry that the mapper reads too */
  readonly alsoReads?: readonly string[];
  /** the mapper: entries → the collection's objects (in any order: the snapshot is made canonical afterwards) */
  readonly map: (x: never) => T[];
  /**
   * Model field (top-level, or `transportPaths.x` / `copies[].x`) → the
   * attributes of the object it is read from, as AD spells them. Fields
   * derived from DNs or from other objects (a server's admin group) have none.
   */
  readonly attributes: FieldTable;
  /** fields computed from back links (no replication metadata of their own) */
  readonly backLinks?: FieldTable;
}

/** One entry as declared: the kinds it reads by id, its mapper typed to read only those (and the indexes). */
interface Declared<R, U extends string, T> {
  readonly reads: R;
  readonly alsoReads?: readonly U[];
  readonly map: (x: MapInput<(keyof R & string) | U | IndexKindId>) => T[];
  readonly attributes: FieldTable;
  readonly backLinks?: FieldTable;
}

/** One entry (R, U are inferred from the declaration, never from the registry's `satisfies`). */
function collection<const R extends Readonly<Record<string, KindSpec>>, T, const U extends string = never>(e: Declared<R, U, T>): Declared<R, NoInfer<U>, T> {
  return e;
}

const nonNull = <T>(x: T | null): x is T => x !== null;
const byDn = (entries: readonly Entry[]) => new DnIndex(entries, (e) => e.dn);
const under = <K extends string>(x: MapInput<K>, kind: K) => x.entries(kind).filter((e) => isUnder(e.dn, x.org.dn));

const FOREST_KINDS = ['schemaVersion', 'crossRefContainer', 'crossRef', 'domainHead', 'exchangeSystemObjects'] as const;
function forestInputs(x: MapInput<(typeof FOREST_KINDS)[number]>): ForestInputs {
  return {
    rootDse: x.rootDse,
    schemaVersion: x.entries('schemaVersion')[0],
    crossRefContainer: x.entries('crossRefContainer')[0],
    crossRefs: x.entries('crossRef'),
    domainHead: x.entries('domainHead').find((d) => sameDn(d.dn, x.rootDse.defaultNamingContext)),
    mesos: x.entries('exchangeSystemObjects'),
  };
}

/** 2013+ CN=Frontend / CN=Mailbox transport services, by the server that holds them. */
function transportServicesByServer(x: MapInput<'transportServer'>): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const t of x.entries('transportServer')) {
    const owner = x.servers.ancestor(t.dn);
    if (!owner) continue;
    const k = owner.dn.toLowerCase();
    out.set(k, [...(out.get(k) ?? []), t]);
  }
  return out;
}

const TRANSPORT_PATHS = {
  messageTracking: 'msExchTransportMessageTrackingPath',
  receiveProtocolLog: 'msExchTransportReceiveProtocolLogPath',
  sendProtocolLog: 'msExchTransportSendProtocolLogPath',
  connectivityLog: 'msExchTransportConnectivityLogPath',
  pickupDirectory: 'msExchTransportPickupDirectoryPath',
  replayDirectory: 'msExchTransportReplayDirectoryPath',
  pipelineTracing: 'msExchTransportPipelineTracingPath',
  routingLog: 'msExchTransportRoutingLogPath',
} as const;
const TRANSPORT_PATH_ATTRIBUTES = Object.values(TRANSPORT_PATHS);

const ESE = {
  logFolderPath: ['msExchESEParamLogFilePath'],
  systemFolderPath: ['msExchESEParamSystemPath'],
  logFilePrefix: ['msExchESEParamBaseName'],
  circularLogging: ['msExchESEParamCircularLog'],
  recovery: ['msExchRestore'],
} as const;
const ESE_ATTRIBUTES = [...Object.values(ESE).flat(), 'msExchRecovery'];

export const HARVEST = {
  organization: collection({
    reads: {
      organization: { search: 'exchange', objectClasses: ['msExchOrganizationContainer'], attributes: ['objectVersion', 'msExchProductID'] },
      // Scripting Agent and the other cmdlet extension agents (2010+): Enabled = msExchCmdletExtensionFlags bit 1
      cmdletExtensionAgent: { search: 'exchange', objectClasses: ['msExchCmdletExtensionAgent'], attributes: ['msExchCmdletExtensionFlags'] },
      // OAuth certificate of the organization (2013+): CN=Auth Configuration,<org>
      authConfig: { search: 'exchange', objectClasses: ['msExchAuthAuthConfig'], attributes: ['msExchAuthCertificateThumbprint'] },
    },
    map: (x) => [mapOrganization(x.org, under(x, 'cmdletExtensionAgent'), under(x, 'authConfig')[0], x.warnings)],
    // authCertificate is read from CN=Auth Configuration, an object of its own: no attribution on the organization
    attributes: { objectVersion: ['objectVersion'], objectVersionRelease: ['objectVersion'], authCertificate: ['msExchAuthCertificateThumbprint'] },
  }),
  adminGroups: collection({
    reads: { adminGroup: { search: 'exchange', objectClasses: ['msExchAdminGroup'], attributes: ['legacyExchangeDN'] } },
    map: (x) => under(x, 'adminGroup').map(mapAdminGroup),
    attributes: {},
  }),
  forest: collection({
    reads: {
      schemaVersion: { search: 'schemaVersion', objectClasses: ['*'], attributes: ['rangeUpper'] },
      crossRefContainer: { search: 'partitions', objectClasses: ['crossRefContainer'], attributes: ['msDS-Behavior-Version'] },
    },
    alsoReads: ['crossRef', 'domainHead', 'exchangeSystemObjects'],
    map: (x) => [mapForest(forestInputs(x), x.warnings)],
    attributes: {},
  }),
  domains: collection({
    reads: {
      crossRef: { search: 'partitions', objectClasses: ['crossRef'], attributes: ['nCName', 'dnsRoot', 'systemFlags', 'nETBIOSName', 'msDS-Behavior-Version'] },
      domainHead: { search: 'domain', objectClasses: ['domainDNS'], attributes: ['msDS-Behavior-Version'] },
      // MESO of every domain: each domain with Exchange recipients or servers needs /PrepareDomain (Microsoft, Prepare Active Directory and domains)
      exchangeSystemObjects: { search: ['domain', 'otherDomain'], objectClasses: ['msExchSystemObjectsContainer'], attributes: ['objectVersion'] },
    },
    alsoReads: ['schemaVersion', 'crossRefContainer'],
    map: (x) => mapDomains(forestInputs(x), x.warnings),
    attributes: {},
  }),
  domainControllers: collection({
    // the DC pairs, computer accounts and DNS of INDEX_KINDS, through MapInput's dcs, computers, dns
    reads: {},
    map: (x) => x.dcs.map((d) => mapDomainController(d.server, d.ntds, x.computers, x.dns, x.warnings)),
    attributes: {},
  }),
  servers: collection({
    reads: {
      // 2013+ CN=Frontend / CN=Mailbox under CN=Transport Configuration also match
      // objectClass=msExchExchangeServer: never servers (excludeClasses below);
      // their log paths are drives the rebuilt server needs (mapped with the server that holds them)
      transportServer: { search: 'exchange', objectClasses: ['msExchExchangeTransportServer'], attributes: TRANSPORT_PATH_ATTRIBUTES },
      server: {
        search: 'exchange', objectClasses: ['msExchExchangeServer'], excludeClasses: ['msExchExchangeTransportServer'],
        attributes: [
          'serialNumber', 'versionNumber', 'serverRole', 'msExchServerRole', 'msExchCurrentServerRoles',
          'msExchInstallPath', 'msExchDataPath', 'msExchServerSite', 'networkAddress', 'msExchHomeRoutingGroup',
          'msExchMDBAvailabilityGroupLink', 'msExchVersion', 'msExchProductID', 'legacyExchangeDN',
          'msExchComputerLink', 'msExchResponsibleMTAServer', 'msExchComponentStates',
          // 2007/2010 keep the transport log paths on the server object
          ...TRANSPORT_PATH_ATTRIBUTES,
          // 2007 clustered mailbox servers: 1 = CCR (NonShared), 2 = SCC (Shared); the nodes that can host it
          'msExchClusterStorageType', 'msExchServerRedundantMachines',
        ],
        binaryAttributes: ['msExchServerInternalTLSCert'],
      },
    },
    map: (x) => {
      const services = transportServicesByServer(x);
      return x.entries('server').map((s) =>
        mapServer(s, { computers: x.computers, dns: x.dns, domainDnsName: x.domainDnsName, now: x.now, warnings: x.warnings, transportServices: services.get(s.dn.toLowerCase()) ?? [] }));
    },
    attributes: {
      fqdn: ['networkAddress'], serialNumber: ['serialNumber'], versionNumber: ['versionNumber'], version: ['serialNumber', 'versionNumber'],
      roles: ['msExchCurrentServerRoles'], roleBitmask: ['msExchCurrentServerRoles'], legacyServerRole: ['serverRole'],
      installPath: ['msExchInstallPath'], dataPath: ['msExchDataPath'], site: ['msExchServerSite'], siteName: ['msExchServerSite'],
      networkAddresses: ['networkAddress'], routingGroup: ['msExchHomeRoutingGroup'], dag: ['msExchMDBAvailabilityGroupLink'],
      computer: ['msExchComputerLink'], internalTransportCertificate: ['msExchServerInternalTLSCert'],
      clusteredMailboxServer: ['msExchClusterStorageType', 'msExchServerRedundantMachines'],
      ...Object.fromEntries(Object.entries(TRANSPORT_PATHS).map(([field, attribute]) => [`transportPaths.${field}`, [attribute]])),
    },
  }),
  storageGroups: collection({
    reads: { storageGroup: { search: 'exchange', objectClasses: ['msExchStorageGroup'], attributes: ESE_ATTRIBUTES } },
    map: (x) => x.entries('storageGroup').map((e) => mapStorageGroup(e, x.servers, x.warnings)).filter(nonNull),
    attributes: ESE,
  }),
  databases: collection({
    reads: {
      database: {
        search: 'exchange', objectClasses: ['msExchPrivateMDB', 'msExchPublicMDB'],
        attributes: [...ESE_ATTRIBUTES, 'msExchEDBFile', 'msExchSLVFile', 'msExchEDBOffline', 'msExchOwningServer',
          'msExchMasterServerOrAvailabilityGroup', 'msExchPatchMDB', 'msExchDatabaseCreated', 'msExchHomePublicMDB'],
        rangedAttributes: ['homeMDBBL'],
      },
      databaseCopy: {
        search: 'exchange', objectClasses: ['msExchMDBCopy'],
        attributes: ['msExchHostServerLink', 'msExchActivationPreference', 'msExchReplayLag', 'msExchTruncationLag'],
      },
    },
    alsoReads: ['storageGroup'],
    map: (x) => {
      const dbs = x.entries('database');
      const copies = copiesByDatabase(x.entries('databaseCopy'), byDn(dbs), x.warnings);
      const storageGroups = byDn(x.entries('storageGroup'));
      return dbs.map((e) => mapDatabase(e, copies.get(e.dn) ?? [], storageGroups, x.servers));
    },
    backLinks: { mailboxCount: ['homeMDBBL'] },
    attributes: {
      ...ESE,
      server: ['msExchOwningServer'], masterServerOrDag: ['msExchMasterServerOrAvailabilityGroup'], edbFilePath: ['msExchEDBFile'],
      streamingFilePath: ['msExchSLVFile'], mountAtStartup: ['msExchEDBOffline'], allowFileRestore: ['msExchPatchMDB'],
      // a database copy is an object of its own (msExchMDBCopy): its attributes, on its GUID
      'copies[].server': ['msExchHostServerLink'], 'copies[].activationPreference': ['msExchActivationPreference'],
      'copies[].replayLagTime': ['msExchReplayLag'], 'copies[].truncationLagTime': ['msExchTruncationLag'],
    },
  }),
  dags: collection({
    reads: {
      dag: {
        search: 'exchange', objectClasses: ['msExchMDBAvailabilityGroup'],
        attributes: ['msExchFileShareWitness', 'msExchFileShareWitnessDirectory', 'msExchAlternateFileShareWitness',
          'msExchAlternateFileShareWitnessDirectory', 'msExchMDBAvailabilityGroupIPv4Addresses',
          'msExchDatacenterActivationMode', 'msExchMDBAvailabilityGroupBL', 'msExchMDBAvailabilityGroupName'],
      },
    },
    alsoReads: ['server'],
    map: (x) => x.entries('dag').map((d) => mapDag(d, x.entries('server'))),
    backLinks: { members: ['msExchMDBAvailabilityGroupBL'] },
    attributes: {
      witnessShare: ['msExchFileShareWitness'], witnessServer: ['msExchFileShareWitness'], witnessDirectory: ['msExchFileShareWitnessDirectory'],
      alternateWitnessShare: ['msExchAlternateFileShareWitness'], alternateWitnessServer: ['msExchAlternateFileShareWitness'],
      alternateWitnessDirectory: ['msExchAlternateFileShareWitnessDirectory'],
      ipv4Addresses: ['msExchMDBAvailabilityGroupIPv4Addresses'], datacenterActivationMode: ['msExchDatacenterActivationMode'],
    },
  }),
  virtualDirectories: collection({
    reads: {
      virtualDirectory: {
        // the subclasses are listed too: an export or fixture may carry only the most specific class
        search: 'exchange',
        objectClasses: ['msExchVirtualDirectory', 'msExchOWAVirtualDirectory', 'msExchEcpVirtualDirectory', 'msExchWebServicesVirtualDirectory',
          'msExchMobileVirtualDirectory', 'msExchOABVirtualDirectory', 'msExchMapiVirtualDirectory', 'msExchPowerShellVirtualDirectory',
          'msExchAutodiscoverVirtualDirectory', 'msExchRpcHttpVirtualDirectory'],
        attributes: ['msExchInternalHostName', 'msExchExternalHostName', 'msExchInternalAuthenticationMethods',
          'msExchExternalAuthenticationMethods', 'msExchMetabasePath'],
      },
    },
    map: (x) => x.entries('virtualDirectory').map((e) => mapVirtualDirectory(e, x.servers, x.warnings)).filter(nonNull),
    attributes: {
      internalUrl: ['msExchInternalHostName'], externalUrl: ['msExchExternalHostName'],
      internalAuthentication: ['msExchInternalAuthenticationMethods'], externalAuthentication: ['msExchExternalAuthenticationMethods'],
      metabasePath: ['msExchMetabasePath'],
    },
  }),
  autodiscoverScps: collection({
    reads: {
      autodiscoverScp: {
        search: 'exchange', objectClasses: ['serviceConnectionPoint'],
        attributes: ['serviceBindingInformation', 'keywords', 'serviceDNSName', 'serviceClassName'],
      },
    },
    map: (x) => x.entries('autodiscoverScp').filter(isAutodiscoverScp).map((e) => mapAutodiscoverScp(e, x.servers, x.warnings)).filter(nonNull),
    attributes: { url: ['serviceBindingInformation'], siteScope: ['keywords'] },
  }),
  popImapSettings: collection({
    reads: {
      // classes and attributes: see mapPopImapSettings (Exchange's PopImapAdConfigurationSchema)
      popImapServer: {
        search: 'exchange', objectClasses: ['protocolCfgPOPServer', 'protocolCfgIMAPServer'],
        attributes: ['msExchPopImapX509CertificateName', 'msExchServerBindings', 'msExchSecureBindings',
          'msExchPOPIMAPInternalConnectionSettings', 'msExchPOPIMAPExternalConnectionSettings'],
      },
    },
    map: (x) => x.entries('popImapServer').map((e) => mapPopImapSettings(e, x.servers, x.warnings)).filter(nonNull),
    attributes: {
      x509CertificateName: ['msExchPopImapX509CertificateName'], unencryptedOrTlsBindings: ['msExchServerBindings'],
      sslBindings: ['msExchSecureBindings'], internalConnectionSettings: ['msExchPOPIMAPInternalConnectionSettings'],
      externalConnectionSettings: ['msExchPOPIMAPExternalConnectionSettings'],
    },
  }),
  receiveConnectors: collection({
    reads: {
      receiveConnector: {
        search: 'exchange', objectClasses: ['msExchSmtpReceiveConnector'],
        attributes: ['msExchSmtpReceiveBindings', 'msExchSmtpReceiveRemoteIPRanges', 'msExchSMTPReceiveConnectorFQDN',
          'msExchSmtpReceiveEnabled', 'msExchSmtpReceiveMaxMessageSize', 'msExchSMTPReceiveInboundSecurityFlag',
          'msExchSmtpReceiveRole', 'msExchSmtpTLSCertificate'],
      },
      // the permission groups: the ACLs are read in their own search, so no other object's SD is transferred
      receiveConnectorAcl: { search: 'receiveConnectorAcls', objectClasses: ['msExchSmtpReceiveConnector'], attributes: [], binaryAttributes: ['nTSecurityDescriptor'] },
      // the well-known objects (transport.ts wellKnownObjects) and SIDs of the Exchange groups the ACLs name
      configurationContainer: { search: 'exchange', objectClasses: ['msExchConfigurationContainer'], attributes: ['otherWellKnownObjects'] },
      exchangeGroup: { search: 'domain', objectClasses: ['group'], attributes: ['sAMAccountName'], binaryAttributes: ['objectSid'] },
    },
    map: (x) => {
      const acls = byDn(x.entries('receiveConnectorAcl'));
      const wko = wellKnownObjects(x.entries('configurationContainer').flatMap((e) => [...all(e, 'otherWellKnownObjects')]));
      const orgSids = orgSidsOf(x.entries('exchangeGroup'), wko);
      return x.entries('receiveConnector').map((e) => mapReceiveConnector(e, acls.get(e.dn), orgSids, x.servers, x.warnings)).filter(nonNull);
    },
    attributes: {
      enabled: ['msExchSmtpReceiveEnabled'], bindings: ['msExchSmtpReceiveBindings'], fqdn: ['msExchSMTPReceiveConnectorFQDN'],
      remoteIpRanges: ['msExchSmtpReceiveRemoteIPRanges'], authMechanisms: ['msExchSMTPReceiveInboundSecurityFlag'],
      maxMessageSize: ['msExchSmtpReceiveMaxMessageSize'], tlsCertificateName: ['msExchSmtpTLSCertificate'],
    },
  }),
  sendConnectors: collection({
    reads: {
      sendConnector: {
        search: 'exchange', objectClasses: ['msExchRoutingSMTPConnector'],
        attributes: ['routingList', 'msExchSmtpSmartHost', 'msExchSmtpSendPort', 'msExchSMTPSendConnectorFQDN',
          'msExchSmtpSendEnabled', 'msExchSourceBridgeheadServersDN', 'msExchSmtpTLSCertificate'],
      },
    },
    alsoReads: ['routingGroup'],
    map: (x) => {
      const routingGroups = byDn(x.entries('routingGroup'));
      return x.entries('sendConnector').map((e) => mapSendConnector(e, routingGroups));
    },
    attributes: {
      enabled: ['msExchSmtpSendEnabled'], addressSpaces: ['routingList'], smartHosts: ['msExchSmtpSmartHost'],
      sourceServers: ['msExchSourceBridgeheadServersDN'], port: ['msExchSmtpSendPort'], fqdn: ['msExchSMTPSendConnectorFQDN'],
      tlsCertificateName: ['msExchSmtpTLSCertificate'],
    },
  }),
  routingGroups: collection({
    reads: { routingGroup: { search: 'exchange', objectClasses: ['msExchRoutingGroup'], attributes: ['msExchRoutingMasterDN'] } },
    map: (x) => x.entries('routingGroup').map(mapRoutingGroup),
    attributes: { masterServer: ['msExchRoutingMasterDN'] },
  }),
  routingGroupConnectors: collection({
    reads: {
      routingGroupConnector: {
        search: 'exchange', objectClasses: ['msExchRoutingGroupConnector'],
        attributes: ['msExchTargetBridgeheadServersDN', 'msExchSourceBridgeheadServersDN', 'cost'],
      },
    },
    alsoReads: ['routingGroup'],
    map: (x) => x.entries('routingGroupConnector').map((e) => mapRoutingGroupConnector(e, x.entries('routingGroup'), x.servers)),
    attributes: {
      sourceServers: ['msExchSourceBridgeheadServersDN'], targetServers: ['msExchTargetBridgeheadServersDN'],
      targetRoutingGroup: ['msExchTargetBridgeheadServersDN'], cost: ['cost'],
    },
  }),
  acceptedDomains: collection({
    reads: {
      acceptedDomain: { search: 'exchange', objectClasses: ['msExchAcceptedDomain'], attributes: ['msExchAcceptedDomainName', 'msExchAcceptedDomainFlags'] },
    },
    map: (x) => x.entries('acceptedDomain').map(mapAcceptedDomain),
    attributes: { domainName: ['msExchAcceptedDomainName'], type: ['msExchAcceptedDomainFlags'], isDefault: ['msExchAcceptedDomainFlags'] },
  }),
} satisfies { readonly [C in CollectionName]: CollectionHarvest<CollectionObject<C>> };

type Harvest = typeof HARVEST;
/** Every kind the harvest reads: the collections' and the indexes'. */
export type KindId = { [C in CollectionName]: keyof Harvest[C]['reads'] & string }[CollectionName] | IndexKindId;

/**
 * Every collection's objects: each mapper run on the harvest's input (which
 * holds every kind). Also the check that every kind a mapper reads is
 * declared: an `alsoReads` naming no kind does not compile here.
 */
export function mapCollections(x: MapInput<KindId>): CollectionObjects {
  const run = (h: { readonly map: (x: MapInput<KindId>) => unknown[] }) => h.map(x);
  return Object.fromEntries(COLLECTIONS.map((c) => [c, run(HARVEST[c])])) as unknown as CollectionObjects;
}

/** Every kind, once per search that reads it, in declaration order (the first matching kind of a search wins; no entry matches two). */
export const KINDS: readonly ObjectKind[] = [
  ...Object.values(HARVEST).flatMap((h: CollectionHarvest<unknown>) => Object.entries(h.reads)),
  ...Object.entries(INDEX_KINDS),
].flatMap(([id, k]: [string, KindSpec]) =>
  (typeof k.search === 'string' ? [k.search] : k.search).map((search): ObjectKind => ({ ...k, id: id as KindId, search })));

const bySearch = new Map<SearchId, ObjectKind[]>();
/** The kinds a search reads, in declaration order. */
export function kindsOf(search: SearchId): ObjectKind[] {
  let ks = bySearch.get(search);
  if (!ks) bySearch.set(search, (ks = KINDS.filter((k) => k.search === search)));
  return ks;
}

/** Union of what the kinds of a search need; replPropertyMetaData where the search carries it and it is wanted. */
export function attributesOf(search: SearchId, replMetadata = false): { attributes: string[]; binaryAttributes: string[]; rangedAttributes: string[] } {
  const ks = kindsOf(search);
  const uniq = (xs: readonly string[]): string[] => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];
  const repl = replMetadata && SEARCHES[search].replMetadata ? [REPL_METADATA_ATTRIBUTE] : [];
  const binaryAttributes = uniq(['objectGUID', ...ks.flatMap((k) => k.binaryAttributes ?? []), ...repl]);
  const rangedAttributes = uniq(ks.flatMap((k) => k.rangedAttributes ?? []));
  const attributes = uniq([...COMMON_ATTRIBUTES, ...ks.flatMap((k) => k.attributes), ...binaryAttributes, ...rangedAttributes]);
  return { attributes, binaryAttributes, rangedAttributes };
}

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

/** Every collection's field → attribute table, for the diff and the drift attribution. */
export const FIELD_ATTRIBUTES: FieldAttributes = Object.fromEntries(
  Object.entries(HARVEST).map(([c, h]: [string, CollectionHarvest<unknown>]) => [c, { read: h.attributes, backLinks: h.backLinks ?? {} }]),
) as FieldAttributes;

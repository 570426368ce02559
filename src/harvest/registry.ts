/**
 * The harvest's half of the collection registry (the snapshot's half is
 * src/snapshot/collections.ts): per collection, the kinds (kinds.ts) whose
 * entries fill it, the mapper that turns them into snapshot objects, and the
 * LDAP attributes each model field is read from. Typed
 * Record<CollectionName, …> with `satisfies`, so a new collection does not
 * compile until it is filled here, and a mapper must return objects of the
 * collection's schema.
 *
 * The attribute table is the harvest's knowledge (the snapshot stage holds
 * no LDAP attribute names): the use cases pass it to the diff (a raw
 * attribute behind a changed field is not reported twice) and to the drift
 * attribution (which replPropertyMetaData entry says when a field changed).
 */
import type { Entry, RootDse } from '../source/directory.js';
import type { CollectionName, CollectionObject } from '../snapshot/collections.js';
import type { FieldAttributes, FieldTable } from '../snapshot/field-attributes.js';
import { DnIndex, isUnder, sameDn } from '../dn.js';
import type { KindId } from './kinds.js';
import type { Warnings } from './warnings.js';
import type { ComputerIndex } from './computers.js';
import type { DnsIndex } from './dns.js';
import { all } from './entries.js';
import { mapAdminGroup, mapDomains, mapForest, mapOrganization, type ForestInputs } from './forest.js';
import { mapDomainController } from './domain-controllers.js';
import { mapServer } from './servers.js';
import { copiesByDatabase, mapDatabase, mapStorageGroup } from './databases.js';
import { mapDag } from './dags.js';
import { isAutodiscoverScp, mapAutodiscoverScp, mapVirtualDirectory } from './client-access.js';
import {
  mapAcceptedDomain,
  mapReceiveConnector,
  mapRoutingGroup,
  mapRoutingGroupConnector,
  mapSendConnector,
  orgSidsOf,
  wellKnownObjects,
} from './transport.js';

/** What every mapper may read: the classified entries and what the harvest resolved once for all of them. */
export interface MapInput {
  readonly rootDse: RootDse;
  /** the organization documented (the first by DN when there are several) */
  readonly org: Entry;
  entries(kind: KindId): readonly Entry[];
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

export interface CollectionHarvest<T> {
  /** the kinds whose entries fill the collection (the first is the collection's own objects) */
  readonly kinds: readonly KindId[];
  /** the mapper: entries → the collection's objects (in any order: the snapshot is made canonical afterwards) */
  readonly map: (x: MapInput) => T[];
  /**
   * Model field (top-level, or `transportPaths.x` / `copies[].x`) → the
   * attributes of the object it is read from, as AD spells them. Fields
   * derived from DNs or from other objects (a server's admin group) have none.
   */
  readonly attributes: FieldTable;
  /** fields computed from back links (no replication metadata of their own) */
  readonly backLinks?: FieldTable;
}

const nonNull = <T>(x: T | null): x is T => x !== null;
const byDn = (entries: readonly Entry[]) => new DnIndex(entries, (e) => e.dn);
const under = (x: MapInput, kind: KindId) => x.entries(kind).filter((e) => isUnder(e.dn, x.org.dn));

function forestInputs(x: MapInput): ForestInputs {
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
function transportServicesByServer(x: MapInput): Map<string, Entry[]> {
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

const ESE = {
  logFolderPath: ['msExchESEParamLogFilePath'],
  systemFolderPath: ['msExchESEParamSystemPath'],
  logFilePrefix: ['msExchESEParamBaseName'],
  circularLogging: ['msExchESEParamCircularLog'],
  recovery: ['msExchRestore'],
} as const;

export const HARVEST = {
  organization: {
    kinds: ['organization', 'cmdletExtensionAgent', 'authConfig'],
    map: (x) => [mapOrganization(x.org, under(x, 'cmdletExtensionAgent'), under(x, 'authConfig')[0], x.warnings)],
    // authCertificate is read from CN=Auth Configuration, an object of its own: no attribution on the organization
    attributes: { objectVersion: ['objectVersion'], objectVersionRelease: ['objectVersion'], authCertificate: ['msExchAuthCertificateThumbprint'] },
  },
  adminGroups: { kinds: ['adminGroup'], map: (x) => under(x, 'adminGroup').map(mapAdminGroup), attributes: {} },
  forest: {
    kinds: ['schemaVersion', 'crossRefContainer'],
    map: (x) => [mapForest(forestInputs(x), x.warnings)],
    attributes: {},
  },
  domains: {
    kinds: ['crossRef', 'domainHead', 'exchangeSystemObjects'],
    map: (x) => mapDomains(forestInputs(x), x.warnings),
    attributes: {},
  },
  domainControllers: {
    kinds: ['siteServer', 'ntdsSettings', 'computer', 'dnsNode'],
    map: (x) => x.dcs.map((d) => mapDomainController(d.server, d.ntds, x.computers, x.dns, x.warnings)),
    attributes: {},
  },
  servers: {
    kinds: ['server', 'transportServer', 'computer', 'dnsNode'],
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
  },
  storageGroups: {
    kinds: ['storageGroup'],
    map: (x) => x.entries('storageGroup').map((e) => mapStorageGroup(e, x.servers, x.warnings)).filter(nonNull),
    attributes: ESE,
  },
  databases: {
    kinds: ['database', 'databaseCopy', 'storageGroup'],
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
  },
  dags: {
    kinds: ['dag'],
    map: (x) => x.entries('dag').map((d) => mapDag(d, x.entries('server'))),
    backLinks: { members: ['msExchMDBAvailabilityGroupBL'] },
    attributes: {
      witnessShare: ['msExchFileShareWitness'], witnessServer: ['msExchFileShareWitness'], witnessDirectory: ['msExchFileShareWitnessDirectory'],
      alternateWitnessShare: ['msExchAlternateFileShareWitness'], alternateWitnessServer: ['msExchAlternateFileShareWitness'],
      alternateWitnessDirectory: ['msExchAlternateFileShareWitnessDirectory'],
      ipv4Addresses: ['msExchMDBAvailabilityGroupIPv4Addresses'], datacenterActivationMode: ['msExchDatacenterActivationMode'],
    },
  },
  virtualDirectories: {
    kinds: ['virtualDirectory'],
    map: (x) => x.entries('virtualDirectory').map((e) => mapVirtualDirectory(e, x.servers, x.warnings)).filter(nonNull),
    attributes: {
      internalUrl: ['msExchInternalHostName'], externalUrl: ['msExchExternalHostName'],
      internalAuthentication: ['msExchInternalAuthenticationMethods'], externalAuthentication: ['msExchExternalAuthenticationMethods'],
      metabasePath: ['msExchMetabasePath'],
    },
  },
  autodiscoverScps: {
    kinds: ['autodiscoverScp'],
    map: (x) => x.entries('autodiscoverScp').filter(isAutodiscoverScp).map((e) => mapAutodiscoverScp(e, x.servers, x.warnings)).filter(nonNull),
    attributes: { url: ['serviceBindingInformation'], siteScope: ['keywords'] },
  },
  receiveConnectors: {
    kinds: ['receiveConnector', 'receiveConnectorAcl', 'configurationContainer', 'exchangeGroup'],
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
  },
  sendConnectors: {
    kinds: ['sendConnector', 'routingGroup'],
    map: (x) => {
      const routingGroups = byDn(x.entries('routingGroup'));
      return x.entries('sendConnector').map((e) => mapSendConnector(e, routingGroups));
    },
    attributes: {
      enabled: ['msExchSmtpSendEnabled'], addressSpaces: ['routingList'], smartHosts: ['msExchSmtpSmartHost'],
      sourceServers: ['msExchSourceBridgeheadServersDN'], port: ['msExchSmtpSendPort'], fqdn: ['msExchSMTPSendConnectorFQDN'],
      tlsCertificateName: ['msExchSmtpTLSCertificate'],
    },
  },
  routingGroups: {
    kinds: ['routingGroup'],
    map: (x) => x.entries('routingGroup').map(mapRoutingGroup),
    attributes: { masterServer: ['msExchRoutingMasterDN'] },
  },
  routingGroupConnectors: {
    kinds: ['routingGroupConnector', 'routingGroup'],
    map: (x) => x.entries('routingGroupConnector').map((e) => mapRoutingGroupConnector(e, x.entries('routingGroup'), x.servers)),
    attributes: {
      sourceServers: ['msExchSourceBridgeheadServersDN'], targetServers: ['msExchTargetBridgeheadServersDN'],
      targetRoutingGroup: ['msExchTargetBridgeheadServersDN'], cost: ['cost'],
    },
  },
  acceptedDomains: {
    kinds: ['acceptedDomain'],
    map: (x) => x.entries('acceptedDomain').map(mapAcceptedDomain),
    attributes: { domainName: ['msExchAcceptedDomainName'], type: ['msExchAcceptedDomainFlags'], isDefault: ['msExchAcceptedDomainFlags'] },
  },
} satisfies { readonly [C in CollectionName]: CollectionHarvest<CollectionObject<C>> };

/** Every collection's field → attribute table, for the diff and the drift attribution. */
export const FIELD_ATTRIBUTES: FieldAttributes = Object.fromEntries(
  Object.entries(HARVEST).map(([c, h]: [string, CollectionHarvest<unknown>]) => [c, { read: h.attributes, backLinks: h.backLinks ?? {} }]),
) as FieldAttributes;

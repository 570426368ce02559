/**
 * Change attribution for the drift report: for a changed field, when and on
 * which DC the attribute behind it was last changed, and how many times since
 * the known good (from metadata.replication, i.e. replPropertyMetaData).
 *
 * It says when and where, never who: the user is only in the Security event
 * log of the DC that made the change.
 */
import type { Attribution, AttributionStatus, Change } from './drift.js';
import { parseAttributeChange, type Replication, type Snapshot } from './model.js';
import type { CollectionName } from './collections.js';

/**
 * Model field (top-level, or `transportPaths.x` / `copies[].x`) → the
 * attributes it is read from (src/harvest mappers). Fields derived from DNs,
 * back links or other objects (a server's admin group, DAG members) have none.
 */
export const FIELD_ATTRIBUTES: Readonly<Partial<Record<CollectionName, Readonly<Record<string, readonly string[]>>>>> = {
  organization: { objectVersion: ['objectVersion'], objectVersionRelease: ['objectVersion'] },
  servers: {
    fqdn: ['networkAddress'], serialNumber: ['serialNumber'], versionNumber: ['versionNumber'], version: ['serialNumber', 'versionNumber'],
    roles: ['msExchCurrentServerRoles'], roleBitmask: ['msExchCurrentServerRoles'], legacyServerRole: ['serverRole'],
    installPath: ['msExchInstallPath'], dataPath: ['msExchDataPath'], site: ['msExchServerSite'], siteName: ['msExchServerSite'],
    networkAddresses: ['networkAddress'], routingGroup: ['msExchHomeRoutingGroup'], dag: ['msExchMDBAvailabilityGroupLink'],
    computer: ['msExchComputerLink'], internalTransportCertificate: ['msExchServerInternalTLSCert'],
    'transportPaths.messageTracking': ['msExchTransportMessageTrackingPath'],
    'transportPaths.receiveProtocolLog': ['msExchTransportReceiveProtocolLogPath'],
    'transportPaths.sendProtocolLog': ['msExchTransportSendProtocolLogPath'],
    'transportPaths.connectivityLog': ['msExchTransportConnectivityLogPath'],
    'transportPaths.pickupDirectory': ['msExchTransportPickupDirectoryPath'],
    'transportPaths.replayDirectory': ['msExchTransportReplayDirectoryPath'],
    'transportPaths.pipelineTracing': ['msExchTransportPipelineTracingPath'],
    'transportPaths.routingLog': ['msExchTransportRoutingLogPath'],
  },
  storageGroups: {
    logFolderPath: ['msExchESEParamLogFilePath'], systemFolderPath: ['msExchESEParamSystemPath'], logFilePrefix: ['msExchESEParamBaseName'],
    circularLogging: ['msExchESEParamCircularLog'], recovery: ['msExchRestore'],
  },
  databases: {
    server: ['msExchOwningServer'], masterServerOrDag: ['msExchMasterServerOrAvailabilityGroup'], edbFilePath: ['msExchEDBFile'],
    streamingFilePath: ['msExchSLVFile'], logFolderPath: ['msExchESEParamLogFilePath'], systemFolderPath: ['msExchESEParamSystemPath'],
    logFilePrefix: ['msExchESEParamBaseName'], circularLogging: ['msExchESEParamCircularLog'], mountAtStartup: ['msExchEDBOffline'],
    allowFileRestore: ['msExchPatchMDB'], recovery: ['msExchRestore'],
    // a database copy is an object of its own (msExchMDBCopy): its attributes, on its GUID
    'copies[].server': ['msExchHostServerLink'], 'copies[].activationPreference': ['msExchActivationPreference'],
    'copies[].replayLagTime': ['msExchReplayLag'], 'copies[].truncationLagTime': ['msExchTruncationLag'],
  },
  dags: {
    witnessServer: ['msExchFileShareWitness'], witnessDirectory: ['msExchFileShareWitnessDirectory'],
    alternateWitnessServer: ['msExchAlternateFileShareWitness'], alternateWitnessDirectory: ['msExchAlternateFileShareWitnessDirectory'],
    ipv4Addresses: ['msExchMDBAvailabilityGroupIPv4Addresses'], datacenterActivationMode: ['msExchDatacenterActivationMode'],
  },
  virtualDirectories: {
    internalUrl: ['msExchInternalHostName'], externalUrl: ['msExchExternalHostName'],
    internalAuthentication: ['msExchInternalAuthenticationMethods'], externalAuthentication: ['msExchExternalAuthenticationMethods'],
    metabasePath: ['msExchMetabasePath'],
  },
  autodiscoverScps: { url: ['serviceBindingInformation'], siteScope: ['keywords'] },
  receiveConnectors: {
    enabled: ['msExchSmtpReceiveEnabled'], bindings: ['msExchSmtpReceiveBindings'], fqdn: ['msExchSMTPReceiveConnectorFQDN'],
    remoteIpRanges: ['msExchSmtpReceiveRemoteIPRanges'], authMechanisms: ['msExchSMTPReceiveInboundSecurityFlag'],
    maxMessageSize: ['msExchSmtpReceiveMaxMessageSize'],
  },
  sendConnectors: {
    enabled: ['msExchSmtpSendEnabled'], addressSpaces: ['routingList'], smartHosts: ['msExchSmtpSmartHost'],
    sourceServers: ['msExchSourceBridgeheadServersDN'], port: ['msExchSmtpSendPort'], fqdn: ['msExchSMTPSendConnectorFQDN'],
  },
  routingGroups: { masterServer: ['msExchRoutingMasterDN'] },
  routingGroupConnectors: {
    sourceServers: ['msExchSourceBridgeheadServersDN'], targetServers: ['msExchTargetBridgeheadServersDN'],
    targetRoutingGroup: ['msExchTargetBridgeheadServersDN'], cost: ['cost'],
  },
  acceptedDomains: { domainName: ['msExchAcceptedDomainName'], type: ['msExchAcceptedDomainFlags'], isDefault: ['msExchAcceptedDomainFlags'] },
};

/** A rename or move is recorded on the object's `name` (the RDN) in AD. */
const NAME_ATTRIBUTES = ['name', 'cn'];

interface Target {
  guid: string;
  attributes: readonly string[];
}

/** Which object and attributes a change is about; null when no attribute stands behind it. */
export function attributesOfChange(c: Change, current: Snapshot, baseline: Snapshot): Target | null {
  if (!c.guid) return null;
  if (c.kind === 'renamed' || c.kind === 'moved') return { guid: c.guid, attributes: NAME_ATTRIBUTES };
  if (c.kind !== 'changed' || !c.field) return null;
  const raw = /^raw\.(.+)$/.exec(c.field);
  if (raw) return { guid: c.guid, attributes: [raw[1]!] };
  const table = FIELD_ATTRIBUTES[c.collection as CollectionName] ?? {};
  const copy = /^copies\[(.+?)\](?:\.(.+))?$/.exec(c.field);
  if (copy && c.collection === 'databases') {
    const copyGuid = copyGuidOf(c.guid, copy[1]!, current) ?? copyGuidOf(c.guid, copy[1]!, baseline);
    if (!copyGuid) return null;
    // a copy added or removed as a whole: its host link says when
    return { guid: copyGuid, attributes: table[`copies[].${copy[2] ?? 'server'}`] ?? [] };
  }
  const key = c.field in table ? c.field : (/^[^.[]+/.exec(c.field)?.[0] ?? c.field);
  const attributes = table[key];
  return attributes?.length ? { guid: c.guid, attributes } : null;
}

function copyGuidOf(dbGuid: string, serverName: string, s: Snapshot): string | null {
  const db = s.databases.find((d) => d.guid === dbGuid);
  return db?.copies.find((x) => x.serverName === serverName)?.guid ?? null;
}

/** Case-insensitive lookup of an attribute's metadata on an object. */
function metaOf(r: Replication | null, guid: string, attribute: string) {
  const byAttr = r?.objects[guid];
  if (!byAttr) return null;
  const hit = Object.keys(byAttr).find((k) => k.toLowerCase() === attribute.toLowerCase());
  return hit ? parseAttributeChange(byAttr[hit]!) : null;
}

/**
 * The attribution of one change: of the attributes behind it, the one
 * changed last. null when neither snapshot holds metadata for them.
 */
export function attributeChange(c: Change, current: Snapshot, baseline: Snapshot): Attribution | null {
  const target = attributesOfChange(c, current, baseline);
  if (!target) return null;
  let best: Attribution | null = null;
  for (const attribute of target.attributes) {
    const now = metaOf(current.metadata.replication, target.guid, attribute);
    if (!now) continue;
    const before = metaOf(baseline.metadata.replication, target.guid, attribute);
    const a: Attribution = {
      attribute,
      changedAt: now.changedAt,
      dc: now.dc,
      version: now.version,
      baselineVersion: before?.version ?? null,
      changesSinceKnownGood: before ? now.version - before.version : null,
    };
    if (!best || a.changedAt > best.changedAt) best = a;
  }
  return best;
}

/** Whether the report can attribute changes at all, said once for the whole report. */
export function attributionStatus(current: Snapshot): AttributionStatus {
  const r = current.metadata.replication;
  if (!r) return { status: 'unavailable', note: 'the current snapshot was written before exbinder read replication metadata: changes carry no time or DC' };
  return { status: r.status, note: r.note };
}

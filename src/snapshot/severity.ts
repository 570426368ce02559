/**
 * Which drift matters for the recovery binder, as reviewable data.
 *
 * `critical` = the binder's chapters or runbook print it (a printed copy with
 * this value wrong sends the admin down the wrong path on the worst day);
 * `info` = worth knowing, never a reason to reprint (mailbox counts, raw
 * attributes the chapters do not summarise). A field not listed is `info`.
 * Added, removed, renamed and moved objects are critical in every collection:
 * every collection is printed.
 */
import type { CollectionName } from './collections.js';
import type { Severity } from './drift.js';
import { VOLATILE_ATTRIBUTES } from './model.js';


const C: Severity = 'critical';

/**
 * Top-level field of an object → severity. A nested path
 * (`transportPaths.messageTracking`, `copies[EX02].activationPreference`)
 * takes the severity of its top-level field.
 */
export const FIELD_SEVERITY: Record<CollectionName, Record<string, Severity>> = {
  organization: { name: C, objectVersion: C, objectVersionRelease: C, cmdletExtensionAgents: C },
  adminGroups: { name: C },
  forest: {
    rootDomain: C,
    functionalLevel: C,
    functionalLevelName: C,
    exchangeSchemaVersion: C,
    exchangeSchemaRelease: C,
  },
  domains: { dnsName: C, functionalLevel: C, functionalLevelName: C, exchangeSystemObjectsVersion: C },
  domainControllers: {
    name: C,
    fqdn: C,
    site: C,
    domain: C,
    isGlobalCatalog: C,
    isReadOnly: C,
    operatingSystem: C,
    operatingSystemVersion: C,
    ipAddresses: C,
  },
  servers: {
    name: C,
    adminGroup: C,
    fqdn: C,
    serialNumber: C,
    versionNumber: C,
    version: C,
    roles: C,
    roleBitmask: C,
    legacyServerRole: C,
    installPath: C,
    dataPath: C,
    site: C,
    siteName: C,
    networkAddresses: C,
    routingGroup: C,
    dag: C,
    computer: C,
    ipAddresses: C,
    transportPaths: C,
    transportServices: C,
    clusteredMailboxServer: C,
    internalTransportCertificate: C,
  },
  storageGroups: {
    name: C,
    server: C,
    logFolderPath: C,
    systemFolderPath: C,
    logFilePrefix: C,
    circularLogging: C,
    recovery: C,
  },
  databases: {
    name: C,
    kind: C,
    server: C,
    storageGroup: C,
    masterServerOrDag: C,
    edbFilePath: C,
    streamingFilePath: C,
    logFolderPath: C,
    systemFolderPath: C,
    logFilePrefix: C,
    circularLogging: C,
    mountAtStartup: C,
    allowFileRestore: C,
    recovery: C,
    copies: C,
    // how many mailboxes live on a database changes every day and is not a recovery step
    mailboxCount: 'info',
  },
  dags: {
    name: C,
    members: C,
    witnessShare: C,
    witnessServer: C,
    witnessDirectory: C,
    alternateWitnessShare: C,
    alternateWitnessServer: C,
    alternateWitnessDirectory: C,
    ipv4Addresses: C,
    datacenterActivationMode: C,
  },
  virtualDirectories: {
    name: C,
    server: C,
    kind: C,
    website: C,
    internalUrl: C,
    externalUrl: C,
    internalAuthentication: C,
    externalAuthentication: C,
    metabasePath: C,
  },
  autodiscoverScps: { name: C, server: C, url: C, siteScope: C },
  receiveConnectors: {
    name: C,
    server: C,
    enabled: C,
    bindings: C,
    fqdn: C,
    remoteIpRanges: C,
    permissionGroups: C,
    authMechanisms: C,
    maxMessageSize: C,
    tlsCertificateName: C,
  },
  sendConnectors: {
    name: C,
    routingGroup: C,
    enabled: C,
    addressSpaces: C,
    smartHosts: C,
    sourceServers: C,
    port: C,
    fqdn: C,
    tlsCertificateName: C,
  },
  routingGroups: { name: C, adminGroup: C, masterServer: C },
  routingGroupConnectors: {
    name: C,
    routingGroup: C,
    targetRoutingGroup: C,
    sourceServers: C,
    targetServers: C,
    cost: C,
  },
  acceptedDomains: { name: C, domainName: C, type: C, isDefault: C },
};

/** Severity of a change to `field` (a path) of an object in `collection`. */
export function fieldSeverity(collection: CollectionName, field: string): Severity {
  const top = /^[^.[]+/.exec(field)?.[0] ?? field;
  return FIELD_SEVERITY[collection][top] ?? 'info';
}

/**
 * Raw attributes that never count as drift (lower-case): the volatile ones
 * (never in a snapshot of this version, but older snapshots may hold them),
 * and the identity attributes that renamed/moved already report.
 */
export const IGNORED_RAW_ATTRIBUTES: ReadonlySet<string> = new Set([...VOLATILE_ATTRIBUTES, 'cn', 'name']);

/**
 * Raw attributes (lower-case, as the harvest keys them) whose change model
 * fields already report, where the raw value differs in form from the field
 * (flags, booleans, bitmasks, backlinks). Attributes whose raw value equals
 * the field value (paths, URLs, DNs, IP ranges) are recognised without being
 * listed (see diff.ts `diffRaw`). Attribute names from src/harvest mappers.
 */
export const RAW_COVERED_BY_FIELD: Readonly<Record<string, readonly string[]>> = {
  homemdbbl: ['mailboxCount'],
  msexchedboffline: ['mountAtStartup'],
  msexchpatchmdb: ['allowFileRestore'],
  msexchrestore: ['recovery'],
  msexcheseparamcircularlog: ['circularLogging'],
  msexchcurrentserverroles: ['roleBitmask', 'roles'],
  serialnumber: ['serialNumber', 'version'],
  versionnumber: ['versionNumber', 'version'],
  serverrole: ['legacyServerRole'],
  msexchserverrole: ['legacyServerRole'],
  msexchcomputerlink: ['computer'],
  msexchserversite: ['site', 'siteName'],
  msexchserverinternaltlscert: ['internalTransportCertificate'],
  msexchinternalauthenticationmethods: ['internalAuthentication'],
  msexchexternalauthenticationmethods: ['externalAuthentication'],
  msexchaccepteddomainflags: ['type', 'isDefault'],
  msexchmdbavailabilitygroupbl: ['members'],
  msexchdatacenteractivationmode: ['datacenterActivationMode'],
  msexchsmtpreceiveenabled: ['enabled'],
  msexchsmtpsendenabled: ['enabled'],
  msexchsmtpreceiveinboundsecurityflag: ['authMechanisms'],
  msexchsmtpsmarthost: ['smartHosts'],
  keywords: ['siteScope'],
  msexchactivationpreference: ['copies'],
  msexchhostserverlink: ['copies'],
};

/**
 * The binder's view model: everything the templates print, already derived,
 * sorted and in the admin's words. Validated with zod before rendering because
 * Handlebars strict mode does not check helper or block arguments.
 * Absent values are null (the templates print a blank line to write on).
 */
import { z } from 'zod';
import { COLLECTIONS } from '../../snapshot/collections.js';

const s = z.string();
const ns = s.nullable();

/** changes: the view fields of a row or object that differ from the known good (templates: {{changed changes "field"}}) */
const changes = z.array(s);
/** changed: the path is a value changed since the known good */
const Use = z.strictObject({ what: s, path: s, changed: z.boolean() });
const Drive = z.strictObject({ drive: s, uses: z.array(Use), size: ns });

const StorageGroupView = z.strictObject({
  changes,
  name: s, logPath: ns, systemPath: ns, logPrefix: ns, circularLogging: ns, databases: z.array(s),
});
const DatabaseView = z.strictObject({
  changes,
  name: s, kind: s, storageGroup: ns, edbPath: ns, streamingPath: ns, logPath: ns, systemPath: ns,
  logPrefix: ns, mountAtStartup: s, allowFileRestore: s, mailboxCount: ns, dag: ns, copies: z.array(s),
});
const VdirView = z.strictObject({ changes, kind: s, name: s, internalUrl: ns, externalUrl: ns });
const ReceiveView = z.strictObject({ changes, name: s, enabled: s, bindings: z.array(s), fqdn: ns, remoteIpRanges: z.array(s), tlsCertificateName: ns });
/** smartHosts empty: the connector routes by DNS (MX) */
const SendView = z.strictObject({ changes, name: s, addressSpaces: z.array(s), smartHosts: z.array(s), port: ns, tlsCertificateName: ns });
/**
 * One object as the registry drives it, for any collection: every field of
 * its schema but `raw`, formatted as the chapters format values (booleans
 * yes/no, numbers as text, lists as lists of text, a nested object as JSON
 * text; null stays null: a line to write on), and `changes` (its fields
 * changed since the known good). Templates escape with the same helpers as
 * everywhere ({{cell x}}, {{code x}}). A template can print a new collection
 * or field from here with no change to this file or build.ts.
 */
export const ObjectView = z.record(s, z.union([s, z.array(s)]).nullable());
export type ObjectView = z.infer<typeof ObjectView>;
/** Per collection (the registry's names), its objects, sorted by name. */
const CollectionsView = z.record(z.enum(COLLECTIONS as unknown as [string, ...string[]]), z.array(ObjectView));

const CertView = z.strictObject({ subject: s, issuer: s, thumbprint: s, notBefore: s, notAfter: s, names: z.array(s), selfSigned: s });

export const RunbookView = z.strictObject({
  memoryAdvice: s,
  minimumDrives: z.number().int(),
  prerequisites: z.array(s),
  prerequisiteNotes: z.array(s),
  /** the Microsoft page(s) the prerequisite commands follow */
  prerequisiteSource: s,
  /** the release and build of the setup media RecoverServer needs (the CU build, also when an SU stamped serialNumber) */
  mediaLabel: ns,
  /** serialNumber holds a security-update build: the Set-ADObject reset before setup */
  serialStamp: z.strictObject({
    stampedBuild: s, updateName: ns, mediaLabel: s, resetValue: s, resetValueListed: z.boolean(), resetCommands: z.array(s),
  }).nullable(),
  recoverCommand: ns,
  /** 2013+: a later CU's media may replace the recorded CU's (Recover Exchange servers) */
  laterCuAllowed: z.boolean(),
  /** 2003: setup.exe then the service pack's update.exe, both /disasterrecovery */
  legacy2003: z.strictObject({ servicePack: ns, commands: z.array(s) }).nullable(),
  targetDirNeeded: z.boolean(),
  defaultInstallPath: ns,
  versionFixes: z.array(s),
  isDagMember: z.boolean(),
  isLegacy2003: z.boolean(),
  /** the procedure Microsoft documents for this server class (src/render/view/plans.ts) */
  plan: z.strictObject({
    kind: z.enum(['standalone', 'dag-member', 'edge', 'legacy-2003', 'cms-2007', 'cas-only']),
    title: s,
    sources: z.array(z.strictObject({ title: s, url: ns })),
  }),
  dag: z.strictObject({
    name: s,
    copies: z.array(z.strictObject({ database: s, activationPreference: ns, replayLag: ns, truncationLag: ns, otherCopies: s, circularLogging: z.boolean() })),
    before: z.array(s),
    /** list the cluster nodes: evict only when the failed server is still one */
    listNodes: z.array(s),
    evict: z.array(s),
    after: z.array(s),
    circularLoggingOff: z.array(s),
    circularLoggingOn: z.array(s),
  }).nullable(),
  recoveryStores: z.array(z.strictObject({ name: s, kind: s, databases: z.array(s), removeCommands: z.array(s), removeNote: s })),
  scriptingAgentEnabled: z.boolean(),
  scriptingAgentFolder: ns,
  cms: z.strictObject({ storageType: s, nodes: z.array(s), ipAddress: ns, command: s, passiveRoleCommand: s }).nullable(),
  edge: z.strictObject({ site: ns, installCommand: ns, importCommands: z.array(s), recordSendConnectors: s, removeOld: z.array(s), onEdge: z.array(s), onMailbox: z.array(s), subscribingRole: s }).nullable(),
  inboundMailReenable: ns,
  restoreDatabases: z.array(z.strictObject({ name: s, edbPath: ns, logPath: ns, mountAtStartup: s })),
  antivirusFileLevel: ns,
  antivirusExchangeAware: ns,
  backupSoftware: ns,
  backupAgentConfiguration: ns,
  inboundMailStop: ns,
  certificateExportLocation: ns,
  exchangeMedia: ns,
  osMedia: ns,
  autodiscoverUrls: z.array(s),
  owaUrls: z.array(s),
  activeSyncUrls: z.array(s),
  relayRanges: z.array(z.strictObject({ connector: s, range: s })),
  unifiedMessaging: z.boolean(),
});

export const ServerView = z.strictObject({
  name: s,
  changes,
  /** values marked as changed in this server's chapter (its legend says what the mark means) */
  marks: z.number().int(),
  anchor: s,
  fqdn: ns,
  ipAddresses: z.array(s),
  ipSource: ns,
  site: ns,
  computerDn: ns,
  adminGroup: s,
  versionLabel: ns,
  serialNumber: ns,
  product: ns,
  release: ns,
  roles: s,
  os: ns,
  osServicePack: ns,
  osVersion: ns,
  installPath: ns,
  dataPath: ns,
  dag: ns,
  disks: z.array(Drive),
  storageGroups: z.array(StorageGroupView),
  databases: z.array(DatabaseView),
  virtualDirectories: z.array(VdirView),
  autodiscover: z.array(z.strictObject({ url: ns, siteScope: s })),
  receiveConnectors: z.array(ReceiveView),
  sendConnectors: z.array(SendView),
  certificate: CertView.nullable(),
  sslNames: z.array(s),
  hardware: z.strictObject({ make: ns, model: ns, serialNumber: ns, cpu: ns, memory: ns, disks: ns, nics: ns, location: ns, notes: ns }),
  virtual: z.strictObject({ host: s, vmName: s, imageBackupLocation: ns }).nullable(),
  runbook: RunbookView,
  /** the objects of every collection the registry links to a server (its serverLink), as ObjectView: this server's */
  linked: z.record(s, z.array(ObjectView)),
});
export type ServerView = z.infer<typeof ServerView>;

/** collection: what a reader calls the object (collections.ts labels); server: the server(s) of a per-server object */
const ChangeView = z.strictObject({ severity: s, kind: s, collection: s, name: s, server: ns, field: ns, old: ns, new: ns });
/** When and where a critical change was made (replication metadata): null cells when the snapshot has none for it. */
const AttributedChangeView = z.strictObject({ name: s, server: ns, field: ns, changedUtc: ns, changedLocal: ns, dc: ns, version: ns });

export const BinderView = z.strictObject({
  title: s,
  blank: s,
  cover: z.strictObject({
    organization: s,
    forestRoot: s,
    generatedAt: s,
    harvestedAt: s,
    domainController: ns,
    source: s,
    snapshotId: s,
    toolVersion: s,
    driftStatus: s,
    warnings: z.array(z.strictObject({ code: s, message: s })),
    /** harvest warnings about servers this binder does not print (--server) */
    warningsElsewhere: z.number().int(),
  }),
  organization: z.strictObject({
    changes,
    name: s, dn: s, objectVersion: ns, objectVersionRelease: ns, adminGroups: z.array(s),
    /** Auth Configuration (2013+): the current OAuth certificate's thumbprint and the next one, if staged */
    authCertificate: z.strictObject({ current: ns, next: ns }).nullable(),
    routingGroups: z.array(z.strictObject({ name: s, adminGroup: s, masterServer: ns })),
  }),
  forest: z.strictObject({
    changes,
    rootDomain: s, functionalLevel: ns, schemaVersion: ns, schemaRelease: ns,
    domains: z.array(z.strictObject({ changes, dnsName: s, functionalLevel: ns, systemObjectsVersion: ns, systemObjectsRelease: ns, systemObjectsNote: ns })),
    domainControllers: z.array(z.strictObject({ changes, name: s, fqdn: ns, site: s, os: ns, globalCatalog: s, readOnly: s, ipAddresses: s, location: ns })),
  }),
  acceptedDomains: z.array(z.strictObject({ changes, domainName: s, type: s, isDefault: s })),
  dags: z.array(z.strictObject({
    changes,
    name: s, members: s, witnessShare: ns, witnessDirectory: ns, alternateWitnessShare: ns, alternateWitnessDirectory: ns,
    datacenterActivationMode: ns, ipv4Addresses: s,
  })),
  servers: z.array(ServerView),
  /** every collection's objects in this binder's scope, as ObjectView (registry-driven) */
  collections: CollectionsView,
  virtualServers: z.array(s),
  checklist: z.array(z.strictObject({ item: s, done: z.boolean(), detail: s })),
  drift: z.strictObject({
    baselineId: s, baselineHarvestedAt: s, currentId: s, critical: z.number().int(), info: z.number().int(),
    /** changes left out: they concern servers this binder does not print (--server) */
    elsewhere: z.number().int(),
    changes: z.array(ChangeView),
    attributed: z.array(AttributedChangeView),
    attributionNotes: z.array(s),
  }).nullable(),
  /**
   * Appendix B. dnLines: the object's DN in lines broken between RDNs; rows: an attribute's
   * values, one per row (label: the attribute's name on its first row, '' on a further value,
   * '↪' on a row that continues a long value; joined with nothing such rows are the value).
   */
  raw: z.array(z.strictObject({
    title: s, dn: s, dnLines: z.array(s), attributes: z.array(z.strictObject({ name: s, rows: z.array(z.strictObject({ label: s, value: s })) })),
  })),
  /** the known good the chapters mark changed values against (date and id; null without one) and the marks of the organization chapter */
  changes: z.strictObject({ since: ns, baselineId: ns, organizationMarks: z.number().int() }),
  /** what this binder covers (exbinder render --server, --appendix) */
  scope: z.strictObject({
    /** only some of the organization's servers are printed */
    partial: z.boolean(),
    /** the servers printed */
    servers: z.array(s),
    /** servers in the organization */
    total: z.number().int(),
    appendix: z.enum(['inline', 'separate', 'none']),
    /** the separate appendix file's name */
    appendixFile: ns,
    /** the pages of Appendix A and B in the separate appendix PDF (null: not known, or not a PDF) */
    appendixPages: z.strictObject({ a: z.number().int(), b: z.number().int() }).nullable(),
  }),
});
export type BinderView = z.infer<typeof BinderView>;

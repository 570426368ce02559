/**
 * The snapshot model: the single source of the types every stage uses.
 *
 * Shape rules (they keep snapshots deterministic and diffs meaningful):
 * - Object collections are flat arrays, each object carrying its identity
 *   (`guid` = objectGUID in canonical form, `dn`) and referring to others by DN.
 *   The view model nests them per server; the diff keys them by guid.
 * - Absent values are `null` (never omitted), lists are `[]`, so every
 *   snapshot of a schema version has the same keys.
 * - Arrays are sorted by stable keys before writing (see store.ts `canonical`).
 * - Nothing volatile (whenChanged, USNs, harvest-relative ages) lives outside
 *   `metadata`: two harvests of an unchanged directory differ only there.
 */
import { z } from 'zod';

/**
 * Attributes whose values change without anyone changing the configuration
 * (replication and logon bookkeeping, back links, security descriptors) and
 * the identity the objects carry as fields: kept out of the raw appendix, so
 * two harvests of an unchanged directory are byte-identical (lower-case).
 */
export const VOLATILE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'whenchanged',
  'usnchanged',
  'usncreated',
  'dscorepropagationdata',
  'replpropertymetadata',
  'msds-replattributemetadata',
  'msds-replvaluemetadata',
  'msds-revealedusers',
  'lastlogon',
  'lastlogontimestamp',
  'logoncount',
  'badpwdcount',
  'badpasswordtime',
  'lastlogoff',
  'pwdlastset',
  'objectguid',
  'distinguishedname',
  'homemdbbl',
  'ntsecuritydescriptor',
]);

export const SCHEMA_VERSION = 5 as const;

const str = z.string();
const nstr = z.string().nullable();
const nint = z.number().int().nullable();
const nbool = z.boolean().nullable();
const dn = z.string().describe('Distinguished name as the directory returned it');
const ndn = dn.nullable();

/** Identity every harvested object carries. */
const Identity = {
  guid: z.string().describe('objectGUID, canonical lower-case form (8-4-4-4-12)'),
  dn,
  name: str.describe('cn / name of the object'),
  raw: z
    .record(z.string(), z.array(z.string()))
    .describe('text attributes as read (volatile ones such as whenChanged/uSNChanged removed), for the appendix'),
};

export const Warning = z.strictObject({
  code: str.describe("stable code, e.g. 'unknown-build', 'cert-expired', 'unreadable-container'"),
  message: str,
  dn: ndn.describe('object concerned, if any'),
});
export type Warning = z.infer<typeof Warning>;

export const ExchangeVersion = z.strictObject({
  major: z.number().int(),
  minor: z.number().int(),
  build: z.number().int(),
  revision: nint,
  product: str.describe("'Exchange Server 2003' … 'Exchange Server SE', or 'unknown'"),
  release: nstr.describe("'SP2', 'CU23', 'RTM'; null when the build is not in the table"),
  /** display form, e.g. 'Exchange Server 2016 CU23 (15.1.2507.6)' */
  label: str,
});
export type ExchangeVersion = z.infer<typeof ExchangeVersion>;

export const Certificate = z.strictObject({
  subject: str,
  issuer: str,
  serialNumber: str,
  thumbprint: str.describe('SHA-1 of the DER, upper-case hex, as Exchange shows it'),
  notBefore: str.describe('ISO 8601'),
  notAfter: str.describe('ISO 8601'),
  subjectAltNames: z.array(str).describe("DNS names and IPs, e.g. 'DNS:mail.contoso.com'"),
  selfSigned: z.boolean(),
});
export type Certificate = z.infer<typeof Certificate>;

export const ComputerAccount = z.strictObject({
  dn,
  dnsHostName: nstr,
  operatingSystem: nstr,
  operatingSystemVersion: nstr,
  operatingSystemServicePack: nstr,
});

export const TransportPaths = z.strictObject({
  messageTracking: nstr,
  receiveProtocolLog: nstr,
  sendProtocolLog: nstr,
  connectivityLog: nstr,
  pickupDirectory: nstr,
  replayDirectory: nstr,
  pipelineTracing: nstr,
  routingLog: nstr,
});

/** 2013+ transport services of a server (CN=Frontend / CN=Mailbox under CN=Transport Configuration) and their log paths. */
export const TransportService = z.strictObject({
  service: z.enum(['FrontendTransport', 'MailboxTransport']),
  dn,
  paths: TransportPaths,
});

export const Server = z.strictObject({
  ...Identity,
  adminGroup: str.describe('name of the administrative group the server lives in'),
  fqdn: nstr.describe('from networkAddress ncacn_ip_tcp, else the computer dNSHostName'),
  serialNumber: nstr.describe('raw serialNumber, e.g. "Version 15.1 (Build 32507.6)"'),
  versionNumber: nint,
  version: ExchangeVersion.nullable(),
  /** decoded role names in Exchange's words, sorted: 'Mailbox', 'ClientAccess', 'HubTransport'... */
  roles: z.array(str),
  roleBitmask: nint.describe('msExchCurrentServerRoles (2007+)'),
  legacyServerRole: z.enum(['front-end', 'back-end']).nullable().describe('Exchange 2003 serverRole'),
  installPath: nstr,
  dataPath: nstr,
  site: ndn,
  siteName: nstr,
  networkAddresses: z.array(str),
  routingGroup: ndn,
  dag: ndn,
  computer: ComputerAccount.nullable(),
  ipAddresses: z.array(str).describe('A/AAAA from AD-integrated DNS; [] when not in AD DNS'),
  transportPaths: TransportPaths,
  transportServices: z.array(TransportService).describe('2013+: the Frontend and Mailbox transport services and their paths'),
  clusteredMailboxServer: z
    .strictObject({
      storageType: z.enum(['CCR', 'SCC', 'unknown']).describe('msExchClusterStorageType 1 = NonShared (CCR), 2 = Shared (SCC)'),
      nodes: z.array(str).describe('msExchServerRedundantMachines: the cluster nodes that can host it'),
    })
    .nullable()
    .describe('Exchange 2007 clustered mailbox server (recovered with Setup /RecoverCMS)'),
  internalTransportCertificate: Certificate.nullable(),
});
export type Server = z.infer<typeof Server>;

export const StorageGroup = z.strictObject({
  ...Identity,
  server: dn,
  logFolderPath: nstr,
  systemFolderPath: nstr,
  logFilePrefix: nstr,
  circularLogging: nbool,
  recovery: z.boolean().describe('Recovery Storage Group (msExchRestore)'),
});
export type StorageGroup = z.infer<typeof StorageGroup>;

export const DatabaseCopy = z.strictObject({
  guid: str,
  dn,
  server: ndn.describe('msExchHostServerLink'),
  serverName: str.describe('RDN of the copy = host server name'),
  activationPreference: nint,
  replayLagTime: nstr.describe('msExchReplayLag (seconds in AD) as the cmdlets write a TimeSpan, e.g. "7.00:00:00"'),
  truncationLagTime: nstr.describe('msExchTruncationLag (seconds in AD) as a TimeSpan, e.g. "1.00:00:00"'),
});

export const Database = z.strictObject({
  ...Identity,
  kind: z.enum(['mailbox', 'public']),
  server: ndn.describe('msExchOwningServer'),
  storageGroup: ndn.describe('2003/2007: parent storage group'),
  masterServerOrDag: ndn.describe('2010+: msExchMasterServerOrAvailabilityGroup'),
  edbFilePath: nstr,
  streamingFilePath: nstr.describe('2000/2003 .stm file'),
  logFolderPath: nstr.describe('2010+ on the database; 2003/2007 see the storage group'),
  systemFolderPath: nstr,
  logFilePrefix: nstr,
  circularLogging: nbool,
  mountAtStartup: z.boolean().describe('not msExchEDBOffline'),
  allowFileRestore: z.boolean().describe('msExchPatchMDB: "This database can be overwritten by a restore"'),
  recovery: z.boolean().describe('Recovery Database (msExchRestore)'),
  mailboxCount: nint.describe('values of homeMDBBL as seen by the DC queried'),
  copies: z.array(DatabaseCopy),
});
export type Database = z.infer<typeof Database>;

export const Dag = z.strictObject({
  ...Identity,
  members: z.array(dn).describe('servers whose msExchMDBAvailabilityGroupLink points here'),
  witnessShare: nstr.describe('msExchFileShareWitness: UNC path of the witness share, e.g. \\\\fs01.contoso.com\\DAG1.contoso.com'),
  witnessServer: nstr.describe('host part of witnessShare'),
  witnessDirectory: nstr,
  alternateWitnessShare: nstr.describe('msExchAlternateFileShareWitness (UNC)'),
  alternateWitnessServer: nstr.describe('host part of alternateWitnessShare'),
  alternateWitnessDirectory: nstr,
  ipv4Addresses: z.array(str),
  datacenterActivationMode: nstr,
});
export type Dag = z.infer<typeof Dag>;

export const VirtualDirectory = z.strictObject({
  ...Identity,
  server: dn,
  kind: z.enum(['owa', 'ecp', 'ews', 'activesync', 'oab', 'mapi', 'powershell', 'autodiscover', 'rpchttp', 'other']),
  website: nstr.describe("text in parentheses of the cn, e.g. 'Default Web Site'"),
  internalUrl: nstr,
  externalUrl: nstr,
  internalAuthentication: z.array(str),
  externalAuthentication: z.array(str),
  metabasePath: nstr,
});
export type VirtualDirectory = z.infer<typeof VirtualDirectory>;

export const AutodiscoverScp = z.strictObject({
  ...Identity,
  server: dn,
  url: nstr.describe('serviceBindingInformation'),
  siteScope: z.array(str),
});

/**
 * POP3 or IMAP4 settings of a 2007+ server (Get-PopSettings / Get-ImapSettings):
 * CN=POP3 / CN=IMAP4 under the server's CN=Protocols, of class
 * protocolCfgPOPServer / protocolCfgIMAPServer, attributes as Exchange's
 * PopImapAdConfigurationSchema maps them (decompiled Exchange Server:
 * Pop3AdConfiguration, Imap4AdConfiguration).
 */
export const PopImapSettings = z.strictObject({
  ...Identity,
  server: dn,
  protocol: z.enum(['POP3', 'IMAP4']),
  x509CertificateName: nstr.describe('msExchPopImapX509CertificateName (X509CertificateName): the name the SSL/TLS certificate of the service must carry; null when not set'),
  unencryptedOrTlsBindings: z.array(str).describe('msExchServerBindings (UnencryptedOrTLSBindings), e.g. "0.0.0.0:110"'),
  sslBindings: z.array(str).describe('msExchSecureBindings (SSLBindings), e.g. "0.0.0.0:995"'),
  internalConnectionSettings: z.array(str).describe('msExchPOPIMAPInternalConnectionSettings: "host:port[:encryption]"'),
  externalConnectionSettings: z.array(str).describe('msExchPOPIMAPExternalConnectionSettings: "host:port[:encryption]", what clients are told to use'),
});
export type PopImapSettings = z.infer<typeof PopImapSettings>;

/** msExchSmtpTLSCertificate of a Receive or Send connector (TlsCertificateName, an SmtpX509Identifier). */
const tlsCertificateName = nstr.describe('msExchSmtpTLSCertificate: "<I>issuer<S>subject" of the certificate the connector must use');

export const ReceiveConnector = z.strictObject({
  ...Identity,
  server: dn,
  enabled: nbool,
  bindings: z.array(str),
  fqdn: nstr,
  remoteIpRanges: z.array(str),
  permissionGroups: z.array(str),
  authMechanisms: z.array(str),
  maxMessageSize: nstr,
  tlsCertificateName,
});
export type ReceiveConnector = z.infer<typeof ReceiveConnector>;

export const SendConnector = z.strictObject({
  ...Identity,
  routingGroup: ndn,
  enabled: nbool,
  addressSpaces: z.array(str),
  smartHosts: z.array(str),
  sourceServers: z.array(dn),
  port: nint,
  fqdn: nstr,
  tlsCertificateName,
});
export type SendConnector = z.infer<typeof SendConnector>;

export const RoutingGroup = z.strictObject({
  ...Identity,
  adminGroup: str,
  masterServer: ndn,
});

export const RoutingGroupConnector = z.strictObject({
  ...Identity,
  routingGroup: dn,
  targetRoutingGroup: ndn,
  sourceServers: z.array(dn),
  targetServers: z.array(dn),
  cost: nint,
});

export const AcceptedDomain = z.strictObject({
  ...Identity,
  domainName: str,
  type: z.enum(['Authoritative', 'ExternalRelay', 'InternalRelay', 'unknown']),
  isDefault: z.boolean(),
});
export type AcceptedDomain = z.infer<typeof AcceptedDomain>;

export const AdminGroup = z.strictObject({
  ...Identity,
});

export const DomainController = z.strictObject({
  ...Identity,
  fqdn: nstr,
  site: str,
  domain: nstr.describe('DN of the domain this DC holds'),
  isGlobalCatalog: z.boolean(),
  isReadOnly: z.boolean(),
  operatingSystem: nstr,
  operatingSystemVersion: nstr,
  ipAddresses: z.array(str),
});
export type DomainController = z.infer<typeof DomainController>;

export const Domain = z.strictObject({
  dn,
  dnsName: str,
  functionalLevel: nint,
  functionalLevelName: nstr,
  exchangeSystemObjectsVersion: nint.describe('objectVersion of CN=Microsoft Exchange System Objects'),
});

export const Forest = z.strictObject({
  rootDomain: dn,
  functionalLevel: nint,
  functionalLevelName: nstr,
  exchangeSchemaVersion: nint.describe('rangeUpper of ms-Exch-Schema-Version-Pt'),
  exchangeSchemaRelease: nstr.describe('release that schema version corresponds to'),
  domains: z.array(Domain),
  domainControllers: z.array(DomainController),
});

/** msExchCmdletExtensionAgent (2010+): an enabled Scripting Agent can make RecoverServer fail. */
export const CmdletExtensionAgent = z.strictObject({
  dn,
  name: str,
  enabled: z.boolean().describe('msExchCmdletExtensionFlags bit 1'),
  isSystem: z.boolean().describe('msExchCmdletExtensionFlags bit 16'),
});

/**
 * The OAuth (server-to-server) certificate of the organization's Auth
 * Configuration (msExchAuthCertificateThumbprint on CN=Auth Configuration,
 * 2013+): Get-AuthConfig's Current/Previous/NextCertificateThumbprint.
 */
export const AuthCertificate = z.strictObject({
  current: nstr.describe('thumbprint of the certificate that signs tokens now (value tagged "0:")'),
  previous: nstr.describe('value tagged "1:"'),
  next: nstr.describe('value tagged "2:", published by Set-AuthConfig -PublishCertificate or at its effective date'),
});
export type AuthCertificate = z.infer<typeof AuthCertificate>;

export const Organization = z.strictObject({
  ...Identity,
  objectVersion: nint,
  objectVersionRelease: nstr,
  adminGroups: z.array(AdminGroup),
  cmdletExtensionAgents: z.array(CmdletExtensionAgent),
  authCertificate: AuthCertificate.nullable().describe('2013+ Auth Configuration; null when the organization has none'),
});

/**
 * The last originating change of one attribute, from replPropertyMetaData, as
 * one compact string `<version> <changedAt> <dc>`, e.g.
 * `2 2026-12-07T08:40:58Z dc2.contoso.test`: version = originating changes so
 * far (1 = set once), changedAt = ISO 8601 UTC in whole seconds, dc = the DNS
 * name of the DC the change was made on (its invocationId when no DC of the
 * forest has it any more). A string, not an object: a large organization has
 * tens of thousands of them, and objects doubled the snapshot.
 */
export const AttributeChange = z
  .string()
  .regex(/^\d+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S+$/, 'expected "<version> <changedAt> <dc>"')
  .describe('"<version> <changedAt ISO 8601 UTC> <dc>", e.g. "2 2026-12-07T08:40:58Z dc2.contoso.test"');
export type AttributeChange = z.infer<typeof AttributeChange>;

export interface AttributeChangeParts {
  version: number;
  changedAt: string;
  dc: string;
}

export function formatAttributeChange(c: AttributeChangeParts): AttributeChange {
  return `${c.version} ${c.changedAt} ${c.dc}`;
}

export function parseAttributeChange(s: AttributeChange): AttributeChangeParts {
  const [version, changedAt, dc] = s.split(' ');
  return { version: Number(version), changedAt: changedAt!, dc: dc! };
}

/**
 * When and on which DC each attribute the model uses was last changed
 * (replPropertyMetaData). In metadata: it moves with every change and must
 * not change the snapshot id. It says when and where, never who (that is in
 * the DC's security log).
 */
export const Replication = z.strictObject({
  status: z
    .enum(['read', 'not-requested', 'unavailable'])
    .describe("'read'; 'not-requested' (--no-repl-metadata); 'unavailable' (an export without it, an account that cannot read it)"),
  note: nstr.describe('why metadata is missing or partial, in one sentence'),
  attributeIds: z.record(str, str).describe('attid (8 hex digits) → lDAPDisplayName: the schema mapping (msDS-IntId, prefixMap) read once per harvest'),
  dcs: z.record(str, str).describe('invocationId → DC (DNS name), from the nTDSDSA objects under CN=Sites'),
  objects: z.record(str, z.record(str, AttributeChange)).describe('objectGUID → lDAPDisplayName → last change'),
});
export type Replication = z.infer<typeof Replication>;

export const Metadata = z.strictObject({
  toolVersion: str,
  harvestedAt: str.describe('ISO 8601 UTC'),
  source: z.strictObject({
    kind: z.enum(['ldap', 'ldif']),
    description: str.describe('URL or file name; never credentials'),
    domainController: nstr,
  }),
  namingContexts: z.strictObject({
    configuration: dn,
    schema: dn,
    defaultDomain: dn,
    rootDomain: dn,
  }),
  searches: z.number().int().describe('LDAP searches issued'),
  durationMs: z.number().int(),
  warnings: z.array(Warning),
  replication: Replication.nullable().describe('change attribution; null in snapshots written before schema version 2'),
});
export type Metadata = z.infer<typeof Metadata>;

export const Snapshot = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  metadata: Metadata,
  organization: Organization,
  forest: Forest,
  servers: z.array(Server),
  storageGroups: z.array(StorageGroup),
  databases: z.array(Database),
  dags: z.array(Dag),
  virtualDirectories: z.array(VirtualDirectory),
  autodiscoverScps: z.array(AutodiscoverScp),
  popImapSettings: z.array(PopImapSettings),
  receiveConnectors: z.array(ReceiveConnector),
  sendConnectors: z.array(SendConnector),
  routingGroups: z.array(RoutingGroup),
  routingGroupConnectors: z.array(RoutingGroupConnector),
  acceptedDomains: z.array(AcceptedDomain),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** The part of a snapshot that must be byte-identical across harvests of an unchanged directory. */
export type SnapshotBody = Omit<Snapshot, 'metadata'>;

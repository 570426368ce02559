/**
 * TEST INPUT — a hand-built, realistic snapshot of a mixed Exchange 2003/2007/2010/2016
 * organization, used by the render tests until the harvested contoso fixture is available
 * (and kept afterwards because it covers cases the fixture may not: a non-default install
 * path, a DAG, Unicode names, a relay connector, a storage group with circular logging).
 * Every value is invented; nothing here comes from a real directory.
 */
import type { Snapshot } from '../../../src/snapshot/model.js';

const ROOT = 'DC=contoso,DC=com';
const CONFIG = `CN=Configuration,${ROOT}`;
const ORG = `CN=Contoso Zürich Ärzte,CN=Microsoft Exchange,CN=Services,${CONFIG}`;
const AG_LEGACY = `CN=First Administrative Group,CN=Administrative Groups,${ORG}`;
const AG = `CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${ORG}`;
const SITE = (s: string) => `CN=${s},CN=Sites,${CONFIG}`;

let guidCounter = 0;
/** deterministic fake GUIDs: the tests need stable identities, not real ones */
export function fakeGuid(): string {
  guidCounter += 1;
  const hex = guidCounter.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function ident(dn: string, name: string, raw: Record<string, string[]> = {}) {
  return { guid: fakeGuid(), dn, name, raw: { cn: [name], ...raw } };
}

const noTransport: Record<keyof Snapshot['servers'][number]['transportPaths'], string | null> = {
  messageTracking: null, receiveProtocolLog: null, sendProtocolLog: null, connectivityLog: null,
  pickupDirectory: null, replayDirectory: null, pipelineTracing: null, routingLog: null,
};

export function serverDn(name: string, legacy = false): string {
  return `CN=${name},CN=Servers,${legacy ? AG_LEGACY : AG}`;
}

type ServerInput = {
  name: string; legacy?: boolean; serial: string; version: Snapshot['servers'][number]['version'];
  roles: string[]; bitmask: number | null; installPath: string | null; dataPath: string | null;
  site: string | null; os: string; osVersion: string; sp: string | null; ips: string[];
  dag?: string | null; transport?: Partial<typeof noTransport>; legacyRole?: 'front-end' | 'back-end' | null;
};

export function makeServer(s: ServerInput): Snapshot['servers'][number] {
  const dn = serverDn(s.name, s.legacy);
  const fqdn = `${s.name.toLowerCase()}.contoso.com`;
  return {
    ...ident(dn, s.name, { serialNumber: [s.serial], msExchInstallPath: s.installPath ? [s.installPath] : [] }),
    adminGroup: s.legacy ? 'First Administrative Group' : 'Exchange Administrative Group (FYDIBOHF23SPDLT)',
    fqdn,
    serialNumber: s.serial,
    versionNumber: null,
    version: s.version,
    roles: s.roles,
    roleBitmask: s.bitmask,
    legacyServerRole: s.legacyRole ?? null,
    installPath: s.installPath,
    dataPath: s.dataPath,
    site: s.site ? SITE(s.site) : null,
    siteName: s.site,
    networkAddresses: [`ncacn_ip_tcp:${fqdn}`, `netbios:${s.name}`],
    routingGroup: s.legacy ? `CN=First Routing Group,CN=Routing Groups,${AG_LEGACY}` : null,
    dag: s.dag ?? null,
    computer: {
      dn: `CN=${s.name},OU=Exchange Servers,${ROOT}`,
      dnsHostName: fqdn,
      operatingSystem: s.os,
      operatingSystemVersion: s.osVersion,
      operatingSystemServicePack: s.sp,
    },
    ipAddresses: s.ips,
    transportPaths: { ...noTransport, ...(s.transport ?? {}) },
    transportServices: [],
    clusteredMailboxServer: null,
    internalTransportCertificate: null,
  };
}

function v(major: number, minor: number, build: number, revision: number, product: string, release: string | null) {
  const label = `${product}${release ? ` ${release}` : ''} (${major}.${minor}.${build}.${revision})`;
  return { major, minor, build, revision, product, release, label };
}

type DbInput = {
  name: string; server: string; sg?: string | null; kind?: 'mailbox' | 'public'; edb: string; stm?: string | null;
  log?: string | null; sys?: string | null; prefix?: string | null; mount?: boolean; restore?: boolean;
  mailboxes?: number | null; copies?: { server: string; pref: number; replayLag?: string; truncationLag?: string }[]; dag?: string | null;
  circular?: boolean;
};

export function makeDatabase(d: DbInput): Snapshot['databases'][number] {
  const dn = d.sg ? `CN=${d.name},${d.sg}` : `CN=${d.name},CN=Databases,${AG}`;
  return {
    ...ident(dn, d.name, { msExchEDBFile: [d.edb] }),
    kind: d.kind ?? 'mailbox',
    server: d.server,
    storageGroup: d.sg ?? null,
    masterServerOrDag: d.sg ? null : (d.dag ?? d.server),
    edbFilePath: d.edb,
    streamingFilePath: d.stm ?? null,
    logFolderPath: d.log ?? null,
    systemFolderPath: d.sys ?? null,
    logFilePrefix: d.prefix ?? null,
    circularLogging: d.sg ? null : (d.circular ?? false),
    mountAtStartup: d.mount ?? true,
    allowFileRestore: d.restore ?? false,
    recovery: false,
    mailboxCount: d.mailboxes ?? null,
    copies: (d.copies ?? []).map((c) => ({
      guid: fakeGuid(),
      dn: `CN=${c.server.toUpperCase()},${dn}`,
      server: serverDn(c.server),
      serverName: c.server.toUpperCase(),
      activationPreference: c.pref,
      replayLagTime: c.replayLag ?? '00:00:00',
      truncationLagTime: c.truncationLag ?? '00:00:00',
    })),
  };
}

function sg(server: string, name: string, log: string, sys: string, prefix: string, circular: boolean, legacy = false) {
  const dn = `CN=${name},CN=InformationStore,${serverDn(server, legacy)}`;
  return {
    ...ident(dn, name, { msExchESEParamLogFilePath: [log] }),
    server: serverDn(server, legacy),
    logFolderPath: log,
    systemFolderPath: sys,
    logFilePrefix: prefix,
    circularLogging: circular,
    recovery: false,
  };
}

function vdir(server: string, kind: Snapshot['virtualDirectories'][number]['kind'], cn: string, internalUrl: string | null, externalUrl: string | null) {
  const dn = `CN=${cn},CN=HTTP,CN=Protocols,${serverDn(server)}`;
  return {
    ...ident(dn, cn),
    server: serverDn(server),
    kind,
    website: 'Default Web Site',
    internalUrl,
    externalUrl,
    internalAuthentication: [],
    externalAuthentication: [],
    metabasePath: `IIS://${server.toLowerCase()}.contoso.com/W3SVC/1/ROOT/${cn.split(' ')[0]}`,
  };
}

function receiveConnector(server: string, name: string, bindings: string[], ranges: string[], fqdn: string) {
  const dn = `CN=${name},CN=SMTP Receive Connectors,CN=Protocols,${serverDn(server)}`;
  return {
    ...ident(dn, name),
    server: serverDn(server),
    enabled: true,
    bindings,
    fqdn,
    remoteIpRanges: ranges,
    permissionGroups: ['AnonymousUsers'],
    authMechanisms: ['Tls'],
    maxMessageSize: '10 MB (10,485,760 bytes)',
    tlsCertificateName: null,
  };
}

/** A fresh copy each call, so a test may mutate its own. */
export function sampleSnapshot(): Snapshot {
  guidCounter = 0;
  const E2003 = makeServer({
    name: 'EX2003', legacy: true, serial: 'Version 6.5 (Build 7638.2: Service Pack 2)',
    version: v(6, 5, 7638, 2, 'Exchange Server 2003', 'SP2'), roles: [], bitmask: null, legacyRole: 'back-end',
    installPath: 'C:\\Program Files\\Exchsrvr', dataPath: 'C:\\Program Files\\Exchsrvr', site: null,
    os: 'Windows Server 2003', osVersion: '5.2 (3790)', sp: 'Service Pack 2', ips: ['10.0.1.10'],
  });
  const E2007 = makeServer({
    name: 'EX2007', serial: 'Version 8.3 (Build 30083.6)', version: v(8, 3, 83, 6, 'Exchange Server 2007', 'SP3'),
    roles: ['ClientAccess', 'HubTransport', 'Mailbox'], bitmask: 38,
    installPath: 'D:\\Exchange Server', dataPath: 'D:\\Exchange Server\\Mailbox', site: 'Zürich',
    os: 'Windows Server 2003', osVersion: '5.2 (3790)', sp: 'Service Pack 2', ips: ['10.0.1.20'],
    transport: { messageTracking: 'D:\\Exchange Server\\TransportRoles\\Logs\\MessageTracking' },
  });
  const E2010A = makeServer({
    name: 'EX2010A', serial: 'Version 14.3 (Build 30123.4)', version: v(14, 3, 123, 4, 'Exchange Server 2010', 'SP3'),
    roles: ['ClientAccess', 'HubTransport', 'Mailbox'], bitmask: 38,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14', dataPath: null, site: 'Москва',
    os: 'Windows Server 2008 R2 Standard', osVersion: '6.1 (7601)', sp: 'Service Pack 1', ips: ['10.0.2.11'],
    dag: `CN=DAG1,CN=Database Availability Groups,${AG}`,
    transport: { receiveProtocolLog: 'L:\\TransportLogs\\ProtocolLog\\SmtpReceive' },
  });
  const E2016 = makeServer({
    name: 'EX2016', serial: 'Version 15.1 (Build 32507.6)', version: v(15, 1, 2507, 6, 'Exchange Server 2016', 'CU23'),
    roles: ['ClientAccess', 'FrontendTransport', 'HubTransport', 'Mailbox', 'UnifiedMessaging'], bitmask: 16439,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: 'Αθήνα',
    os: 'Windows Server 2016 Standard', osVersion: '10.0 (14393)', sp: null, ips: ['10.0.3.16', 'fd00::16'],
    transport: { messageTracking: 'E:\\Logs\\MessageTracking' },
  });
  E2016.internalTransportCertificate = {
    subject: 'CN=EX2016', issuer: 'CN=EX2016', serialNumber: '1A2B3C', thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
    notBefore: '2022-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z',
    subjectAltNames: ['DNS:EX2016', 'DNS:ex2016.contoso.com'], selfSigned: true,
  };

  const sg2003 = sg('EX2003', 'First Storage Group', 'C:\\Program Files\\Exchsrvr\\mdbdata', 'C:\\Program Files\\Exchsrvr\\mdbdata', 'E00', false, true);
  const sg2007a = sg('EX2007', 'First Storage Group', 'L:\\Logs\\SG1', 'L:\\Logs\\SG1', 'E00', false);
  const sg2007b = sg('EX2007', 'Public | Archive SG', 'L:\\Logs\\SG2', 'L:\\Logs\\SG2', 'E01', true);

  const dagDn = `CN=DAG1,CN=Database Availability Groups,${AG}`;
  const databases = [
    makeDatabase({ name: 'Mailbox Store (EX2003)', server: serverDn('EX2003', true), sg: sg2003.dn,
      edb: 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb', stm: 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.stm', mailboxes: 42 }),
    makeDatabase({ name: 'Public Folder Store (EX2003)', server: serverDn('EX2003', true), sg: sg2003.dn, kind: 'public',
      edb: 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.edb', stm: 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.stm' }),
    makeDatabase({ name: 'Mailbox Database', server: serverDn('EX2007'), sg: sg2007a.dn,
      edb: 'M:\\SG1\\Mailbox Database.edb', mailboxes: 310, restore: true }),
    makeDatabase({ name: 'Public Folder Database', server: serverDn('EX2007'), sg: sg2007b.dn, kind: 'public',
      edb: 'M:\\SG2\\Public Folder Database.edb', mount: false }),
    makeDatabase({ name: 'DB01', server: serverDn('EX2010A'), dag: dagDn, edb: 'E:\\DB01\\DB01.edb', log: 'F:\\DB01',
      sys: 'F:\\DB01', prefix: 'E00', mailboxes: 1250, copies: [{ server: 'EX2010A', pref: 1 }, { server: 'EX2010B', pref: 2 }] }),
    makeDatabase({ name: 'DB02', server: serverDn('EX2010B'), dag: dagDn, edb: 'E:\\DB02\\DB02.edb', log: 'F:\\DB02',
      sys: 'F:\\DB02', prefix: 'E01', mailboxes: 980, copies: [{ server: 'EX2010A', pref: 2 }, { server: 'EX2010B', pref: 1 }] }),
    makeDatabase({ name: 'DB2016-01', server: serverDn('EX2016'), edb: 'E:\\Databases\\DB2016-01\\DB2016-01.edb',
      log: 'F:\\Logs\\DB2016-01', sys: 'F:\\Logs\\DB2016-01', prefix: 'E02', mailboxes: 2048 }),
  ];

  const E2010B = makeServer({
    name: 'EX2010B', serial: 'Version 14.3 (Build 30123.4)', version: v(14, 3, 123, 4, 'Exchange Server 2010', 'SP3'),
    roles: ['Mailbox'], bitmask: 2, installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14', dataPath: null,
    site: 'Москва', os: 'Windows Server 2008 R2 Standard', osVersion: '6.1 (7601)', sp: 'Service Pack 1', ips: [], dag: dagDn,
  });

  return {
    schemaVersion: 5,
    metadata: {
      toolVersion: '0.1.0',
      harvestedAt: '2026-11-20T08:30:00Z',
      source: { kind: 'ldif', description: 'contoso-sample.ldif', domainController: 'dc1.contoso.com' },
      namingContexts: { configuration: CONFIG, schema: `CN=Schema,${CONFIG}`, defaultDomain: ROOT, rootDomain: ROOT },
      searches: 42,
      durationMs: 1234,
      warnings: [{ code: 'unknown-build', message: 'EX2010B: build 14.3.123.4 decoded from the version table', dn: null }],
      replication: null,
    },
    organization: {
      ...ident(ORG, 'Contoso Zürich Ärzte'),
      objectVersion: 16222,
      objectVersionRelease: 'Exchange Server 2016 CU23',
      adminGroups: [ident(AG, 'Exchange Administrative Group (FYDIBOHF23SPDLT)'), ident(AG_LEGACY, 'First Administrative Group')],
      cmdletExtensionAgents: [],
      authCertificate: null,
    },
    forest: {
      rootDomain: ROOT,
      functionalLevel: 4,
      functionalLevelName: 'Windows Server 2008 R2',
      exchangeSchemaVersion: 15334,
      exchangeSchemaRelease: 'Exchange Server 2016 CU21 or later',
      domains: [{ dn: ROOT, dnsName: 'contoso.com', functionalLevel: 4, functionalLevelName: 'Windows Server 2008 R2', exchangeSystemObjectsVersion: 13243 }],
      domainControllers: [
        { ...ident(`CN=DC1,CN=Servers,CN=Zürich,CN=Sites,${CONFIG}`, 'DC1'), fqdn: 'dc1.contoso.com', site: 'Zürich', domain: ROOT,
          isGlobalCatalog: true, isReadOnly: false, operatingSystem: 'Windows Server 2012 R2 Standard', operatingSystemVersion: '6.3 (9600)', ipAddresses: ['10.0.1.2'] },
        { ...ident(`CN=DC2,CN=Servers,CN=Москва,CN=Sites,${CONFIG}`, 'DC2'), fqdn: 'dc2.contoso.com', site: 'Москва', domain: ROOT,
          isGlobalCatalog: false, isReadOnly: true, operatingSystem: 'Windows Server 2016 Standard', operatingSystemVersion: '10.0 (14393)', ipAddresses: [] },
      ],
    },
    servers: [E2003, E2007, E2010A, E2010B, E2016],
    storageGroups: [sg2003, sg2007a, sg2007b],
    databases,
    dags: [{
      ...ident(dagDn, 'DAG1'), members: [serverDn('EX2010A'), serverDn('EX2010B')],
      witnessShare: '\\\\fs1.contoso.com\\DAG1.contoso.com', witnessServer: 'fs1.contoso.com',
      witnessDirectory: 'C:\\DAG1', alternateWitnessShare: null, alternateWitnessServer: null, alternateWitnessDirectory: null, ipv4Addresses: ['10.0.2.50'],
      datacenterActivationMode: 'Off',
    }],
    virtualDirectories: [
      vdir('EX2007', 'owa', 'owa (Default Web Site)', 'https://ex2007.contoso.com/owa', 'https://mail.contoso.com/owa'),
      vdir('EX2007', 'activesync', 'Microsoft-Server-ActiveSync (Default Web Site)', 'https://ex2007.contoso.com/Microsoft-Server-ActiveSync', 'https://mail.contoso.com/Microsoft-Server-ActiveSync'),
      vdir('EX2010A', 'owa', 'owa (Default Web Site)', 'https://ex2010a.contoso.com/owa', 'https://webmail.contoso.com/owa'),
      vdir('EX2010A', 'ews', 'EWS (Default Web Site)', 'https://ex2010a.contoso.com/EWS/Exchange.asmx', null),
      vdir('EX2016', 'owa', 'owa (Default Web Site)', 'https://ex2016.contoso.com/owa', 'https://mail.contoso.com/owa'),
      vdir('EX2016', 'ecp', 'ecp (Default Web Site)', 'https://ex2016.contoso.com/ecp', 'https://mail.contoso.com/ecp'),
      vdir('EX2016', 'activesync', 'Microsoft-Server-ActiveSync (Default Web Site)', 'https://ex2016.contoso.com/Microsoft-Server-ActiveSync', 'https://mail.contoso.com/Microsoft-Server-ActiveSync'),
      vdir('EX2016', 'mapi', 'mapi (Default Web Site)', 'https://ex2016.contoso.com/mapi', 'https://mail.contoso.com/mapi'),
      vdir('EX2016', 'autodiscover', 'Autodiscover (Default Web Site)', null, null),
    ],
    autodiscoverScps: [
      { ...ident(`CN=EX2007,CN=Autodiscover,CN=Protocols,${serverDn('EX2007')}`, 'EX2007'), server: serverDn('EX2007'),
        url: 'https://ex2007.contoso.com/Autodiscover/Autodiscover.xml', siteScope: ['Zürich'] },
      { ...ident(`CN=EX2016,CN=Autodiscover,CN=Protocols,${serverDn('EX2016')}`, 'EX2016'), server: serverDn('EX2016'),
        url: 'https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml', siteScope: ['Αθήνα'] },
    ],
    popImapSettings: [],
    receiveConnectors: [
      receiveConnector('EX2007', 'Default EX2007', ['0.0.0.0:25'], ['0.0.0.0-255.255.255.255'], 'ex2007.contoso.com'),
      receiveConnector('EX2007', 'Relay | Scanners', ['10.0.1.20:25'], ['10.0.5.0/24', '10.0.6.7'], 'relay.contoso.com'),
      receiveConnector('EX2016', 'Default Frontend EX2016', ['0.0.0.0:25', '[::]:25'], ['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], 'ex2016.contoso.com'),
      receiveConnector('EX2016', 'App Relay', ['0.0.0.0:2525'], ['10.0.9.15', '10.0.9.16'], 'ex2016.contoso.com'),
    ],
    sendConnectors: [{
      ...ident(`CN=Internet,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,${AG}`, 'Internet'),
      routingGroup: null, enabled: true, addressSpaces: ['SMTP:*;1'], smartHosts: ['smtp.provider.example'],
      sourceServers: [serverDn('EX2016'), serverDn('EX2007')], port: 25, fqdn: 'mail.contoso.com', tlsCertificateName: null,
    }],
    routingGroups: [{ ...ident(`CN=First Routing Group,CN=Routing Groups,${AG_LEGACY}`, 'First Routing Group'),
      adminGroup: 'First Administrative Group', masterServer: serverDn('EX2003', true) }],
    routingGroupConnectors: [],
    acceptedDomains: [
      { ...ident(`CN=contoso.com,CN=Accepted Domains,CN=Transport Settings,${ORG}`, 'contoso.com'), domainName: 'contoso.com', type: 'Authoritative', isDefault: true },
      { ...ident(`CN=contoso.ch,CN=Accepted Domains,CN=Transport Settings,${ORG}`, 'contoso.ch'), domainName: 'contoso.ch', type: 'Authoritative', isDefault: false },
      { ...ident(`CN=partner.example,CN=Accepted Domains,CN=Transport Settings,${ORG}`, 'partner.example'), domainName: 'partner.example', type: 'InternalRelay', isDefault: false },
    ],
  };
}

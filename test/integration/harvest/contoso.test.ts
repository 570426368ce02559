/**
 * Harvest of the contoso.test DC (mixed 2003/2007/2010 DAG/2016/2019 org)
 * over LDAPS: every server, storage group, database and path value, the DAG
 * and its copies, URLs, connectors, domains, certificates, DCs and forest
 * facts, against the fixture loaded into the DC (fixtures/orgs/contoso.ldif).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { AG07, contoso, dns, fixturePermissionGroups, fixtureThumbprint, harvestLive } from './helpers.js';

const dc = contoso();
const d = dns(dc);
const AG03 = 'First Administrative Group';
let s: Snapshot;

beforeAll(async () => {
  s = await harvestLive(dc);
});

const byName = <T extends { name: string }>(list: readonly T[], name: string): T => {
  const hit = list.filter((x) => x.name === name);
  if (hit.length !== 1) throw new Error(`${hit.length} objects named ${name}`);
  return hit[0]!;
};
const V15 = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15';
const V14 = 'C:\\Program Files\\Microsoft\\Exchange Server\\V14';
const SITE = 'Default-First-Site-Name';

describe('servers', () => {
  it('are exactly the eight Exchange servers (no transport-configuration children)', () => {
    expect(s.servers.map((x) => x.dn).sort()).toEqual(
      [d.server('EX2003', AG03), d.server('EX2007'), d.server('EX2010A'), d.server('EX2010B'), d.server('EX2016'), d.server('EX2019'),
        d.server('EDGE01'), d.server('EXCMS01')].sort(),
    );
  });

  it.each([
    // name, admin group, serialNumber, versionNumber, label, roles, bitmask, legacy role, install path, data path, site, IP, OS, OS version, SP
    ['EX2003', AG03, 'Version 6.5 (Build 7638.2: Service Pack 2)', 7638, 'Exchange Server 2003 SP2 (6.5.7638.2)', [], null, 'back-end',
      'C:\\Program Files\\Exchsrvr', 'C:\\Program Files\\Exchsrvr', null, '10.0.1.10', 'Windows Server 2003', '5.2 (3790)', 'Service Pack 2'],
    ['EX2007', AG07, 'Version 8.3 (Build 30083.6)', 1912832083, 'Exchange Server 2007 SP3 (8.3.83.6)', ['ClientAccess', 'HubTransport', 'Mailbox'], 38, null,
      'D:\\Exchange Server', 'D:\\Exchange Server\\Mailbox', SITE, '10.0.1.20', 'Windows Server 2008 R2 Enterprise', '6.1 (7601)', 'Service Pack 1'],
    ['EX2010A', AG07, 'Version 14.3 (Build 30123.4)', 1937997947, 'Exchange Server 2010 SP3 (14.3.123.4)', ['ClientAccess', 'HubTransport', 'Mailbox'], 38, null,
      V14, `${V14}\\Mailbox`, SITE, '10.0.1.31', 'Windows Server 2008 R2 Enterprise', '6.1 (7601)', 'Service Pack 1'],
    ['EX2010B', AG07, 'Version 14.3 (Build 30123.4)', 1937997947, 'Exchange Server 2010 SP3 (14.3.123.4)', ['ClientAccess', 'HubTransport', 'Mailbox'], 38, null,
      V14, `${V14}\\Mailbox`, 'Zurich', '10.0.2.32', 'Windows Server 2008 R2 Enterprise', '6.1 (7601)', 'Service Pack 1'],
    ['EX2016', AG07, 'Version 15.1 (Build 32507.6)', 1942063563, 'Exchange Server 2016 CU23 (15.1.2507.6)', ['Mailbox'], 16439, null,
      V15, `${V15}\\Mailbox`, SITE, '10.0.1.40', 'Windows Server 2016 Standard', '10.0 (14393)', null],
    // 16423: a real 2019 Mailbox server has no UnifiedMessaging bit
    ['EX2019', AG07, 'Version 15.2 (Build 31748.10)', 1942128340, 'Exchange Server 2019 CU15 (15.2.1748.10)', ['Mailbox'], 16423, null,
      V15, `${V15}\\Mailbox`, SITE, '10.0.1.41', 'Windows Server 2019 Standard', '10.0 (17763)', null],
    ['EXCMS01', AG07, 'Version 8.3 (Build 30083.6)', 1912832083, 'Exchange Server 2007 SP3 (8.3.83.6)', ['Mailbox'], 2, null,
      'C:\\Program Files\\Microsoft\\Exchange Server', 'C:\\Program Files\\Microsoft\\Exchange Server\\Mailbox', SITE, '10.0.1.25',
      'Windows Server 2008 Enterprise', '6.0 (6002)', 'Service Pack 2'],
  ] as const)('%s', (name, ag, serial, versionNumber, label, roles, bitmask, legacy, install, data, site, ip, os, osVersion, sp) => {
    const x = byName(s.servers, name);
    expect(x.adminGroup).toBe(ag);
    expect(x.fqdn).toBe(`${name.toLowerCase()}.contoso.test`);
    expect(x.serialNumber).toBe(serial);
    expect(x.versionNumber).toBe(versionNumber);
    expect(x.version?.label).toBe(label);
    expect(x.roles).toEqual(roles);
    expect(x.roleBitmask).toBe(bitmask);
    expect(x.legacyServerRole).toBe(legacy);
    expect(x.installPath).toBe(install);
    expect(x.dataPath).toBe(data);
    expect(x.siteName).toBe(site);
    expect(x.site).toBe(site ? d.site(site) : null);
    expect(x.ipAddresses).toEqual([ip]);
    expect(x.computer).toEqual({
      dn: `CN=${name},CN=Computers,${dc.baseDn}`, dnsHostName: `${name.toLowerCase()}.contoso.test`,
      operatingSystem: os, operatingSystemVersion: osVersion, operatingSystemServicePack: sp,
    });
    expect(x.networkAddresses).toContain(`ncacn_ip_tcp:${name.toLowerCase()}.contoso.test`);
    expect(x.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('DAG membership, routing groups, transport paths', () => {
    expect(byName(s.servers, 'EX2010A').dag).toBe(d.dag('DAG1'));
    expect(byName(s.servers, 'EX2010B').dag).toBe(d.dag('DAG1'));
    expect(byName(s.servers, 'EX2016').dag).toBeNull();
    expect(byName(s.servers, 'EX2003').routingGroup).toBe(d.routingGroup('First Routing Group', AG03));
    const logs = `${V15}\\TransportRoles\\Logs`;
    expect(byName(s.servers, 'EX2019').transportPaths).toEqual({
      messageTracking: `${logs}\\MessageTracking`,
      receiveProtocolLog: `${logs}\\ProtocolLog\\SmtpReceive`,
      sendProtocolLog: `${logs}\\ProtocolLog\\SmtpSend`,
      connectivityLog: `${logs}\\Connectivity`,
      pickupDirectory: `${V15}\\TransportRoles\\Pickup`,
      replayDirectory: `${V15}\\TransportRoles\\Replay`,
      pipelineTracing: `${logs}\\PipelineTracing`,
      routingLog: `${logs}\\Routing`,
    });
  });

  it('2013+ Frontend / Mailbox transport services with their own log paths (a drive only they use)', () => {
    const t = byName(s.servers, 'EX2019').transportServices;
    expect(t.map((x) => [x.service, x.dn])).toEqual([
      ['FrontendTransport', `CN=Frontend,CN=Transport Configuration,${d.server('EX2019')}`],
      ['MailboxTransport', `CN=Mailbox,CN=Transport Configuration,${d.server('EX2019')}`],
    ]);
    expect(t[0]!.paths.receiveProtocolLog).toBe('T:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive');
    expect(t[1]!.paths.connectivityLog).toBe(`${V15}\\TransportRoles\\Logs\\Mailbox\\Connectivity`);
    expect(byName(s.servers, 'EX2010A').transportServices).toEqual([]);
  });

  it('Edge Transport (subscribed): in AD without a computer account; 2007 clustered mailbox server', () => {
    const edge = byName(s.servers, 'EDGE01');
    expect([edge.roles, edge.roleBitmask, edge.computer, edge.version?.label]).toEqual([['Edge'], 64, null, 'Exchange Server 2016 CU23 (15.1.2507.6)']);
    expect(byName(s.servers, 'EXCMS01').clusteredMailboxServer).toEqual({ storageType: 'CCR', nodes: ['EXCMS01-N1', 'EXCMS01-N2'] });
    expect(byName(s.servers, 'EX2007').clusteredMailboxServer).toBeNull();
  });

  it('the Scripting Agent and its state', () => {
    expect(s.organization.cmdletExtensionAgents).toEqual([{
      dn: `CN=Scripting Agent,CN=CmdletExtensionAgents,CN=Global Settings,${dc.org.dn}`, name: 'Scripting Agent', enabled: true, isSystem: false,
    }]);
  });

  it('internal transport certificates (DER from the server object)', () => {
    for (const [name, notAfter] of [['EX2016', '2029-01-15T00:00:00.000Z'], ['EX2019', '2030-03-01T00:00:00.000Z']] as const) {
      const c = byName(s.servers, name).internalTransportCertificate!;
      expect(c.subject).toBe(`CN=${name}`);
      expect(c.issuer).toBe(`CN=${name}`);
      expect(c.selfSigned).toBe(true);
      expect(c.subjectAltNames).toEqual([`DNS:${name}`, `DNS:${name.toLowerCase()}.contoso.test`]);
      expect(c.notAfter).toBe(notAfter);
      expect(c.thumbprint).toBe(fixtureThumbprint('contoso.ldif', name));
    }
    expect(byName(s.servers, 'EX2007').internalTransportCertificate).toBeNull();
  });
});

describe('storage groups and databases', () => {
  it('storage groups (2003/2007), names with escaped commas and umlauts intact', () => {
    const sgs = s.storageGroups.map((g) => [g.server, g.name, g.logFolderPath, g.systemFolderPath, g.logFilePrefix, g.circularLogging, g.recovery]);
    expect(sgs).toEqual([
      [d.server('EX2003', AG03), 'First Storage Group', 'C:\\Program Files\\Exchsrvr\\mdbdata', 'C:\\Program Files\\Exchsrvr\\mdbdata', 'E00', false, false],
      [d.server('EX2007'), 'First Storage Group', 'E:\\Logs\\SG1', 'E:\\Logs\\SG1', 'E00', false, false],
      [d.server('EX2007'), 'Recovery Storage Group', 'F:\\RSG\\Logs', 'F:\\RSG', 'R00', false, true],
      [d.server('EXCMS01'), 'SG1 CMS', 'G:\\Logs\\SG1 CMS', 'G:\\Logs\\SG1 CMS', 'E00', false, false],
      [d.server('EX2007'), 'SG2, Finance', 'L:\\Logs\\SG2, Finance', 'L:\\Logs\\SG2, Finance', 'E01', true, false],
      [d.server('EX2007'), 'SG3 Zürich', 'E:\\Logs\\SG3', 'E:\\Logs\\SG3', 'E02', false, false],
    ]);
    expect(byName(s.storageGroups, 'SG2, Finance').dn).toBe(`CN=SG2\\, Finance,CN=InformationStore,${d.server('EX2007')}`);
  });

  it.each([
    // name, kind, server, storage group, EDB, STM, log folder, system folder, prefix, circular, mount at startup, allow restore, recovery, mailboxes
    ['Mailbox Store (EX2003)', 'mailbox', 'EX2003', 'First Storage Group', 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb', 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.stm', null, null, null, null, true, false, false, 3],
    ['Public Folder Store (EX2003)', 'public', 'EX2003', 'First Storage Group', 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.edb', 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.stm', null, null, null, null, true, false, false, 0],
    ['Mailbox Database', 'mailbox', 'EX2007', 'First Storage Group', 'D:\\Databases\\SG1\\Mailbox Database.edb', null, null, null, null, null, true, false, false, 4],
    ['Public Folder Database', 'public', 'EX2007', 'First Storage Group', 'D:\\Databases\\SG1\\Public Folder Database.edb', null, null, null, null, null, true, false, false, 0],
    ['Finance', 'mailbox', 'EX2007', 'SG2, Finance', 'F:\\Databases\\SG2\\Finance.edb', null, null, null, null, null, true, false, false, 3],
    ['Zürich Ärzte', 'mailbox', 'EX2007', 'SG3 Zürich', 'F:\\Databases\\SG3\\Zürich Ärzte.edb', null, null, null, null, null, true, false, false, 2],
    ['Mailbox Database (Recovery)', 'mailbox', 'EX2007', 'Recovery Storage Group', 'F:\\RSG\\Mailbox Database.edb', null, null, null, null, null, false, false, false, 0],
    ['DB2010-01', 'mailbox', 'EX2010A', null, 'E:\\Databases\\DB2010-01\\DB2010-01.edb', null, 'L:\\Logs\\DB2010-01', 'L:\\Logs\\DB2010-01', 'E00', false, true, false, false, 5],
    ['DB2010-02', 'mailbox', 'EX2010B', null, 'E:\\Databases\\DB2010-02\\DB2010-02.edb', null, 'L:\\Logs\\DB2010-02', 'L:\\Logs\\DB2010-02', 'E01', false, true, false, false, 4],
    ['DB2016-01', 'mailbox', 'EX2016', null, 'D:\\ExchangeDatabases\\DB2016-01\\DB2016-01.edb', null, 'D:\\ExchangeLogs\\DB2016-01', 'D:\\ExchangeLogs\\DB2016-01', 'E00', false, true, false, false, 3],
    ['CMS Mailbox Database', 'mailbox', 'EXCMS01', 'SG1 CMS', 'H:\\Databases\\SG1 CMS\\CMS Mailbox Database.edb', null, null, null, null, null, true, false, false, 2],
    ['DB2019-01', 'mailbox', 'EX2019', null, 'D:\\ExchangeDatabases\\DB2019-01\\DB2019-01.edb', null, 'D:\\ExchangeLogs\\DB2019-01', 'D:\\ExchangeLogs\\DB2019-01', 'E00', true, true, false, false, 6],
  ] as const)('%s', (name, kind, server, sg, edb, stm, log, sys, prefix, circular, mount, restore, recovery, mailboxes) => {
    const db = byName(s.databases, name);
    const serverDn = server === 'EX2003' ? d.server(server, AG03) : d.server(server);
    expect(db.kind).toBe(kind);
    expect(db.server).toBe(serverDn);
    expect(db.storageGroup).toBe(sg === null ? null : byName(s.storageGroups.filter((g) => g.server === serverDn), sg).dn);
    expect(db.edbFilePath).toBe(edb);
    expect(db.streamingFilePath).toBe(stm);
    expect(db.logFolderPath).toBe(log);
    expect(db.systemFolderPath).toBe(sys);
    expect(db.logFilePrefix).toBe(prefix);
    expect(db.circularLogging).toBe(circular);
    expect(db.mountAtStartup).toBe(mount);
    expect(db.allowFileRestore).toBe(restore);
    expect(db.recovery).toBe(recovery);
    expect(db.mailboxCount).toBe(mailboxes);
  });

  it('2010+ databases: DAG or server as master, copies with activation preference and lag', () => {
    const copies = (name: string) => byName(s.databases, name).copies.map((c) => [c.serverName, c.server, c.activationPreference, c.replayLagTime, c.truncationLagTime]);
    expect(byName(s.databases, 'DB2010-01').masterServerOrDag).toBe(d.dag('DAG1'));
    expect(copies('DB2010-01')).toEqual([
      ['EX2010A', d.server('EX2010A'), 1, '00:00:00', '00:00:00'],
      ['EX2010B', d.server('EX2010B'), 2, '00:00:00', '00:00:00'],
    ]);
    expect(copies('DB2010-02')).toEqual([
      // AD holds 604800 and 86400 seconds; the cmdlets' TimeSpan form is what the runbook needs
      ['EX2010A', d.server('EX2010A'), 2, '7.00:00:00', '1.00:00:00'],
      ['EX2010B', d.server('EX2010B'), 1, '00:00:00', '00:00:00'],
    ]);
    expect(byName(s.databases, 'DB2019-01').masterServerOrDag).toBe(d.server('EX2019'));
    expect(copies('DB2019-01')).toEqual([['EX2019', d.server('EX2019'), 1, '00:00:00', '00:00:00']]);
    expect(s.databases).toHaveLength(12);
  });

  it('the DAG', () => {
    expect(s.dags).toHaveLength(1);
    const dag = s.dags[0]!;
    expect(dag.dn).toBe(d.dag('DAG1'));
    expect(dag.members).toEqual([d.server('EX2010A'), d.server('EX2010B')]);
    expect([dag.witnessShare, dag.witnessServer, dag.witnessDirectory, dag.alternateWitnessShare, dag.alternateWitnessServer, dag.alternateWitnessDirectory]).toEqual([
      '\\\\fs01.contoso.test\\DAG1.contoso.test', 'fs01.contoso.test', 'C:\\DAGFileShareWitnesses\\DAG1.contoso.test',
      '\\\\fs02.contoso.test\\DAG1.contoso.test', 'fs02.contoso.test', 'C:\\DAGFileShareWitnesses\\DAG1.contoso.test',
    ]);
    // the DAG spans both AD sites
    expect(dag.ipv4Addresses).toEqual(['10.0.1.50', '10.0.2.50']);
    expect(dag.datacenterActivationMode).toBe('DagOnly');
  });
});

describe('client access', () => {
  it('virtual directories of both web sites with URLs and authentication', () => {
    const row = (server: string, name: string) => {
      const v = s.virtualDirectories.find((x) => x.server === d.server(server) && x.name === name)!;
      return [v.kind, v.website, v.internalUrl, v.externalUrl, v.internalAuthentication, v.externalAuthentication];
    };
    expect(s.virtualDirectories).toHaveLength(35);
    for (const ex of ['EX2016', 'EX2019']) {
      const h = ex.toLowerCase();
      expect(row(ex, 'owa (Default Web Site)')).toEqual(['owa', 'Default Web Site', 'https://mail.contoso.test/owa', 'https://mail.contoso.com/owa', ['Basic', 'Fba'], ['Basic', 'Fba']]);
      expect(row(ex, 'owa (Exchange Back End)')).toEqual(['owa', 'Exchange Back End', `https://${h}.contoso.test:444/owa`, null, ['Basic', 'Fba'], []]);
      expect(row(ex, 'ecp (Default Web Site)')).toEqual(['ecp', 'Default Web Site', 'https://mail.contoso.test/ecp', 'https://mail.contoso.com/ecp', ['Basic', 'Fba'], ['Basic', 'Fba']]);
      expect(row(ex, 'EWS (Default Web Site)')).toEqual(['ews', 'Default Web Site', 'https://mail.contoso.test/EWS/Exchange.asmx', 'https://mail.contoso.com/EWS/Exchange.asmx', ['Ntlm', 'OAuth', 'WindowsIntegrated'], ['Ntlm', 'OAuth', 'WindowsIntegrated']]);
      expect(row(ex, 'Microsoft-Server-ActiveSync (Default Web Site)')).toEqual(['activesync', 'Default Web Site', 'https://mail.contoso.test/Microsoft-Server-ActiveSync', 'https://mail.contoso.com/Microsoft-Server-ActiveSync', ['Basic'], ['Basic']]);
      expect(row(ex, 'OAB (Default Web Site)')).toEqual(['oab', 'Default Web Site', 'https://mail.contoso.test/OAB', 'https://mail.contoso.com/OAB', ['OAuth', 'WindowsIntegrated'], ['OAuth', 'WindowsIntegrated']]);
      expect(row(ex, 'mapi (Default Web Site)')).toEqual(['mapi', 'Default Web Site', 'https://mail.contoso.test/mapi', 'https://mail.contoso.com/mapi', ['Negotiate', 'Ntlm', 'OAuth'], ['Negotiate', 'Ntlm', 'OAuth']]);
      expect(row(ex, 'PowerShell (Default Web Site)')).toEqual(['powershell', 'Default Web Site', `http://${h}.contoso.test/powershell`, null, ['None'], ['None']]);
      expect(row(ex, 'Autodiscover (Default Web Site)')).toEqual(['autodiscover', 'Default Web Site', 'https://mail.contoso.test/Autodiscover/Autodiscover.xml', 'https://mail.contoso.com/Autodiscover/Autodiscover.xml', ['Basic', 'Ntlm', 'OAuth', 'WindowsIntegrated'], ['Basic', 'Ntlm', 'OAuth', 'WindowsIntegrated']]);
      expect(row(ex, 'Rpc (Default Web Site)')).toEqual(['rpchttp', 'Default Web Site', 'https://mail.contoso.test/rpc/rpcproxy.dll', 'https://mail.contoso.com/rpc/rpcproxy.dll', ['Ntlm'], ['Ntlm']]);
    }
    expect(row('EX2007', 'owa (Default Web Site)')).toEqual(['owa', 'Default Web Site', 'https://ex2007.contoso.test/owa', null, ['Fba'], []]);
    expect(s.virtualDirectories.find((v) => v.name === 'owa (Default Web Site)' && v.server === d.server('EX2019'))!.metabasePath).toBe('IIS://ex2019.contoso.test/W3SVC/1/ROOT/owa');
  });

  it('Autodiscover service connection points', () => {
    expect(s.autodiscoverScps.map((x) => [x.server, x.url, x.siteScope])).toEqual([
      [d.server('EX2016'), 'https://autodiscover.contoso.test/Autodiscover/Autodiscover.xml', [SITE]],
      [d.server('EX2019'), 'https://autodiscover.contoso.test/Autodiscover/Autodiscover.xml', [SITE]],
    ]);
  });
});

describe('transport', () => {
  it('receive connectors: bindings, FQDN, relay ranges, authentication', () => {
    const rc = (name: string) => {
      const r = byName(s.receiveConnectors, name);
      return [r.server, r.enabled, r.bindings, r.fqdn, r.remoteIpRanges, r.authMechanisms, r.maxMessageSize];
    };
    const ANY4 = '0.0.0.0-255.255.255.255';
    const ANY6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const DEFAULT_AUTH = ['BasicAuth', 'ExchangeServer', 'Integrated', 'Tls'];
    expect(s.receiveConnectors).toHaveLength(10);
    expect(rc('Relay EX2019')).toEqual([d.server('EX2019'), true, ['10.0.1.41:25'], 'relay.contoso.test',
      ['10.0.20.15', '10.0.20.16', '10.0.30.0/24', '10.0.40.10-10.0.40.20'], ['None'], '37748736']);
    expect(rc('Default EX2007')).toEqual([d.server('EX2007'), true, ['0.0.0.0:25'], 'ex2007.contoso.test', [ANY4], DEFAULT_AUTH, '37748736']);
    expect(rc('Default Frontend EX2016')).toEqual([d.server('EX2016'), true, ['0.0.0.0:25', '[::]:25'], 'ex2016.contoso.test', [ANY4, ANY6], DEFAULT_AUTH, '37748736']);
    expect(rc('Default EX2019')).toEqual([d.server('EX2019'), true, ['0.0.0.0:2525', '[::]:2525'], 'ex2019.contoso.test', [ANY4, ANY6], DEFAULT_AUTH, '37748736']);
    expect(rc('Client Frontend EX2019')).toEqual([d.server('EX2019'), true, ['0.0.0.0:587', '[::]:587'], 'ex2019.contoso.test', [ANY4, ANY6], ['BasicAuth', 'Integrated', 'Tls'], '37748736']);
    // msExchSmtpTLSCertificate: "<I>issuer<S>subject" of the certificate the connector must be given again
    expect(byName(s.receiveConnectors, 'Relay EX2019').tlsCertificateName).toBe('<I>CN=Contoso Issuing CA 1, DC=contoso, DC=test<S>CN=relay.contoso.test');
    expect(byName(s.receiveConnectors, 'Default EX2019').tlsCertificateName).toBeNull();
  });

  it('receive connector permission groups from the connector ACLs', () => {
    for (const r of s.receiveConnectors) expect([r.name, r.permissionGroups]).toEqual([r.name, fixturePermissionGroups('contoso.ldif', r.name)]);
    expect(byName(s.receiveConnectors, 'Relay EX2019').permissionGroups).toContain('AnonymousUsers');
    expect(byName(s.receiveConnectors, 'Client Frontend EX2019').permissionGroups).toEqual(['ExchangeUsers']);
    expect(s.metadata.warnings.filter((w) => w.code === 'permissions-unreadable')).toEqual([]);
  });

  it('send connectors, routing groups and their connectors', () => {
    const sc = byName(s.sendConnectors, 'Internet');
    expect([sc.routingGroup, sc.enabled, sc.addressSpaces, sc.smartHosts, sc.sourceServers, sc.port, sc.fqdn, sc.tlsCertificateName]).toEqual([
      d.routingGroup('Exchange Routing Group (DWBGZMFD01QNBJR)', AG07), true, ['SMTP:*;1'], ['smtp.relay.contoso.example'],
      [d.server('EX2016'), d.server('EX2019')], 587, 'mail.contoso.com', '<I>CN=Contoso Issuing CA 1, DC=contoso, DC=test<S>CN=mail.contoso.com',
    ]);
    const legacy = byName(s.sendConnectors, 'Internet Mail SMTP Connector (EX2003)');
    expect([legacy.routingGroup, legacy.addressSpaces, legacy.smartHosts, legacy.sourceServers]).toEqual([
      d.routingGroup('First Routing Group', AG03), ['SMTP:*;1'], ['[10.0.9.25]'], [d.server('EX2003', AG03)],
    ]);
    expect(s.routingGroups.map((r) => [r.dn, r.adminGroup, r.masterServer])).toEqual([
      [d.routingGroup('Exchange Routing Group (DWBGZMFD01QNBJR)', AG07), AG07, null],
      [d.routingGroup('First Routing Group', AG03), AG03, d.server('EX2003', AG03)],
    ]);
    expect(s.routingGroupConnectors.map((c) => [c.name, c.routingGroup, c.targetRoutingGroup, c.sourceServers, c.targetServers, c.cost])).toEqual([
      ['Exchange Routing Group to First Routing Group', d.routingGroup('Exchange Routing Group (DWBGZMFD01QNBJR)', AG07), d.routingGroup('First Routing Group', AG03), [d.server('EX2007')], [d.server('EX2003', AG03)], 1],
      ['First Routing Group to Exchange Routing Group', d.routingGroup('First Routing Group', AG03), d.routingGroup('Exchange Routing Group (DWBGZMFD01QNBJR)', AG07), [d.server('EX2003', AG03)], [d.server('EX2007')], 1],
    ]);
  });

  it('accepted domains', () => {
    expect(s.acceptedDomains.map((a) => [a.domainName, a.type, a.isDefault])).toEqual([
      ['contoso.test', 'Authoritative', true],
      ['partner.contoso.test', 'InternalRelay', false],
    ]);
  });
});

describe('organization, forest and domain controllers', () => {
  it('organization and preparation levels', () => {
    expect(s.organization.dn).toBe(dc.org.dn);
    expect(s.organization.name).toBe('Contoso');
    expect(s.organization.objectVersion).toBe(16763);
    expect(s.organization.objectVersionRelease).toBe('Exchange Server 2019 CU15 or Exchange Server SE RTM');
    expect(s.organization.adminGroups.map((a) => a.name).sort()).toEqual([AG07, AG03].sort());
    expect(s.forest.exchangeSchemaVersion).toBe(17003);
    expect(s.forest.exchangeSchemaRelease).toBe('Exchange Server 2019 CU10–CU15 or Exchange Server SE RTM');
    expect(s.forest.rootDomain).toBe(dc.baseDn);
    expect(s.forest.domains).toEqual([
      { dn: dc.baseDn, dnsName: 'contoso.test', functionalLevel: 4, functionalLevelName: 'Windows Server 2008 R2', exchangeSystemObjectsVersion: 13243 },
    ]);
    expect([s.forest.functionalLevel, s.forest.functionalLevelName]).toEqual([4, 'Windows Server 2008 R2']);
  });

  it('the domain controller, its site, GC role and address from DNS', () => {
    expect(s.forest.domainControllers).toHaveLength(1);
    const x = s.forest.domainControllers[0]!;
    expect([x.fqdn, x.site, x.domain, x.isGlobalCatalog, x.isReadOnly, x.ipAddresses, x.operatingSystem]).toEqual([
      dc.host, SITE, dc.baseDn, true, false, [dc.ip], 'Samba',
    ]);
  });

  it('metadata: bounded searches, source, and only the warnings that say the recovery needs care', () => {
    expect(s.metadata.source).toEqual({ kind: 'ldap', description: expect.stringContaining(dc.host), domainController: dc.host });
    expect(s.metadata.searches).toBeGreaterThanOrEqual(7);
    expect(s.metadata.searches).toBeLessThanOrEqual(12);
    expect(s.metadata.warnings.map((w) => [w.code, w.dn]).sort()).toEqual([
      ['clustered-mailbox-server', d.server('EXCMS01')],
      ['recovery-storage-group', `CN=Recovery Storage Group,CN=InformationStore,${d.server('EX2007')}`],
      ['scripting-agent-enabled', `CN=Scripting Agent,CN=CmdletExtensionAgents,CN=Global Settings,${dc.org.dn}`],
      ['witness-not-in-ad-dns', d.dag('DAG1')],
    ]);
    expect(s.metadata.warnings.find((w) => w.code === 'witness-not-in-ad-dns')?.message).toContain('\\\\fs02.contoso.test\\DAG1.contoso.test');
    expect(s.metadata.harvestedAt).toBe('2026-11-25T12:00:00.000Z');
  });

  it('metadata: replPropertyMetaData read as the ordinary reader, ids named, the DC named', () => {
    const r = s.metadata.replication!;
    expect([r.status, r.note]).toEqual(['read', null]);
    expect(Object.values(r.dcs)).toEqual([dc.host]);
    const edb = s.databases.find((d) => d.name === 'DB2019-01')!;
    const m = r.objects[edb.guid]!;
    const [version, changedAt, on] = m['msExchEDBFile']!.split(' ');
    expect(Number(version)).toBeGreaterThanOrEqual(1);
    expect(on).toBe(dc.host);
    expect(Date.parse(changedAt!)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    // an Exchange attribute by its msDS-IntId (Samba assigns ids with the top bit set), cn by the built-in prefix 2.5.4
    expect(Object.entries(r.attributeIds).find(([, n]) => n === 'msExchEDBFile')![0]).toMatch(/^[89a-f]/);
    expect(r.attributeIds['00000003']).toBe('cn');
  });
});

/**
 * The runbook of each server class follows the procedure Microsoft documents for
 * it (docs/recovery-procedures.md). Expected command lines are written out here
 * from Microsoft's pages (cmdlet, parameter, value shape), not from our builder.
 */
import { describe, expect, it } from 'vitest';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { parseSupplement } from '../../../src/render/supplement.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { makeDatabase, makeServer, sampleSnapshot, serverDn } from './sample-snapshot.js';
import { section, TEMPLATES } from './helpers.js';

function runbookOf(snap: Snapshot, server: string, supplement: string | null = null): string {
  const sup = supplement ? parseSupplement(supplement, 's.yaml', snap) : null;
  return section(renderMarkdown(buildView(snap, { supplement: sup, drift: null }), { templatesDir: TEMPLATES }), `Recovery runbook: ${server}`);
}

/** Positions of the needles in the text, asserting each is there: for "A comes before B". */
function order(text: string, ...needles: string[]): number[] {
  return needles.map((n) => {
    const i = text.indexOf(n);
    expect(i, `missing: ${n}`).toBeGreaterThanOrEqual(0);
    return i;
  });
}
const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

const AG = 'CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso Zürich Ärzte,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';
const DAG1 = `CN=DAG1,CN=Database Availability Groups,${AG}`;

describe('DAG member (Recover a database availability group member server)', () => {
  const snap = sampleSnapshot();
  // EX2010A holds: DB01 (active copy, preference 1), DB02 (lagged passive copy), DB03 (its only copy)
  const db02 = snap.databases.find((d) => d.name === 'DB02')!;
  const lagged = db02.copies.find((c) => c.serverName === 'EX2010A')!;
  lagged.replayLagTime = '7.00:00:00';
  lagged.truncationLagTime = '1.00:00:00';
  snap.databases.push(makeDatabase({ name: 'DB03', server: serverDn('EX2010A'), dag: DAG1, edb: 'G:\\DB03\\DB03.edb', log: 'G:\\DB03', copies: [{ server: 'EX2010A', pref: 1 }] }));
  const rb = runbookOf(snap, 'EX2010A');

  it('records and removes each copy on the failed server, then removes it from the DAG configuration only, then evicts the node', () => {
    expect(rb).toMatch(/\| DB02 \| 2 \| `7\.00:00:00` \| `1\.00:00:00` \| EX2010B \|/);
    expect(rb).toContain("Remove-MailboxDatabaseCopy -Identity 'DB01\\EX2010A' -Confirm:$false");
    expect(rb).toContain("Remove-MailboxDatabaseCopy -Identity 'DB02\\EX2010A' -Confirm:$false");
    expect(rb).not.toContain("Remove-MailboxDatabaseCopy -Identity 'DB03\\EX2010A'");
    expect(rb).toContain("Remove-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A' -ConfigurationOnly");
  });

  it('evicts the node only if it is still one (recover-dag-member-servers: "If you use the -ConfigurationOnly switch, you must also manually evict the node from the cluster")', () => {
    // Remove-DatabaseAvailabilityGroupServer: "If the Mailbox server is offline but the DAG has quorum, the Mailbox
    // server is evicted from the DAG's cluster": the step must not claim the node is always still there
    expect(rb).not.toContain('needed because -ConfigurationOnly above leaves the offline node in the cluster');
    expect(rb).toContain('**C. Evict EX2010A from the DAG\'s cluster if it is still a node** (Microsoft: "If you use the -ConfigurationOnly switch, you must also manually evict the node from the cluster"; with quorum the cmdlet may already have done it).');
    // Windows Server 2008 R2: the failover clustering module is imported before Get-ClusterNode
    expect(ascending(order(rb,
      "Remove-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A' -ConfigurationOnly",
      '```\n  Import-Module FailoverClusters\n  Get-ClusterNode\n  ```',
      'If EX2010A is listed:',
      "```\n  Get-ClusterNode -Name 'EX2010A' | Remove-ClusterNode -Force\n  ```",
    ))).toBe(true);
    const s2008 = sampleSnapshot();
    s2008.servers.find((x) => x.name === 'EX2010A')!.computer!.operatingSystem = 'Windows Server (R) 2008 Enterprise';
    s2008.servers.find((x) => x.name === 'EX2010A')!.computer!.operatingSystemVersion = '6.0 (6002)';
    const r2008 = runbookOf(s2008, 'EX2010A');
    expect(ascending(order(r2008, '```\n  cluster.exe node\n  ```', 'If EX2010A is listed:', 'cluster.exe node EX2010A /evict'))).toBe(true);
    expect(r2008).not.toContain('Get-ClusterNode');
  });

  it('re-adds the copies with the recorded activation preference and lags after RecoverServer and Add-DatabaseAvailabilityGroupServer', () => {
    expect(rb).toContain("Add-MailboxDatabaseCopy -Identity 'DB01' -MailboxServer 'EX2010A' -ActivationPreference 1\n");
    expect(rb).toContain("Add-MailboxDatabaseCopy -Identity 'DB02' -MailboxServer 'EX2010A' -ActivationPreference 2 -ReplayLagTime 7.00:00:00 -TruncationLagTime 1.00:00:00");
    expect(ascending(order(rb,
      "Remove-MailboxDatabaseCopy -Identity 'DB01\\EX2010A'",
      'Remove-DatabaseAvailabilityGroupServer',
      '**4. Reset the computer account**',
      'Setup /m:RecoverServer',
      "Add-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A'",
      "Add-MailboxDatabaseCopy -Identity 'DB01'",
    ))).toBe(true);
  });

  it('restores from backup only the database whose only copy was on the failed server', () => {
    const overwrite = rb.slice(rb.indexOf('can be overwritten by a restore'), rb.indexOf('**10.'));
    expect(overwrite).toContain('- [ ] DB03');
    expect(overwrite).not.toMatch(/DB01|DB02/);
    const restore = rb.slice(rb.indexOf('**14.'), rb.indexOf('**15.'));
    expect(restore).toContain('- [ ] DB03: `G:\\DB03\\DB03.edb`');
    expect(restore).not.toMatch(/- \[ \] DB0[12]:/);
    expect(rb).not.toContain('**14. Restore each database**');
  });

  it('says so when every database has another copy, and checks replication at the end', () => {
    const rbB = runbookOf(sampleSnapshot(), 'EX2010B');
    expect(rbB).toContain('No restore from backup: every database of EX2010B has a copy on another member.');
    expect(rbB).not.toContain('can be overwritten by a restore');
    expect(rbB).toContain('`Test-ReplicationHealth EX2010B`');
  });

  it('turns continuous replication circular logging off before removing the last passive copy, and on again after', () => {
    const s = sampleSnapshot();
    s.databases.find((d) => d.name === 'DB01')!.circularLogging = true;
    const r = runbookOf(s, 'EX2010A');
    expect(ascending(order(r,
      "Set-MailboxDatabase -Identity 'DB01' -CircularLoggingEnabled $false",
      "Remove-MailboxDatabaseCopy -Identity 'DB01\\EX2010A'",
      "Add-MailboxDatabaseCopy -Identity 'DB01'",
      "Set-MailboxDatabase -Identity 'DB01' -CircularLoggingEnabled $true",
    ))).toBe(true);
  });

  it('quotes names for PowerShell', () => {
    const s = sampleSnapshot();
    s.databases.find((d) => d.name === 'DB01')!.name = "O'Brien DB";
    expect(runbookOf(s, 'EX2010A')).toContain("Remove-MailboxDatabaseCopy -Identity 'O''Brien DB\\EX2010A' -Confirm:$false");
  });
});

describe('Edge Transport (cloned configuration, Edge Subscription)', () => {
  const snap = sampleSnapshot();
  const edge = makeServer({
    name: 'EDGE01', serial: 'Version 15.1 (Build 32507.6)',
    version: { major: 15, minor: 1, build: 2507, revision: 6, product: 'Exchange Server 2016', release: 'CU23', label: 'Exchange Server 2016 CU23 (15.1.2507.6)' },
    roles: ['Edge'], bitmask: 64, installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: 'Αθήνα',
    os: 'Windows Server 2016 Standard', osVersion: '10.0 (14393)', sp: null, ips: ['10.0.9.30'],
  });
  edge.computer = null;
  snap.servers.push(edge);
  // the Send connector EdgeSync creates for the subscription: its only source server is the Edge
  snap.sendConnectors.push({
    ...snap.sendConnectors[0]!, guid: 'edgesync-send', dn: `CN=EdgeSync - Αθήνα to Internet,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,${AG}`,
    name: 'EdgeSync - Αθήνα to Internet', smartHosts: [], sourceServers: [serverDn('EDGE01')],
  });
  const rb = runbookOf(snap, 'EDGE01');

  it('has no domain join, no computer account reset, no RecoverServer and no database restore', () => {
    expect(rb).not.toMatch(/Join the domain|Reset the computer account|\/Mode:RecoverServer|\/m:RecoverServer|Restore each database|overwritten by a restore/);
    expect(rb).toContain('**not** recovered with Setup in RecoverServer mode, its computer account is not reset, it does not join the domain');
    expect(rb).toContain('Do not join the domain.');
  });

  it('installs a new Edge, imports the cloned configuration, replaces the Edge Subscription and starts EdgeSync', () => {
    expect(ascending(order(rb,
      'Setup.exe /Mode:Install /Roles:EdgeTransport /IAcceptExchangeServerLicenseTerms',
      './ImportEdgeConfig.ps1 -CloneConfigData:"C:\\EdgeClone\\CloneConfigData.xml" -IsImport $false',
      './ImportEdgeConfig.ps1 -CloneConfigData:"C:\\EdgeClone\\CloneConfigData.xml" -IsImport $true',
      "New-EdgeSubscription -FileName 'C:\\EdgeSubscription\\EdgeSubscriptionInfo.xml'",
      "New-EdgeSubscription -FileData ([System.IO.File]::ReadAllBytes('C:\\EdgeSubscription\\EdgeSubscriptionInfo.xml')) -Site 'Αθήνα'",
      "Start-EdgeSynchronization -TargetServer 'EDGE01' -ForceFullSync",
    ))).toBe(true);
    expect(rb).toContain('within 24 hours');
    expect(rb).toContain('https://learn.microsoft.com/exchange/architecture/edge-transport-servers/edge-subscriptions');
  });

  it('keeps the old Edge Subscription (edge-subscription-procedures: "You don\'t need to first remove the original Edge Subscription")', () => {
    expect(rb).not.toContain('Remove the old Edge Subscription');
    expect(rb).toContain('**9. Keep the old Edge Subscription:** importing the new subscription file in step 10 on a Mailbox server of site Αθήνα overwrites it (Microsoft: "You don\'t need to first remove the original Edge Subscription").');
    expect(rb).toContain('https://learn.microsoft.com/exchange/architecture/edge-transport-servers/edge-subscription-procedures');
  });

  it('records the Send connectors whose source is the Edge before resubscribing; Remove-EdgeSubscription only as the fallback, with what it deletes', () => {
    // Remove-EdgeSubscription: "If the Edge Transport server is the only source server for any Send connector, the Send connector is removed."
    expect(rb).toContain("Get-SendConnector | Where-Object {$_.SourceTransportServers -like '*EDGE01*'} | Format-List");
    // only the connector whose source is the Edge, not the organization's "Internet" connector of EX2016/EX2007
    expect(rb).toContain('Send connectors recorded in AD with EDGE01 as a source server: EdgeSync - Αθήνα to Internet (address spaces `SMTP:*;1`);\n');
    expect(ascending(order(rb,
      "Get-SendConnector | Where-Object",
      'Only if resubscribing fails, remove the old subscription. This removes every Send connector whose only source server is EDGE01',
      "Remove-EdgeSubscription -Identity 'EDGE01'",
      '**10. Subscribe the new Edge.**',
      "New-EdgeSubscription -FileData",
    ))).toBe(true);
  });
});

describe('Edge Transport of Exchange 2007 and 2013: prerequisites when AD has no Windows release for it', () => {
  const withEdge = (version: Snapshot['servers'][number]['version'], serial: string) => {
    const snap = sampleSnapshot();
    const edge = makeServer({
      name: 'EDGE07', serial, version, roles: ['Edge'], bitmask: 64, installPath: null, dataPath: null, site: null,
      os: 'x', osVersion: 'x', sp: null, ips: [],
    });
    edge.computer = null;
    snap.servers.push(edge);
    return runbookOf(snap, 'EDGE07');
  };
  it('2007: AD LDS (ServerManagerCmd -i ADLDS), never ADAM', () => {
    const rb = withEdge({ major: 8, minor: 3, build: 83, revision: 6, product: 'Exchange Server 2007', release: 'SP3', label: 'Exchange Server 2007 SP3 (8.3.83.6)' }, 'Version 8.3 (Build 30083.6)');
    expect(rb).toContain('  ServerManagerCmd -i PowerShell\n  ServerManagerCmd -i ADLDS\n');
    expect(rb).not.toContain('ADAM');
  });
  it('2013: Windows Management Framework 4.0 on Windows Server 2012 / 2008 R2 SP1', () => {
    const rb = withEdge({ major: 15, minor: 0, build: 1497, revision: 2, product: 'Exchange Server 2013', release: 'CU23', label: 'Exchange Server 2013 CU23 (15.0.1497.2)' }, 'Version 15.0 (Build 31497.2)');
    expect(rb).toContain('Windows Server 2012 or 2008 R2 SP1: install Windows Management Framework 4.0 (included in Windows Server 2012 R2).');
  });
});

describe('Recovery Storage Group holder (2003/2007: msExchRestore on the storage group)', () => {
  const snap = sampleSnapshot();
  const ex2007 = serverDn('EX2007');
  const rsgDn = `CN=Recovery Storage Group,CN=InformationStore,${ex2007}`;
  snap.storageGroups.push({ ...snap.storageGroups[1]!, guid: 'rsg', dn: rsgDn, name: 'Recovery Storage Group', logFolderPath: 'R:\\RSG', systemFolderPath: 'R:\\RSG', logFilePrefix: 'R00', recovery: true });
  // the database in the RSG does not carry the flag itself
  snap.databases.push(makeDatabase({ name: 'Mailbox Database (RSG)', server: ex2007, sg: rsgDn, edb: 'R:\\RSG\\Mailbox Database.edb' }));
  const rb = runbookOf(snap, 'EX2007');

  it('never lists the RSG database as a restore target', () => {
    const overwrite = rb.slice(rb.indexOf('can be overwritten by a restore'), rb.indexOf('**10.'));
    expect(overwrite).toContain('- [ ] Mailbox Database\n');
    expect(overwrite).not.toContain('(RSG)');
    const restore = rb.slice(rb.indexOf('**14. Restore each database**'));
    expect(restore).not.toContain('R:\\RSG');
    expect(restore).toContain('- [ ] Mailbox Database: `M:\\SG1\\Mailbox Database.edb`');
  });

  it('removes the RSG before the production databases are restored', () => {
    expect(ascending(order(rb,
      "Remove-MailboxDatabase -Identity 'EX2007\\Recovery Storage Group\\Mailbox Database (RSG)'",
      "Remove-StorageGroup -Identity 'EX2007\\Recovery Storage Group'",
      // Remove-StorageGroup (Exchange 2007): the log files are not deleted; Remove-MailboxDatabase: the database files neither
      'The commands remove the objects only: delete the files of the recovery storage group (its database, logs and system files) by hand afterwards.',
      '**14. Restore each database**',
    ))).toBe(true);
    expect(rb).toContain('https://learn.microsoft.com/previous-versions/office/exchange-server-2007/aa998295(v=exchg.80)');
  });

  it('2010+ recovery database: Remove-MailboxDatabase on the restore path; a DAG member (no step 14a) gets neither it nor its source', () => {
    const snap = sampleSnapshot();
    const rdb = makeDatabase({ name: 'RDB1', server: serverDn('EX2016'), edb: 'R:\\RDB1\\RDB1.edb' });
    rdb.recovery = true;
    snap.databases.push(rdb);
    const r = runbookOf(snap, 'EX2016');
    expect(ascending(order(r, "Remove-MailboxDatabase -Identity 'RDB1'", 'The command removes the object only', '**14. Restore each database**'))).toBe(true);
    expect(r).toContain('https://learn.microsoft.com/powershell/module/exchange/remove-mailboxdatabase');
    const dag = sampleSnapshot();
    const rdb2 = makeDatabase({ name: 'RDB2', server: serverDn('EX2010A'), edb: 'R:\\RDB2\\RDB2.edb' });
    rdb2.recovery = true;
    dag.databases.push(rdb2);
    const d = runbookOf(dag, 'EX2010A');
    expect(d).toContain('**Recovery stores on EX2010A:** RDB2 (recovery database)');
    expect(d).not.toContain('powershell/module/exchange/remove-mailboxdatabase`');
    expect(d).not.toContain("Remove-MailboxDatabase -Identity 'RDB2'");
  });

  it('2003: Exchange System Manager, as the Exchange Server Analyzer article on recovery storage groups says', () => {
    const s2003 = sampleSnapshot();
    const ex2003 = serverDn('EX2003', true);
    const sg = s2003.storageGroups.find((g) => g.server === ex2003)!;
    const rsg = `CN=Recovery Storage Group,CN=InformationStore,${ex2003}`;
    s2003.storageGroups.push({ ...sg, guid: 'rsg2003', dn: rsg, name: 'Recovery Storage Group', recovery: true });
    s2003.databases.push(makeDatabase({ name: 'Mailbox Store (RSG)', server: ex2003, sg: rsg, edb: 'C:\\RSG\\priv1.edb' }));
    const r = runbookOf(s2003, 'EX2003');
    // "Expand Servers, and then expand the server that contains the recovery storage group ... Right-click the recovery storage group, and then click Delete."
    expect(r).toContain('In Exchange System Manager, expand Servers, then EX2003; right-click Recovery Storage Group and click Delete.');
    expect(r).not.toContain('Remove-StorageGroup');
    expect(r).toContain('Exchange Server Analyzer: "A recovery storage group exists"');
  });
});

describe('2007 clustered mailbox server', () => {
  /** The same cluster as a single copy cluster (SCC): shared storage, no passive copies to seed. */
  const sccVariant = () => {
    const scc = sampleSnapshot();
    scc.servers.find((x) => x.name === 'EX2007')!.clusteredMailboxServer = { storageType: 'SCC', nodes: ['EX2007-N1', 'EX2007-N2'] };
    return scc;
  };
  const snap = sampleSnapshot();
  const s = snap.servers.find((x) => x.name === 'EX2007')!;
  s.clusteredMailboxServer = { storageType: 'CCR', nodes: ['EX2007-N1', 'EX2007-N2'] };
  const rb = runbookOf(snap, 'EX2007');

  it('is recovered with /RecoverCMS on the cluster nodes, not /m:RecoverServer', () => {
    expect(rb).toContain('Setup.com /RecoverCMS /CMSName:EX2007 /CMSIPAddress:10.0.1.20 /TargetDir:"D:\\Exchange Server"');
    expect(rb).not.toMatch(/setup(\.com)? \/m:RecoverServer/i);
    expect(rb).toContain('`EX2007-N1`, `EX2007-N2`');
    expect(ascending(order(rb, 'Setup.com /mode:install /roles:Mailbox', 'Setup.com /RecoverCMS'))).toBe(true);
  });

  it('CCR with one node left: no /RecoverCMS and no restore, rebuild the node and reseed (aa998583, cc535022)', () => {
    expect(ascending(order(rb,
      '**If one node of EX2007 is still running: do not run /RecoverCMS and do not restore.** Evict the dead node from the cluster, rebuild it under the same name (steps 1 to 8), add it back to the cluster, install the passive clustered mailbox role, then reseed the copies',
      '(Microsoft: "How to Seed a Cluster Continuous Replication Copy"):\n\n```\nSetup.com /mode:install /roles:Mailbox',
      'Steps 9 to 14 apply only when both nodes are lost.',
      '**1. Order replacement hardware.**',
    ))).toBe(true);
    expect(runbookOf(sccVariant(), 'EX2007')).not.toContain('If one node of EX2007 is still running');
  });

  it('CCR, both nodes lost: the restore reaches the active copy only, so the passive copies are seeded again and checked', () => {
    expect(ascending(order(rb,
      '**14. Restore each database**',
      'A restore changes the copy of the active node only: after the restores, seed the copies of the passive node again (Microsoft: "How to Seed a Cluster Continuous Replication Copy").',
      '**15.',
      '**16. Test.**',
      // Get-StorageGroupCopyStatus (Exchange 2007 SP1+, aa997246): "-Server <ServerIdParameter>", SummaryCopyStatus "Healthy"
      '`Get-StorageGroupCopyStatus -Server EX2007` shows every storage group copy Healthy',
    ))).toBe(true);
    const r = runbookOf(sccVariant(), 'EX2007');
    expect(r).not.toContain('seed the copies of the passive node');
    expect(r).not.toContain('Get-StorageGroupCopyStatus');
  });

  it('the IP switch follows the Windows release of the nodes, with Setup.com /? named for checking it', () => {
    // Windows Server 2003 nodes (the sample): "How to Modify an Exchange Installation" (Exchange 2007): "/CMSIPAddress,
    // or /cip ... the IP address of the Exchange clustered mailbox server"
    expect(rb).toContain('Setup.com /RecoverCMS /CMSName:EX2007 /CMSIPAddress:10.0.1.20');
    expect(rb).not.toContain('/CMSIPv4Addresses:10');
    expect(rb).toContain('`Setup.com /?` on the Exchange media lists the switches of that build.');
    // the procedure page was not found: the source says what the switches were checked against
    expect(rb).toContain('not verified against the /RecoverCMS page');
    // Windows Server 2008 failover cluster nodes: /CMSIPv4Addresses
    const s2008 = sampleSnapshot();
    const cms = s2008.servers.find((x) => x.name === 'EX2007')!;
    cms.clusteredMailboxServer = { storageType: 'SCC', nodes: ['EX2007-N1', 'EX2007-N2'] };
    cms.computer!.operatingSystem = 'Windows Server (R) 2008 Enterprise';
    cms.computer!.operatingSystemVersion = '6.0 (6002)';
    expect(runbookOf(s2008, 'EX2007')).toContain('Setup.com /RecoverCMS /CMSName:EX2007 /CMSIPv4Addresses:10.0.1.20');
  });

  it('its nodes get the Failover Clustering feature (bb691354: "If the Mailbox server will be clustered ... ServerManagerCmd -i Failover-Clustering")', () => {
    const s2008 = sampleSnapshot();
    const cms = s2008.servers.find((x) => x.name === 'EX2007')!;
    cms.roles = ['Mailbox'];
    cms.clusteredMailboxServer = { storageType: 'CCR', nodes: ['EX2007-N1', 'EX2007-N2'] };
    cms.computer!.operatingSystem = 'Windows Server (R) 2008 Enterprise';
    cms.computer!.operatingSystemVersion = '6.0 (6002)';
    expect(runbookOf(s2008, 'EX2007')).toContain('  ServerManagerCmd -i Web-Windows-Auth\n  ServerManagerCmd -i Failover-Clustering\n');
  });
});

describe('Scripting Agent enabled (Recover Exchange servers: possible issues with the Scripting Agent)', () => {
  it('disables it before setup and enables it after; not printed when it is disabled', () => {
    const snap = sampleSnapshot();
    const agent = { dn: `CN=Scripting Agent,CN=CmdletExtensionAgents,${AG}`, name: 'Scripting Agent', enabled: true, isSystem: false };
    snap.organization.cmdletExtensionAgents = [agent];
    const rb = runbookOf(snap, 'EX2016');
    expect(ascending(order(rb, 'Disable-CmdletExtensionAgent -Identity "Scripting Agent"', 'Setup.exe /Mode:RecoverServer', 'Enable-CmdletExtensionAgent -Identity "Scripting Agent"'))).toBe(true);
    snap.organization.cmdletExtensionAgents = [{ ...agent, enabled: false }];
    expect(runbookOf(snap, 'EX2016')).not.toContain('CmdletExtensionAgent');
  });
});

describe('the other classes', () => {
  it('standalone 2016 keeps the restore path, with its source', () => {
    const rb = runbookOf(sampleSnapshot(), 'EX2016');
    expect(rb).toContain('**Procedure: server not in a DAG (Exchange 2016): Setup in RecoverServer mode, databases restored from backup.**');
    expect(rb).toContain('https://learn.microsoft.com/exchange/high-availability/disaster-recovery/recover-exchange-servers');
    expect(rb).toContain('**14. Restore each database**');
    expect(rb).toContain('- [ ] DB2016-01: `E:\\Databases\\DB2016-01\\DB2016-01.edb`');
  });

  it('mixed-role 2007 says so in its procedure', () => {
    expect(runbookOf(sampleSnapshot(), 'EX2007')).toContain('mixed-role ClientAccess + HubTransport + Mailbox server not in a DAG (Exchange 2007)');
  });

  it('a 2013 Client Access server has nothing to restore', () => {
    const snap = sampleSnapshot();
    snap.servers.push(makeServer({
      name: 'CAS2013', serial: 'Version 15.0 (Build 31497.2)',
      version: { major: 15, minor: 0, build: 1497, revision: 2, product: 'Exchange Server 2013', release: 'CU23', label: 'Exchange Server 2013 CU23 (15.0.1497.2)' },
      roles: ['ClientAccess'], bitmask: 16385, installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: 'Αθήνα',
      os: 'Windows Server 2012 R2 Standard', osVersion: '6.3 (9600)', sp: null, ips: ['10.0.3.13'],
    }));
    const rb = runbookOf(snap, 'CAS2013');
    expect(rb).toContain('Client Access server (Exchange 2013): Setup in RecoverServer mode, no databases');
    expect(rb).toContain('No databases to restore on this server.');
    expect(rb).not.toContain('overwritten by a restore');
  });

  it('2003 runs setup /disasterrecovery', () => {
    const rb = runbookOf(sampleSnapshot(), 'EX2003');
    expect(rb).toContain('Exchange 2003 back-end server: setup /disasterrecovery');
    expect(rb).toContain('setup.exe /disasterrecovery');
  });

  it('2003 step 9: the 2003 media, then the recorded service pack, both /disasterrecovery; step 13 does not contradict it', () => {
    const rb = runbookOf(sampleSnapshot(), 'EX2003');
    const step9 = rb.slice(rb.indexOf('**9.'), rb.indexOf('**10.'));
    expect(step9).toContain('**9. Run setup in disaster-recovery mode** from the Exchange Server 2003 media (RTM or SP1-integrated; media: ');
    expect(step9).toContain('then the recorded service pack (SP2), both in disaster-recovery mode:');
    expect(step9).toContain('```\n  setup.exe /disasterrecovery\n  update.exe /disasterrecovery\n  ```');
    expect(step9).toContain('`update.exe` is the one of the SP2 package.');
    expect(step9).not.toContain('from media of Exchange Server 2003 SP2');
    const step13 = rb.slice(rb.indexOf('**13.'), rb.indexOf('**14'));
    expect(step13).not.toContain('disasterrecovery');
  });

  it('2013+ step 9 allows a later CU\'s media (Recover Exchange servers: "you can recover a server using the latest available Cumulative Update"); 2010 does not', () => {
    // after the command: the step's lead-in stays short enough to keep with its code block on the page
    expect(ascending(order(runbookOf(sampleSnapshot(), 'EX2016'),
      '**9. Run setup in recover-server mode** from media of Exchange Server 2016 CU23 (15.1.2507.6) (media: ',
      'Setup.exe /Mode:RecoverServer',
      'If that media is not available, use a later CU (Microsoft: "you can recover a server using the latest available Cumulative Update").',
    ))).toBe(true);
    expect(runbookOf(sampleSnapshot(), 'EX2010A')).not.toContain('later CU');
  });

  it('2013+ step 13: custom settings reconfigured, then a restart before production (Recover Exchange servers, step 8)', () => {
    const rb = runbookOf(sampleSnapshot(), 'EX2016');
    const step13 = rb.slice(rb.indexOf('**13.'), rb.indexOf('**14'));
    expect(step13).toContain('then restart the server before putting it into production.');
  });

  it('step 15 re-enables inbound mail where the supplement says, or points back to step 7', () => {
    const snap = sampleSnapshot();
    const both = runbookOf(snap, 'EX2016', 'inboundMail:\n  stopAt: "fw1: disable rule SMTP-in"\n  reenableAt: "fw1: enable rule SMTP-in"\n');
    expect(both).toContain('**7. Stop inbound mail** at: fw1: disable rule SMTP-in');
    expect(both).toContain('**15. Re-enable inbound mail** at: fw1: enable rule SMTP-in');
    const one = runbookOf(snap, 'EX2016', 'inboundMail:\n  stopAt: "fw1 rule SMTP-in"\n');
    expect(one).toContain('**15. Re-enable inbound mail** where step 7 stopped it: fw1 rule SMTP-in');
  });
});

describe('runbook review of the contoso and fabrikam binders', () => {
  it('an Edge gets no "RecoverServer does not restore" step: it is installed new, with no Scripting Agent', () => {
    const snap = sampleSnapshot();
    const edge = makeServer({
      name: 'EDGE01', serial: 'Version 15.1 (Build 32507.6)',
      version: { major: 15, minor: 1, build: 2507, revision: 6, product: 'Exchange Server 2016', release: 'CU23', label: 'Exchange Server 2016 CU23 (15.1.2507.6)' },
      roles: ['Edge'], bitmask: 64, installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: 'Αθήνα',
      os: 'Windows Server 2016 Standard', osVersion: '10.0 (14393)', sp: null, ips: ['10.0.9.30'],
    });
    edge.computer = null;
    snap.servers.push(edge);
    const rb = runbookOf(snap, 'EDGE01');
    const fixes = rb.slice(rb.indexOf('**12. Version-specific fixes:**'), rb.indexOf('**13.'));
    expect(fixes).toContain('Install the latest Security Update for the recorded CU');
    expect(fixes).not.toContain('RecoverServer');
    expect(fixes).not.toContain('Scripting Agent');
    // the 2013 cloned-configuration procedure page whose ImportEdgeConfig.ps1 lines the runbook prints
    expect(rb).toContain('https://technet.microsoft.com/library/Aa996008(v=EXCHG.150)');
    expect(rb).toContain('./ImportEdgeConfig.ps1 -CloneConfigData:"C:\\EdgeClone\\CloneConfigData.xml" -IsImport $false -CloneConfigAnswer:"C:\\EdgeClone\\CloneConfigAnswer.xml"');
  });

  it('Exchange 2003 has no Autodiscover to test', () => {
    const test = (name: string) => { const rb = runbookOf(sampleSnapshot(), name); return rb.slice(rb.indexOf('**16. Test.**')); };
    expect(test('EX2003')).not.toContain('Autodiscover');
    expect(test('EX2003')).toContain('- [ ] OWA:');
    expect(test('EX2007')).toContain('- [ ] Autodiscover:');
  });

  it('tests the client URLs, not the 2013+ "Exchange Back End" site on port 444', () => {
    const snap = sampleSnapshot();
    const owa = snap.virtualDirectories.find((v) => v.kind === 'owa' && v.server === serverDn('EX2016'))!;
    snap.virtualDirectories.push({ ...owa, guid: 'owa-be', dn: owa.dn.replace('owa (Default Web Site)', 'owa (Exchange Back End)'), name: 'owa (Exchange Back End)', website: 'Exchange Back End', internalUrl: 'https://ex2016.contoso.com:444/owa', externalUrl: null });
    const rb = runbookOf(snap, 'EX2016');
    const test = rb.slice(rb.indexOf('**16. Test.**'));
    expect(test).toContain('https://mail.contoso.com/owa');
    expect(test).not.toContain(':444');
  });

  it('names which Exchange 2010 page ids were inferred rather than checked', () => {
    const rb = runbookOf(sampleSnapshot(), 'EX2010A');
    expect(rb).toContain('Recover a Database Availability Group Member Server (Exchange 2010; page id inferred from the 2013 topic, not verified)');
    expect(rb).toContain('Recover an Exchange Server (Exchange 2010; page id inferred from the 2013 topic, not verified)');
  });
});

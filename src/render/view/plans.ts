/**
 * Which recovery procedure Microsoft documents for a server, chosen from the
 * snapshot, and the commands of that procedure with the harvested values in
 * place. Pure data in, data out: the runbook template prints it.
 *
 * The classes and their sources (docs/recovery-procedures.md has the table):
 * - standalone Mailbox / mixed-role 2007-2010 / CAS-only 2010-2013: Setup in
 *   RecoverServer mode, then restore the databases it held ("Recover Exchange
 *   servers", 2016/2019/SE: https://learn.microsoft.com/exchange/high-availability/disaster-recovery/recover-exchange-servers ;
 *   2013: "Recover an Exchange Server", Dd876880(v=EXCHG.150)).
 * - DAG member (2010+): copies and DAG membership removed, RecoverServer, then
 *   added back with the recorded lags ("Recover a database availability group
 *   member server", 2016/2019: .../recover-dag-member-servers ; 2013: Dd638206(v=EXCHG.150)).
 * - Edge Transport: never RecoverServer; new Edge, cloned configuration, new Edge
 *   Subscription ("Using Cloned Configuration Tasks for Edge Transport Server
 *   Disaster Recovery", 2007: bb125150(v=exchg.80); 2013: Aa998622 / Aa996008(v=EXCHG.150);
 *   Edge Subscriptions, 2016/2019: .../architecture/edge-transport-servers/edge-subscriptions).
 * - 2007 clustered mailbox server: Setup /RecoverCMS on the cluster nodes.
 * - 2003: setup /disasterrecovery (front-end: no databases of its own to restore).
 * Modifiers on any class: a Recovery Storage Group or recovery database (never a
 * restore target), an enabled Scripting Agent (disabled around setup,
 * "Recover Exchange servers", "Possible issues with the Scripting Agent").
 */
import type { Database, Server, Snapshot } from '../../snapshot/model.js';
import type { Generation } from './versions.js';
import type { WindowsRelease } from './os.js';

export type PlanKind = 'standalone' | 'dag-member' | 'edge' | 'legacy-2003' | 'cms-2007' | 'cas-only';

export interface Source { title: string; url: string | null }

const RECOVER_SERVER_2016: Source = {
  title: 'Recover Exchange servers (Exchange 2016, 2019, SE)',
  url: 'https://learn.microsoft.com/exchange/high-availability/disaster-recovery/recover-exchange-servers',
};
/** Page id checked: ms:mtpsurl of the topic's Markdown source in MicrosoftDocs (recover-an-exchange-server-exchange-2013-help.md). */
const RECOVER_SERVER_2013: Source = { title: 'Recover an Exchange Server (Exchange 2013)', url: 'https://technet.microsoft.com/library/Dd876880(v=EXCHG.150)' };
/** The 2013 page id with the 2010 version suffix: no Microsoft page or link with this id was found to confirm it. */
const RECOVER_SERVER_2010: Source = { title: 'Recover an Exchange Server (Exchange 2010; page id inferred from the 2013 topic, not verified)', url: 'https://technet.microsoft.com/library/Dd876880(v=EXCHG.141)' };
/**
 * The procedure topic's opening was read in a mirror of the Exchange 2007 Help ("Reset the domain computer account for
 * the lost server", same name, "matching drive configuration"); its learn.microsoft.com address was not found. The
 * overview "Server Recovery" is the page Microsoft's "How to Modify an Exchange Installation" links for RecoverServer.
 */
const RECOVER_SERVER_2007: Source = { title: 'How to Recover a Lost Exchange Server (Exchange 2007 Help, Setup /m:RecoverServer); overview "Server Recovery"', url: 'http://technet.microsoft.com/en-us/library/bb124275.aspx' };
const RECOVER_2003: Source = { title: 'Exchange Server 2003 Disaster Recovery Operations Guide (setup /disasterrecovery)', url: null };
const DAG_2016: Source = {
  title: 'Recover a database availability group member server (Exchange 2016, 2019, SE)',
  url: 'https://learn.microsoft.com/exchange/high-availability/disaster-recovery/recover-dag-member-servers',
};
/** Page id checked: ms:mtpsurl of recover-a-database-availability-group-member-server-exchange-2013-help.md. */
const DAG_2013: Source = { title: 'Recover a database availability group member server (Exchange 2013)', url: 'https://technet.microsoft.com/library/Dd638206(v=EXCHG.150)' };
/** As RECOVER_SERVER_2010: the 2013 id with the 2010 suffix, not confirmed. */
const DAG_2010: Source = { title: 'Recover a Database Availability Group Member Server (Exchange 2010; page id inferred from the 2013 topic, not verified)', url: 'https://technet.microsoft.com/library/Dd638206(v=EXCHG.141)' };
const EDGE_2007: Source = {
  title: 'Using Cloned Configuration Tasks for Edge Transport Server Disaster Recovery (Exchange 2007)',
  url: 'https://learn.microsoft.com/previous-versions/office/exchange-server-2007/bb125150(v=exchg.80)',
};
/** Page ids checked (ms:mtpsurl); the ImportEdgeConfig.ps1 validate/import lines follow Aa996008 word for word. */
const EDGE_CLONE_2013: Source = { title: 'Edge Transport server cloned configuration (Exchange 2013)', url: 'https://technet.microsoft.com/library/Aa998622(v=EXCHG.150)' };
const EDGE_CLONE_PROCEDURE_2013: Source = { title: 'Configure Edge Transport server using cloned configuration (Exchange 2013; ExportEdgeConfig.ps1 / ImportEdgeConfig.ps1 -IsImport $false, then $true)', url: 'https://technet.microsoft.com/library/Aa996008(v=EXCHG.150)' };
const EDGE_SUBSCRIPTIONS: Source = {
  title: 'Edge Subscriptions and Procedures for Edge Subscriptions (Exchange 2016, 2019, SE)',
  url: 'https://learn.microsoft.com/exchange/architecture/edge-transport-servers/edge-subscriptions',
};
/**
 * Microsoft's topic on recovering a lost CCR/SCC clustered mailbox server with /RecoverCMS was not found in the sources
 * available (learn.microsoft.com previous-versions, TechNet mirrors, MicrosoftDocs repositories): the steps follow the
 * Setup.com switches of "How to Modify an Exchange Installation" (/CMSName, /CMSIPAddress) and the /ClearLocalCMS topic
 * ("If a CMS is recovered to another failover cluster using Setup /RecoverCMS ... the RedundantMachines list will be
 * updated to contain the nodes in the new failover cluster").
 */
const CMS_2007: Source = {
  title: 'Recovering a clustered mailbox server with Setup /RecoverCMS (Exchange 2007 Help; Microsoft\'s procedure page not found here, switches from "How to Modify an Exchange Installation" and "How to Use Setup /ClearLocalCMS", not verified against the /RecoverCMS page)',
  url: null,
};
/** Losing one CCR node: no /RecoverCMS, no restore; rebuild the node, passive role, reseed. */
const CCR_NODE_2007: Source = {
  title: 'How to Restore CCR Functionality After a Failure; How to Seed a Cluster Continuous Replication Copy (Exchange 2007)',
  url: 'https://learn.microsoft.com/previous-versions/office/exchange-server-2007/aa998583(v=exchg.80)',
};
const EDGE_RESUBSCRIBE: Source = {
  title: 'Edge Subscription procedures: Resubscribe an Edge Transport server (the old subscription is overwritten, not removed first)',
  url: 'https://learn.microsoft.com/exchange/architecture/edge-transport-servers/edge-subscription-procedures',
};
const REMOVE_EDGE_SUBSCRIPTION: Source = {
  title: 'Remove-EdgeSubscription (removes a Send connector whose only source server is the Edge)',
  url: 'https://learn.microsoft.com/powershell/module/exchange/remove-edgesubscription',
};
const REMOVE_COPY: Source = {
  title: 'Remove-MailboxDatabaseCopy (the active copy cannot be removed; continuous replication circular logging must be off before the last passive copy goes)',
  url: 'https://learn.microsoft.com/powershell/module/exchange/remove-mailboxdatabasecopy',
};

/** The procedure for a server, in Microsoft's terms, with the sources it follows. */
export function planKind(server: Server, gen: Generation): PlanKind {
  if (server.roles.includes('Edge')) return 'edge';
  if (gen === '2003') return 'legacy-2003';
  if (server.clusteredMailboxServer) return 'cms-2007';
  if (server.dag && gen !== '2007') return 'dag-member';
  if ((gen === '2010' || gen === '2013') && !server.roles.includes('Mailbox') && server.roles.includes('ClientAccess')) return 'cas-only';
  return 'standalone';
}

export function planTitle(kind: PlanKind, server: Server, gen: Generation): string {
  const product = gen === 'unknown' ? 'unknown version' : `Exchange ${gen === 'SE' ? 'Server SE' : gen}`;
  switch (kind) {
    case 'edge': return `Edge Transport server (${product}): new Edge, cloned configuration, new Edge Subscription`;
    case 'legacy-2003': return `Exchange 2003 ${server.legacyServerRole ?? 'back-end'} server: setup /disasterrecovery`;
    case 'cms-2007': return `Exchange 2007 clustered mailbox server (${server.clusteredMailboxServer?.storageType ?? 'cluster'}): Setup /RecoverCMS`;
    case 'dag-member': return `DAG member (${product}): copies removed and re-added, Setup in RecoverServer mode`;
    case 'cas-only': return `Client Access server (${product}): Setup in RecoverServer mode, no databases`;
    case 'standalone': {
      const mixed = (gen === '2007' || gen === '2010') && server.roles.length > 1 ? `mixed-role ${server.roles.join(' + ')} ` : '';
      return `${mixed}server not in a DAG (${product}): Setup in RecoverServer mode, databases restored from backup`;
    }
  }
}

export function planSources(kind: PlanKind, gen: Generation): Source[] {
  const recover = gen === '2007' ? RECOVER_SERVER_2007 : gen === '2010' ? RECOVER_SERVER_2010 : gen === '2013' ? RECOVER_SERVER_2013 : RECOVER_SERVER_2016;
  switch (kind) {
    case 'edge': return [...(gen === '2007' || gen === '2010' ? [EDGE_2007] : [EDGE_CLONE_2013, EDGE_CLONE_PROCEDURE_2013]), EDGE_SUBSCRIPTIONS, EDGE_RESUBSCRIBE, REMOVE_EDGE_SUBSCRIPTION];
    case 'legacy-2003': return [RECOVER_2003];
    case 'cms-2007': return [CMS_2007, CCR_NODE_2007];
    case 'dag-member': return [gen === '2010' ? DAG_2010 : gen === '2013' ? DAG_2013 : DAG_2016, REMOVE_COPY, recover];
    default: return [recover];
  }
}

/** PowerShell single-quoted literal: quotes (straight and typographic) doubled, nothing else expands. */
export function psq(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** A copy of a replicated database on this DAG member, with what re-adding it needs. */
export interface DagCopy {
  database: string;
  activationPreference: number | null;
  replayLag: string | null;
  truncationLag: string | null;
  otherCopies: string[];
  circularLogging: boolean;
}

const lc = (s: string | null | undefined) => (s ?? '').toLowerCase();
const isZero = (v: string | null) => v === null || !/[1-9]/.test(v);

/**
 * Databases with a copy on this server, split into those replicated to other
 * members (re-seeded, never restored) and those whose only copy was here
 * (restored from backup: "a database whose only copy was on the failed server
 * still needs its backup").
 */
export function dagCopiesOf(server: Server, dbs: readonly Database[]): { replicated: DagCopy[]; onlyHere: Database[] } {
  const replicated: DagCopy[] = [];
  const onlyHere: Database[] = [];
  for (const d of dbs) {
    if (d.recovery) continue;
    const mine = d.copies.find((c) => lc(c.server) === lc(server.dn) || lc(c.serverName) === lc(server.name));
    if (!mine) continue;
    const others = d.copies.filter((c) => c !== mine);
    if (others.length === 0) {
      onlyHere.push(d);
      continue;
    }
    replicated.push({
      database: d.name,
      activationPreference: mine.activationPreference,
      replayLag: mine.replayLagTime,
      truncationLag: mine.truncationLagTime,
      otherCopies: others.map((c) => c.serverName).sort(),
      circularLogging: d.circularLogging === true,
    });
  }
  return { replicated, onlyHere };
}

export interface DagCommands {
  /** run from a surviving member before the rebuild */
  before: string[];
  /** list the DAG's cluster nodes (on a surviving member) */
  listNodes: string[];
  /** evict the failed server, only if it is still listed */
  evict: string[];
  /** after RecoverServer: back into the DAG, then the copies with their recorded values */
  after: string[];
}

/**
 * Microsoft's DAG member procedure with the values in place. A copy with a
 * lag gets -ReplayLagTime / -TruncationLagTime with the recorded TimeSpan;
 * -ActivationPreference restores the recorded order.
 */
export function dagCommands(server: Server, dagName: string, copies: readonly DagCopy[], os: WindowsRelease): DagCommands {
  const before = copies.map((c) => `Remove-MailboxDatabaseCopy -Identity ${psq(`${c.database}\\${server.name}`)} -Confirm:$false`);
  before.push(`Remove-DatabaseAvailabilityGroupServer -Identity ${psq(dagName)} -MailboxServer ${psq(server.name)} -ConfigurationOnly`);
  // run on a surviving member (an IP-less DAG has no cluster name to address remotely); Windows Server
  // 2008 has no failover clustering PowerShell module (it came with 2008 R2), only cluster.exe.
  // Evict only if still a node: "If you use the -ConfigurationOnly switch, you must also manually evict the node from
  // the cluster" (Recover a DAG member server), but "If the Mailbox server is offline but the DAG has quorum, the
  // Mailbox server is evicted from the DAG's cluster" (Remove-DatabaseAvailabilityGroupServer), and Get-ClusterNode
  // -Name fails for a node that is gone.
  const listNodes = os === '2008' ? ['cluster.exe node'] : [...(os === '2008 R2' ? ['Import-Module FailoverClusters'] : []), 'Get-ClusterNode'];
  const evict = os === '2008'
    ? [`cluster.exe node ${server.name} /evict`]
    : [`Get-ClusterNode -Name ${psq(server.name)} | Remove-ClusterNode -Force`];
  const after = [`Add-DatabaseAvailabilityGroupServer -Identity ${psq(dagName)} -MailboxServer ${psq(server.name)}`];
  for (const c of copies) {
    const parts = [`Add-MailboxDatabaseCopy -Identity ${psq(c.database)} -MailboxServer ${psq(server.name)}`];
    if (c.activationPreference !== null) parts.push(`-ActivationPreference ${c.activationPreference}`);
    if (!isZero(c.replayLag)) parts.push(`-ReplayLagTime ${c.replayLag}`);
    if (!isZero(c.truncationLag)) parts.push(`-TruncationLagTime ${c.truncationLag}`);
    after.push(parts.join(' '));
  }
  return { before, listNodes, evict, after };
}

/**
 * "If you're removing the last passive copy of the database, continuous replication
 * circular logging (CRCL) must not be enabled" (Remove-MailboxDatabaseCopy): with two
 * copies, the failed member's copy is that last passive copy. Off before, on again after.
 */
export function circularLoggingCommands(copies: readonly DagCopy[]): { circularLoggingOff: string[]; circularLoggingOn: string[] } {
  const last = copies.filter((c) => c.circularLogging && c.otherCopies.length === 1);
  return {
    circularLoggingOff: last.map((c) => `Set-MailboxDatabase -Identity ${psq(c.database)} -CircularLoggingEnabled $false`),
    circularLoggingOn: last.map((c) => `Set-MailboxDatabase -Identity ${psq(c.database)} -CircularLoggingEnabled $true`),
  };
}

/** The Recovery Storage Group / recovery databases of a server: left out of every restore. */
export interface RecoveryStore {
  name: string;
  kind: 'Recovery Storage Group' | 'recovery database';
  databases: string[];
  /** Exchange Management Shell lines (2007: database, then storage group; 2010+: the recovery database) */
  removeCommands: string[];
  /** what to do without a shell (2003: Exchange System Manager) or after the commands (files left on disk) */
  removeNote: string;
}

/** Microsoft sources of the RSG removal steps (docs/recovery-procedures.md). */
export const RSG_SOURCES: Source[] = [
  {
    title: 'Exchange Server Analyzer: "A recovery storage group exists" (Exchange 2000/2003: Exchange System Manager, right-click the recovery storage group, Delete; Exchange 2007: "How to Remove a Recovery Storage Group")',
    url: null,
  },
  { title: 'Remove-StorageGroup (Exchange 2007; Identity "ServerName\\StorageGroup"; the log files are not deleted)', url: 'https://learn.microsoft.com/previous-versions/office/exchange-server-2007/aa998295(v=exchg.80)' },
  { title: 'Remove-MailboxDatabase (removes the database object only; the database files are deleted by hand)', url: 'https://learn.microsoft.com/powershell/module/exchange/remove-mailboxdatabase' },
];

/** The sources of the removal steps a server's recovery stores get. */
export function recoveryStoreSources(gen: Generation): Source[] {
  if (gen === '2003') return [RSG_SOURCES[0]!];
  if (gen === '2007') return RSG_SOURCES;
  return [RSG_SOURCES[2]!];
}

/**
 * 2003/2007: msExchRestore on the storage group marks the RSG; 2010+: on the
 * database. 2007 removes the RSG with the Exchange Management Shell (database
 * first, then the storage group: Remove-StorageGroup, Identity "ServerName\StorageGroup");
 * 2003 with Exchange System Manager ("Right-click the recovery storage group, and then
 * click Delete", Exchange Server Analyzer article on recovery storage groups). A database
 * in an RSG never mounts at startup, so after the rebuild it is dismounted already.
 */
export function recoveryStoresOf(server: Server, gen: Generation, snap: Pick<Snapshot, 'storageGroups' | 'databases'>, dbs: readonly Database[]): RecoveryStore[] {
  const out: RecoveryStore[] = [];
  for (const g of snap.storageGroups) {
    if (!g.recovery || lc(g.server) !== lc(server.dn)) continue;
    const members = snap.databases.filter((d) => lc(d.storageGroup) === lc(g.dn)).map((d) => d.name).sort();
    const removeCommands = gen === '2007'
      ? [...members.map((m) => `Remove-MailboxDatabase -Identity ${psq(`${server.name}\\${g.name}\\${m}`)}`), `Remove-StorageGroup -Identity ${psq(`${server.name}\\${g.name}`)}`]
      : [];
    const removeNote = gen === '2007'
      ? 'The commands remove the objects only: delete the files of the recovery storage group (its database, logs and system files) by hand afterwards.'
      : `In Exchange System Manager, expand Servers, then ${server.name}; right-click ${g.name} and click Delete. Delete its files by hand afterwards.`;
    out.push({ name: g.name, kind: 'Recovery Storage Group', databases: members, removeCommands, removeNote });
  }
  for (const d of dbs) {
    if (d.recovery && d.storageGroup === null) {
      out.push({
        name: d.name, kind: 'recovery database', databases: [],
        removeCommands: [`Remove-MailboxDatabase -Identity ${psq(d.name)}`],
        removeNote: 'The command removes the object only: delete the database and log files by hand afterwards.',
      });
    }
  }
  return out;
}

/** True when a database must not be restored onto: it is (in) a recovery store. */
export function isRecoveryDatabase(d: Database, snap: Pick<Snapshot, 'storageGroups'>): boolean {
  if (d.recovery) return true;
  return d.storageGroup !== null && snap.storageGroups.some((g) => g.recovery && lc(g.dn) === lc(d.storageGroup));
}

/** An enabled Scripting Agent in the organization (msExchCmdletExtensionAgent "Scripting Agent", flag bit 1). */
export function scriptingAgentEnabled(snap: Pick<Snapshot, 'organization'>): boolean {
  return snap.organization.cmdletExtensionAgents.some((a) => a.enabled && a.name.toLowerCase() === 'scripting agent');
}

/**
 * 2007 clustered mailbox server: the /RecoverCMS command line with the CMS name and its recorded IP address.
 * The IP switch is the one of the Windows release: /CMSIPAddress on Windows Server 2003 (Exchange 2007 Help, "How to
 * Modify an Exchange Installation": "/CMSIPAddress, or /cip ... the IP address of the Exchange clustered mailbox
 * server"); Exchange 2007 SP1 on Windows Server 2008 clusters takes /CMSIPv4Addresses (not checked against a
 * Microsoft page here, hence the runbook's pointer to Setup.com /? on the media).
 */
export function recoverCmsCommand(server: Server, ip: string | null, targetDir: string | null, os: WindowsRelease = 'unknown'): string {
  const ipSwitch = os === '2008' || os === '2008 R2' ? '/CMSIPv4Addresses' : '/CMSIPAddress';
  return `Setup.com /RecoverCMS /CMSName:${server.name} ${ipSwitch}:${ip ?? '<IP address of the CMS>'}${targetDir ? ` /TargetDir:"${targetDir}"` : ''}`;
}

/**
 * Installing the Edge Transport role on the new server (unattended setup:
 * 2013+ `/Mode:Install /Roles:EdgeTransport` with the license switch of that CU,
 * "Use unattended mode in Exchange Setup"; 2007/2010 `setup.com /mode:install /roles:EdgeTransport`).
 */
export function edgeInstallCommand(gen: Generation, license: string | null, targetDir: string | null): string | null {
  const target = targetDir ? ` /TargetDir:"${targetDir}"` : '';
  if (gen === '2007' || gen === '2010') return `setup.com /mode:install /roles:EdgeTransport${target}`;
  if (gen === '2013' || gen === '2016' || gen === '2019' || gen === 'SE') return `Setup.exe /Mode:Install /Roles:EdgeTransport ${license ?? '/IAcceptExchangeServerLicenseTerms'}${target}`;
  return null;
}

/** The cloned-configuration scripts (ExportEdgeConfig.ps1 / ImportEdgeConfig.ps1 in %ExchangeInstallPath%Scripts): validate, then import. */
export const EDGE_IMPORT_COMMANDS = [
  './ImportEdgeConfig.ps1 -CloneConfigData:"C:\\EdgeClone\\CloneConfigData.xml" -IsImport $false -CloneConfigAnswer:"C:\\EdgeClone\\CloneConfigAnswer.xml"',
  './ImportEdgeConfig.ps1 -CloneConfigData:"C:\\EdgeClone\\CloneConfigData.xml" -IsImport $true -CloneConfigAnswer:"C:\\EdgeClone\\CloneConfigAnswer.xml"',
];

/**
 * Edge Subscription commands (Edge Subscriptions, Procedures for Edge Subscriptions). The old subscription is kept:
 * "You don't need to first remove the original Edge Subscription; the resubscription process will overwrite the
 * existing Edge Subscription" ("Resubscribe an Edge Transport server", edge-subscription-procedures). Removing it is
 * the fallback only: "If the Edge Transport server is the only source server for any Send connector, the Send
 * connector is removed" (Remove-EdgeSubscription), hence the Send connectors are recorded first.
 */
export function edgeCommands(server: Server, gen: Generation): { onEdge: string[]; onMailbox: string[]; recordSendConnectors: string; removeOld: string[] } {
  const site = server.siteName ?? '<AD site the Edge was subscribed to>';
  const file = 'C:\\EdgeSubscription\\EdgeSubscriptionInfo.xml';
  return {
    recordSendConnectors: `Get-SendConnector | Where-Object {$_.SourceTransportServers -like ${psq(`*${server.name}*`)}} | Format-List`,
    removeOld: [`Remove-EdgeSubscription -Identity ${psq(server.name)}`],
    onEdge: [`New-EdgeSubscription -FileName ${psq(file)}`],
    onMailbox: [
      `New-EdgeSubscription -FileData ([System.IO.File]::ReadAllBytes(${psq(file)})) -Site ${psq(site)}`,
      gen === '2007' || gen === '2010' ? 'Start-EdgeSynchronization' : `Start-EdgeSynchronization -TargetServer ${psq(server.name)} -ForceFullSync`,
      'Test-EdgeSynchronization',
    ],
  };
}

/** Exchange servers: identity, version, roles, paths, and their computer/DNS/site relations. */
import type { Entry } from '../source/directory.js';
import type { Server } from '../snapshot/model.js';
import { all, first, firstBinary, identity, int, nameOf } from './entries.js';
import { describeBuild } from './decode/version.js';
import { parseSerialNumber, parseVersionNumber, serialStamp } from '../exchange/version.js';
import { decodeRoles, legacyRole, roleGeneration } from './decode/roles.js';
import { certificateOf } from './certificates.js';
import { toComputerAccount, type ComputerIndex } from './computers.js';
import { addressesOf, type DnsIndex } from './dns.js';
import { ancestorOf, rdnValueOrNull } from '../dn.js';
import type { Warnings } from './warnings.js';

/** FQDN from networkAddress `ncacn_ip_tcp:<fqdn>` (how Exchange itself finds a server by FQDN). */
export function fqdnFromNetworkAddress(values: readonly string[]): string | null {
  for (const v of values) {
    const m = /^ncacn_ip_tcp:(.+)$/i.exec(v.trim());
    if (m) return m[1]!.trim().toLowerCase();
  }
  return null;
}

/** CN=EX1,CN=Servers,CN=<admin group>,… → the admin group's name. */
export function adminGroupOf(serverDn: string): string {
  return rdnValueOrNull(ancestorOf(serverDn, 2)) ?? '';
}

export interface ServerDeps {
  computers: ComputerIndex;
  /** DNS name of the domain whose computers were read (e.g. contoso.test) */
  domainDnsName: string;
  dns: DnsIndex;
  now: Date;
  warnings: Warnings;
  /** 2013+ CN=Frontend / CN=Mailbox transport objects under this server */
  transportServices?: readonly Entry[];
}

/** The eight transport path attributes, as the server object and its 2013+ transport services carry them. */
export function transportPathsOf(e: Entry): Server['transportPaths'] {
  return {
    messageTracking: first(e, 'msExchTransportMessageTrackingPath'),
    receiveProtocolLog: first(e, 'msExchTransportReceiveProtocolLogPath'),
    sendProtocolLog: first(e, 'msExchTransportSendProtocolLogPath'),
    connectivityLog: first(e, 'msExchTransportConnectivityLogPath'),
    pickupDirectory: first(e, 'msExchTransportPickupDirectoryPath'),
    replayDirectory: first(e, 'msExchTransportReplayDirectoryPath'),
    pipelineTracing: first(e, 'msExchTransportPipelineTracingPath'),
    routingLog: first(e, 'msExchTransportRoutingLogPath'),
  };
}

/** CN=Frontend → FrontendTransport, CN=Mailbox → MailboxTransport (the 2013+ RDNs, decompiled Exchange 2013 Server.cs). */
export function mapTransportServices(entries: readonly Entry[]): Server['transportServices'] {
  const out: Server['transportServices'] = [];
  for (const t of entries) {
    const rdn = rdnValueOrNull(t.dn)?.toLowerCase();
    const service = rdn === 'frontend' ? 'FrontendTransport' : rdn === 'mailbox' ? 'MailboxTransport' : null;
    if (service) out.push({ service, dn: t.dn, paths: transportPathsOf(t) });
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/**
 * Exchange 2007 clustered mailbox server: msExchClusterStorageType 1 = NonShared
 * (CCR), 2 = Shared (SCC) (Exchange 2007 ClusteredStorageType; LDAP-only tools
 * select CCR servers with msExchClusterStorageType=1), and the nodes in
 * msExchServerRedundantMachines ("the RedundantMachines list", Exchange 2007
 * Help, Setup /ClearLocalCMS). 0 or absent = not clustered.
 */
export function clusteredMailboxServerOf(e: Entry, major: number | null): Server['clusteredMailboxServer'] {
  const type = int(e, 'msExchClusterStorageType');
  if (type === null || type === 0 || (major !== null && major !== 8)) return null;
  return {
    storageType: type === 1 ? 'CCR' : type === 2 ? 'SCC' : 'unknown',
    nodes: [...all(e, 'msExchServerRedundantMachines')].sort(),
  };
}

export function mapServer(e: Entry, d: ServerDeps): Server {
  const w = d.warnings;
  const name = nameOf(e);
  const serialNumber = first(e, 'serialNumber');
  const versionNumber = int(e, 'versionNumber');
  const parsed = (serialNumber ? parseSerialNumber(serialNumber) : null) ?? (versionNumber !== null ? parseVersionNumber(versionNumber) : null);
  let version: Server['version'] = null;
  if (parsed) {
    const { version: v, known } = describeBuild(parsed);
    version = v;
    if (!known) w.add('unknown-build', `${name}: build ${serialNumber ?? versionNumber} is not in the build table (${v.label})`, e.dn);
    const stamp = serialStamp(parsed);
    if (stamp) {
      w.add('su-stamped-serial', `${name}: serialNumber holds the update build ${stamp.stampedBuild}${stamp.updateName ? ` (${stamp.updateName})` : ''}, not the ${v.product} ${stamp.release} media build ${stamp.mediaBuild}: reset serialNumber to "${stamp.resetValue}" before RecoverServer, then install the update again`, e.dn);
    }
  } else if (serialNumber || versionNumber !== null) {
    w.add('unknown-build', `${name}: version "${serialNumber ?? versionNumber}" could not be parsed`, e.dn);
  }

  const roleBitmask = int(e, 'msExchCurrentServerRoles');
  let roles: string[] = [];
  if (roleBitmask !== null) {
    const decoded = decodeRoles(roleBitmask, roleGeneration(version?.major ?? null, version?.minor ?? null));
    roles = decoded.roles;
    for (const u of decoded.unknownBits) {
      w.add('unknown-role-bit', `${name}: msExchCurrentServerRoles ${roleBitmask} has bit ${u.bit}${u.enumName ? ` (${u.enumName}, not an on-premises role)` : ''} that this version does not use`, e.dn);
    }
  }
  const isLegacy = version !== null && version.major < 8;
  const legacyServerRole = isLegacy ? legacyRole(int(e, 'serverRole')) : null;

  const networkAddresses = [...all(e, 'networkAddress')].sort();
  const link = first(e, 'msExchComputerLink');
  const fqdnFromAd = fqdnFromNetworkAddress(networkAddresses);
  const computerEntry = d.computers.find(fqdnFromAd, link, name);
  // an Edge Transport server is no domain member (it sits in the perimeter and
  // is only in AD through EdgeSync), so it has no computer account to find
  const isEdgeOnly = roles.length === 1 && roles[0] === 'Edge';
  if (!computerEntry && !isEdgeOnly) {
    // only the default domain's computers are read: say so when the server lives elsewhere
    const suffix = fqdnFromAd ? fqdnFromAd.slice(fqdnFromAd.indexOf('.') + 1) : null;
    const elsewhere = suffix && suffix !== d.domainDnsName.toLowerCase()
      ? ` (it is not in ${d.domainDnsName}, the domain read: harvest from a DC of its domain too)`
      : '';
    w.add('no-computer-account', `${name}: no computer account found${fqdnFromAd ? ` with dNSHostName ${fqdnFromAd}` : ''}${link ? ` or at ${link}` : ''}${elsewhere}: the account to reset before RecoverServer is unknown`, e.dn);
  }
  const computer = computerEntry ? toComputerAccount(computerEntry) : null;
  const fqdn = fqdnFromAd ?? computer?.dnsHostName?.toLowerCase() ?? null;
  const ipAddresses = addressesOf(d.dns, fqdn);
  if (!fqdn) w.add('no-fqdn', `${name}: no FQDN in networkAddress or on a computer account`, e.dn);
  else if (ipAddresses.length === 0) w.add('not-in-ad-dns', `${name}: ${fqdn} has no A/AAAA record in the AD-integrated DNS zones read: its IP address must be written in by hand`, e.dn);

  const site = first(e, 'msExchServerSite');
  const cms = clusteredMailboxServerOf(e, version?.major ?? null);
  if (cms) {
    w.add('clustered-mailbox-server', `${name}: Exchange 2007 clustered mailbox server (${cms.storageType}${cms.nodes.length ? `, nodes ${cms.nodes.join(', ')}` : ''}): it is recovered with Setup /RecoverCMS on the cluster nodes, not /m:RecoverServer`, e.dn);
  }
  return {
    ...identity(e),
    adminGroup: adminGroupOf(e.dn),
    fqdn,
    serialNumber,
    versionNumber,
    version,
    roles,
    roleBitmask,
    legacyServerRole,
    installPath: first(e, 'msExchInstallPath'),
    dataPath: first(e, 'msExchDataPath'),
    site,
    siteName: rdnValueOrNull(site),
    networkAddresses,
    routingGroup: first(e, 'msExchHomeRoutingGroup'),
    dag: first(e, 'msExchMDBAvailabilityGroupLink'),
    computer,
    ipAddresses,
    transportPaths: transportPathsOf(e),
    transportServices: mapTransportServices(d.transportServices ?? []),
    clusteredMailboxServer: cms,
    internalTransportCertificate: certificateOf(firstBinary(e, 'msExchServerInternalTLSCert'), `${name}: internal transport certificate`, e.dn, d.now, w),
  };
}

/** The server's FQDN: networkAddress ncacn_ip_tcp, else its computer account's dNSHostName. */
export function serverFqdn(e: Entry, computers: ComputerIndex): string | null {
  const fromAd = fqdnFromNetworkAddress(all(e, 'networkAddress'));
  if (fromAd) return fromAd;
  const c = computers.find(null, first(e, 'msExchComputerLink'), nameOf(e));
  return c ? (first(c, 'dNSHostName')?.toLowerCase() ?? null) : null;
}

/** What the domain search must fetch to relate servers to computer accounts. */
export function computerKeysOf(servers: readonly Entry[]): { fqdns: string[]; links: string[]; names: string[] } {
  const fqdns: string[] = [];
  const links: string[] = [];
  const names: string[] = [];
  for (const s of servers) {
    const fqdn = fqdnFromNetworkAddress(all(s, 'networkAddress'));
    if (fqdn) fqdns.push(fqdn);
    const link = first(s, 'msExchComputerLink');
    if (link) links.push(link);
    names.push(nameOf(s));
  }
  return { fqdns, links, names };
}

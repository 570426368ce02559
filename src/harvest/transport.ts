/**
 * Transport: receive connectors (bindings, relay ranges, permissions), send
 * connectors, 2003/2007 routing groups and their connectors, accepted domains.
 */
import type { Entry } from '../source/directory.js';
import type { z } from 'zod';
import type { AcceptedDomain, ReceiveConnector, RoutingGroup, RoutingGroupConnector, SendConnector } from '../snapshot/model.js';
import { all, bool, first, firstBinary, identity, int, nameOf } from './entries.js';
import { decodeAcceptedDomainFlags, decodeAuthMechanisms } from './decode/auth.js';
import { parseDacl, permissionGroups, SecurityDescriptorError, sidToString, type OrgSids } from './decode/security-descriptor.js';
import { ancestorOf, DnIndex, rdnValue, sameDn } from '../dn.js';
import type { Warnings } from './warnings.js';

export function mapReceiveConnector(
  e: Entry,
  acl: Entry | undefined,
  orgSids: OrgSids,
  servers: DnIndex<Entry>,
  w: Warnings,
): ReceiveConnector | null {
  const server = servers.ancestor(e.dn);
  const name = nameOf(e);
  if (!server) {
    w.add('orphan-object', `receive connector ${e.dn} is not under a server that could be read`, e.dn);
    return null;
  }
  const flag = int(e, 'msExchSMTPReceiveInboundSecurityFlag');
  let authMechanisms: string[] = [];
  if (flag !== null) {
    const d = decodeAuthMechanisms(flag);
    authMechanisms = d.names;
    if (d.unknown) w.add('unknown-auth-bit', `receive connector ${name}: msExchSMTPReceiveInboundSecurityFlag ${flag} has unknown bits ${d.unknown}`, e.dn);
  }
  return {
    ...identity(e),
    server: server.dn,
    enabled: bool(e, 'msExchSmtpReceiveEnabled'),
    bindings: [...all(e, 'msExchSmtpReceiveBindings')],
    fqdn: first(e, 'msExchSMTPReceiveConnectorFQDN'),
    remoteIpRanges: [...all(e, 'msExchSmtpReceiveRemoteIPRanges')],
    permissionGroups: permissionGroupsOf(e, acl, orgSids, w),
    authMechanisms,
    maxMessageSize: first(e, 'msExchSmtpReceiveMaxMessageSize'),
    tlsCertificateName: first(e, 'msExchSmtpTLSCertificate'),
  };
}

function permissionGroupsOf(e: Entry, acl: Entry | undefined, orgSids: OrgSids, w: Warnings): string[] {
  const sd = acl ? firstBinary(acl, 'nTSecurityDescriptor') : null;
  if (!sd) {
    w.add('permissions-unreadable', `receive connector ${nameOf(e)}: its security descriptor could not be read, so its permission groups are unknown (the account needs read permissions on it)`, e.dn);
    return [];
  }
  try {
    return permissionGroups(parseDacl(sd), orgSids);
  } catch (err) {
    // only the decoder's own words: anything else would quote Node internals
    const why = err instanceof SecurityDescriptorError ? err.message : 'malformed';
    w.add('permissions-unreadable', `receive connector ${nameOf(e)}: security descriptor not decodable (${why})`, e.dn);
    return [];
  }
}

/** Smart hosts are one string, separated by `;` or `,` (2003 wrote `[10.0.0.1]`). */
export function splitSmartHosts(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** CN=<connector>,CN=Connections,CN=<routing group> → the routing group DN. */
function routingGroupAbove(dn: string, routingGroups: DnIndex<Entry>): string | null {
  return routingGroups.ancestor(dn)?.dn ?? null;
}

export function mapSendConnector(e: Entry, routingGroups: DnIndex<Entry>): SendConnector {
  return {
    ...identity(e),
    routingGroup: routingGroupAbove(e.dn, routingGroups),
    enabled: bool(e, 'msExchSmtpSendEnabled'),
    addressSpaces: [...all(e, 'routingList')],
    smartHosts: splitSmartHosts(first(e, 'msExchSmtpSmartHost')),
    sourceServers: [...all(e, 'msExchSourceBridgeheadServersDN')],
    port: int(e, 'msExchSmtpSendPort'),
    fqdn: first(e, 'msExchSMTPSendConnectorFQDN'),
    tlsCertificateName: first(e, 'msExchSmtpTLSCertificate'),
  };
}

export function mapRoutingGroup(e: Entry): z.infer<typeof RoutingGroup> {
  // CN=<rg>,CN=Routing Groups,CN=<admin group>
  const adminGroupDn = ancestorOf(e.dn, 2);
  return {
    ...identity(e),
    adminGroup: adminGroupDn ? rdnValue(adminGroupDn) : '',
    masterServer: first(e, 'msExchRoutingMasterDN'),
  };
}

/**
 * The routing group a connector leads to. No attribute we can rely on holds
 * it; the target bridgehead's home routing group is that group, and a server
 * without msExchHomeRoutingGroup (2007+) belongs to the only routing group of
 * its administrative group (Exchange Routing Group (DWBGZMFD01QNBJR)).
 */
function targetRoutingGroupOf(e: Entry, routingGroups: readonly Entry[], servers: DnIndex<Entry>): string | null {
  for (const t of all(e, 'msExchTargetBridgeheadServersDN')) {
    const server = servers.get(t);
    const home = server ? first(server, 'msExchHomeRoutingGroup') : null;
    if (home) return home;
    const adminGroup = ancestorOf(t, 2);
    const inGroup = routingGroups.filter((rg) => sameDn(ancestorOf(rg.dn, 2), adminGroup));
    if (inGroup.length === 1) return inGroup[0]!.dn;
  }
  return null;
}

export function mapRoutingGroupConnector(e: Entry, routingGroups: readonly Entry[], servers: DnIndex<Entry>): z.infer<typeof RoutingGroupConnector> {
  return {
    ...identity(e),
    routingGroup: routingGroupAbove(e.dn, new DnIndex(routingGroups, (rg) => rg.dn)) ?? ancestorOf(e.dn, 2) ?? '',
    targetRoutingGroup: targetRoutingGroupOf(e, routingGroups, servers),
    sourceServers: [...all(e, 'msExchSourceBridgeheadServersDN')],
    targetServers: [...all(e, 'msExchTargetBridgeheadServersDN')],
    cost: int(e, 'cost'),
  };
}

export function mapAcceptedDomain(e: Entry): AcceptedDomain {
  const flags = int(e, 'msExchAcceptedDomainFlags') ?? 0;
  const { type, isDefault } = decodeAcceptedDomainFlags(flags);
  return { ...identity(e), domainName: first(e, 'msExchAcceptedDomainName') ?? nameOf(e), type, isDefault };
}

/** Well-known GUIDs of CN=Microsoft Exchange's otherWellKnownObjects (Exchange WellKnownGuid). */
export const EXCHANGE_SERVERS_WKGUID = '6c01d2a7f08345038132789eeb127b84';
export const EXCHANGE_LEGACY_INTEROP_WKGUID = '3f965b9cf1674b4a936cb8efb19c4784';

/** `B:32:<guid hex>:<DN>` values → guid (lower hex) → DN. */
export function wellKnownObjects(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const m = /^B:32:([0-9a-fA-F]{32}):(.+)$/.exec(v);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

/** The groups whose SIDs the permission groups need, as names to search for. */
export const EXCHANGE_GROUP_NAMES = ['Exchange Servers', 'ExchangeLegacyInterop'] as const;

/**
 * SIDs of <domain>\Exchange Servers and ExchangeLegacyInterop: the group at
 * the otherWellKnownObjects DN, else the group with that account name.
 */
export function orgSidsOf(groups: readonly Entry[], wko: Map<string, string>): OrgSids {
  const byDn = new DnIndex(groups, (g) => g.dn);
  const find = (guid: string, name: string): string | null => {
    const g = byDn.get(wko.get(guid)) ?? groups.find((x) => (first(x, 'sAMAccountName') ?? '').toLowerCase() === name.toLowerCase());
    const sid = g ? firstBinary(g, 'objectSid') : null;
    if (!sid) return null;
    try {
      return sidToString(sid).sid;
    } catch {
      return null;
    }
  };
  return {
    exchangeServers: find(EXCHANGE_SERVERS_WKGUID, 'Exchange Servers'),
    exchangeLegacyInterop: find(EXCHANGE_LEGACY_INTEROP_WKGUID, 'ExchangeLegacyInterop'),
  };
}

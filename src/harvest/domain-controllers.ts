/**
 * Domain controllers and global catalogs from CN=Sites: recovery starts with
 * them, and Exchange prefers the ones in its own site.
 */
import type { Entry } from '../source/directory.js';
import type { DomainController } from '../snapshot/model.js';
import { all, classesOf, first, identity, int } from './entries.js';
import { ancestorOf, DnIndex, parentOf, rdnValue } from '../dn.js';
import type { ComputerIndex } from './computers.js';
import { addressesOf, type DnsIndex } from './dns.js';
import type { Warnings } from './warnings.js';

/** NTDS Settings `options` bit 0: this DC is a global catalog (DS_NTDSDSA_OPT_IS_GC). */
const IS_GC = 1;

/** Site servers that have an NTDS Settings child are DCs; others (e.g. leftovers) are not. */
export function dcPairs(siteServers: readonly Entry[], ntds: readonly Entry[]): Array<{ server: Entry; ntds: Entry }> {
  const servers = new DnIndex(siteServers, (s) => s.dn);
  const out: Array<{ server: Entry; ntds: Entry }> = [];
  for (const n of ntds) {
    const server = servers.get(parentOf(n.dn));
    if (server) out.push({ server, ntds: n });
  }
  return out;
}

/** The domain NC a DC holds: msDS-HasDomainNCs, else the master NC that is not config/schema/DNS. */
function domainOf(n: Entry): string | null {
  const direct = first(n, 'msDS-HasDomainNCs');
  if (direct) return direct;
  const ncs = [...all(n, 'msDS-hasMasterNCs'), ...all(n, 'hasMasterNCs')];
  return ncs.find((nc) => /^dc=/i.test(nc) && !/^dc=(domaindnszones|forestdnszones),/i.test(nc)) ?? null;
}

export function mapDomainController(
  server: Entry,
  ntds: Entry,
  computers: ComputerIndex,
  dns: DnsIndex,
  w: Warnings,
): DomainController {
  const fqdn = first(server, 'dNSHostName')?.toLowerCase() ?? null;
  // CN=<dc>,CN=Servers,CN=<site>,CN=Sites,…
  const siteDn = ancestorOf(server.dn, 2);
  const computer = computers.byDistinguishedName(first(server, 'serverReference')) ?? computers.find(fqdn, null, null);
  const ipAddresses = addressesOf(dns, fqdn);
  if (fqdn && ipAddresses.length === 0) {
    w.add('not-in-ad-dns', `domain controller ${fqdn} has no A/AAAA record in the AD-integrated DNS zones read`, server.dn);
  }
  return {
    ...identity(server),
    fqdn,
    site: siteDn ? rdnValue(siteDn) : '',
    domain: domainOf(ntds),
    isGlobalCatalog: ((int(ntds, 'options') ?? 0) & IS_GC) !== 0,
    isReadOnly: classesOf(ntds).has('ntdsdsaro'),
    operatingSystem: computer ? first(computer, 'operatingSystem') : null,
    operatingSystemVersion: computer ? first(computer, 'operatingSystemVersion') : null,
    ipAddresses,
  };
}

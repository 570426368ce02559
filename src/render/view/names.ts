/** Certificate names and relay ranges: values the tester re-checks after recovery. */
import type { AcceptedDomain, ReceiveConnector } from '../../snapshot/model.js';

export function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** internal FQDN + every URL host + autodiscover.<each authoritative domain>, sorted, unique. */
export function sslNames(fqdn: string | null, urls: (string | null)[], domains: AcceptedDomain[], servesClients: boolean): string[] {
  const names = new Set<string>();
  if (fqdn) names.add(fqdn.toLowerCase());
  if (servesClients) {
    for (const u of urls) {
      const h = hostOf(u);
      if (h) names.add(h);
    }
    for (const d of domains) if (d.type === 'Authoritative') names.add(`autodiscover.${d.domainName.toLowerCase()}`);
  }
  return [...names].sort();
}

/** "anyone" ranges are the default connector's, not relay clients: leave them out. */
export function isAnyRange(range: string): boolean {
  const r = range.trim().toLowerCase();
  if (r === '0.0.0.0-255.255.255.255' || r === '0.0.0.0/0' || r === '::/0') return true;
  return /^::-ffff(:ffff){7}$/.test(r) || /^0:0:0:0:0:0:0:0-ffff(:ffff){7}$/.test(r);
}

export type RelayRange = { connector: string; range: string };

export function relayRanges(connectors: ReceiveConnector[]): RelayRange[] {
  const out: RelayRange[] = [];
  for (const c of connectors) for (const r of c.remoteIpRanges) if (!isAnyRange(r)) out.push({ connector: c.name, range: r });
  return out.sort((a, b) => (a.connector + a.range < b.connector + b.range ? -1 : 1));
}

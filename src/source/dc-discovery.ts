/**
 * Finds a domain's DCs the way Windows' DC locator does: the SRV records AD
 * registers ([MS-ADTS] 6.3.2.3, "_ldap._tcp.dc._msdcs.<DnsDomainName>" and
 * "_ldap._tcp.<SiteName>._sites.dc._msdcs.<DnsDomainName>"), ordered by
 * priority and weight (RFC 2782).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ExbinderError } from '../errors.js';

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** A DC found by SRV, with its address when a --dns-server resolved it. */
export interface FoundDc {
  host: string;
  port: number;
  address?: string;
}

export interface DiscoveryOptions {
  domain: string;
  site?: string;
  /** AD DNS servers (IP addresses) to ask instead of the host's resolver */
  dnsServers?: string[];
  /** per DNS query, default 3000 */
  timeoutMs?: number;
  /** for RFC 2782's weighted choice; tests pass a fixed sequence */
  random?: () => number;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;
const SITE_NAME = /^[^\s.]{1,63}$/;

export function srvNames(domain: string, site?: string): string[] {
  const d = domain.replace(/\.$/, '').toLowerCase();
  const all = `_ldap._tcp.dc._msdcs.${d}`;
  return site ? [`_ldap._tcp.${site}._sites.dc._msdcs.${d}`, all] : [all];
}

/**
 * RFC 2782 order: lowest priority first; inside a priority, a weighted random
 * choice repeated until none is left (weight-0 records first in the running
 * sum, so they are chosen only by a draw of 0 or when alone).
 */
export function orderSrv(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  // a target of "." means "no such service here" (RFC 2782)
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const p of priorities) {
    // zero weights first, then the rest in the order received (a fixed order keeps a fixed random sequence reproducible)
    const left = usable.filter((r) => r.priority === p).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      const total = left.reduce((s, r) => s + r.weight, 0);
      const draw = Math.floor(random() * (total + 1));
      let sum = 0;
      let pick = left.length - 1;
      for (let i = 0; i < left.length; i++) {
        sum += left[i]!.weight;
        if (sum >= draw) {
          pick = i;
          break;
        }
      }
      out.push(left.splice(pick, 1)[0]!);
    }
  }
  return out;
}

export function validateDiscovery(o: DiscoveryOptions): void {
  if (!DNS_NAME.test(o.domain) || !o.domain.includes('.')) {
    throw new ExbinderError(`invalid --domain "${o.domain}": give the AD domain's DNS name, e.g. contoso.com`, 'usage', 2);
  }
  if (o.site !== undefined && !SITE_NAME.test(o.site)) {
    throw new ExbinderError(`invalid --site "${o.site}": give the AD site name as in Sites and Services, e.g. Default-First-Site-Name`, 'usage', 2);
  }
  for (const s of o.dnsServers ?? []) {
    if (!isIP(s)) throw new ExbinderError(`invalid --dns-server "${s}": give the IP address of an AD DNS server`, 'usage', 2);
  }
}

function dnsWhy(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'no such record';
  if (code === 'ETIMEOUT') return 'the DNS server did not answer';
  if (code === 'ECONNREFUSED') return 'the DNS server refused the query';
  if (code === 'ESERVFAIL') return 'the DNS server failed (SERVFAIL)';
  return code ?? (err as Error).message;
}

/** The domain's DCs in the order to try them; one line per DC to show. */
export async function discoverDcs(o: DiscoveryOptions): Promise<FoundDc[]> {
  validateDiscovery(o);
  const resolver = new Resolver({ timeout: o.timeoutMs ?? 3000, tries: 2 });
  if (o.dnsServers?.length) resolver.setServers(o.dnsServers);
  const via = o.dnsServers?.length ? `DNS server ${o.dnsServers.join(', ')}` : "this host's DNS resolver";
  const seen = new Set<string>();
  const ordered: SrvRecord[] = [];
  const failures: string[] = [];
  for (const name of srvNames(o.domain, o.site)) {
    let records: SrvRecord[];
    try {
      records = await resolver.resolveSrv(name);
    } catch (err) {
      failures.push(`${name}: ${dnsWhy(err)}`);
      continue;
    }
    for (const r of orderSrv(records, o.random)) {
      const key = r.name.toLowerCase().replace(/\.$/, '');
      if (seen.has(key)) continue;
      seen.add(key);
      ordered.push({ ...r, name: key });
    }
  }
  if (ordered.length === 0) {
    throw new ExbinderError(
      `no domain controller of ${o.domain} found via ${via} (${failures.join('; ')}): check --domain${o.site ? ' and --site' : ''}, or give --dns-server IP of an AD DNS server`,
      'dc-discovery',
    );
  }
  const out: FoundDc[] = [];
  for (const r of ordered) {
    const dc: FoundDc = { host: r.name, port: r.port };
    // the host's resolver may not know AD names: resolve through the same DNS server
    if (o.dnsServers?.length) {
      const address = await resolver
        .resolve4(r.name)
        .then((a) => a[0])
        .catch(() => resolver.resolve6(r.name).then((a) => a[0]).catch(() => undefined));
      if (address) dc.address = address;
    }
    out.push(dc);
  }
  return out;
}

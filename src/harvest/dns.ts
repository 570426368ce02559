/**
 * AD-integrated DNS → host addresses. Reads the dnsNode objects the DNS
 * searches returned (only nodes whose label matches a host we care about),
 * and indexes their A/AAAA records by FQDN.
 */
import type { Entry } from '../source/directory.js';
import { bool, first } from './entries.js';
import { decodeDnsRecord } from './decode/dns-record.js';
import { parentOf, rdnValue } from '../dn.js';
import { anyOf } from './filters.js';
import type { Warnings } from './warnings.js';

/**
 * The node labels that may hold `fqdn` in some zone: for ex1.corp.contoso.com
 * that is `ex1` (zone corp.contoso.com), `ex1.corp` (zone contoso.com), ….
 */
export function candidateLabels(fqdn: string): string[] {
  const parts = fqdn.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let k = 1; k < parts.length; k++) out.push(parts.slice(0, k).join('.'));
  return out;
}

/** Filter for the DNS searches, or null when there is no host to look up. */
export function dnsNodeFilter(fqdns: Iterable<string>): string | null {
  const labels = [...fqdns].flatMap(candidateLabels);
  const any = anyOf('dc', labels);
  return any === null ? null : `(&(objectClass=dnsNode)${any})`;
}

/** FQDN (lower case) → sorted unique addresses. */
export type DnsIndex = ReadonlyMap<string, readonly string[]>;

export function buildDnsIndex(nodes: readonly Entry[], warnings: Warnings): DnsIndex {
  const index = new Map<string, Set<string>>();
  for (const node of nodes) {
    if (bool(node, 'dNSTombstoned') === true) continue;
    const zoneDn = parentOf(node.dn);
    if (!zoneDn) continue;
    const zone = rdnValue(zoneDn).toLowerCase();
    const label = (first(node, 'dc') ?? rdnValue(node.dn)).toLowerCase();
    const fqdn = label === '@' ? zone : `${label}.${zone}`;
    for (const value of node.binary.get('dnsrecord') ?? []) {
      try {
        const r = decodeDnsRecord(value);
        if (r.type === 'A' || r.type === 'AAAA') {
          if (!index.has(fqdn)) index.set(fqdn, new Set());
          index.get(fqdn)!.add(r.address);
        }
      } catch (err) {
        warnings.add('dns-record-unreadable', `a DNS record of ${fqdn} could not be decoded: ${(err as Error).message}`, node.dn);
      }
    }
  }
  return new Map([...index].map(([k, v]) => [k, [...v].sort()]));
}

export function addressesOf(index: DnsIndex, fqdn: string | null): string[] {
  if (!fqdn) return [];
  return [...(index.get(fqdn.toLowerCase().replace(/\.$/, '')) ?? [])];
}

/**
 * Exchange server ↔ its computer account in the domain NC. The computer
 * account is what gets reset before RecoverServer, and it holds the OS
 * version the rebuilt server must run.
 */
import type { Entry } from '../source/directory.js';
import type { z } from 'zod';
import type { ComputerAccount } from '../snapshot/model.js';
import { first } from './entries.js';
import { DnIndex, rdnValueOrNull } from '../dn.js';
import { anyOf, or } from './filters.js';

export interface ComputerLookupKeys {
  fqdns: string[];
  /** msExchComputerLink DNs (Exchange 2000/2003) */
  links: string[];
  /** NetBIOS names for servers without FQDN or link */
  names: string[];
}

/** Part of the domain search filter that fetches exactly the computers we need. */
export function computerFilter(keys: ComputerLookupKeys): string | null {
  const byName = or([
    anyOf('dNSHostName', keys.fqdns),
    anyOf('cn', keys.links.map(rdnValueOrNull).filter((x): x is string => x !== null)),
    anyOf('sAMAccountName', keys.names.map((n) => `${n}$`)),
  ]);
  return byName === null ? null : `(&(objectClass=computer)${byName})`;
}

export class ComputerIndex {
  private readonly byFqdn = new Map<string, Entry>();
  private readonly bySam = new Map<string, Entry>();
  private readonly byDn: DnIndex<Entry>;

  constructor(computers: readonly Entry[]) {
    for (const c of computers) {
      const h = first(c, 'dNSHostName');
      if (h) this.byFqdn.set(h.toLowerCase(), c);
      const sam = first(c, 'sAMAccountName');
      if (sam) this.bySam.set(sam.toLowerCase(), c);
    }
    this.byDn = new DnIndex(computers, (c) => c.dn);
  }

  /** dNSHostName first; then msExchComputerLink; then the NetBIOS name. */
  find(fqdn: string | null, link: string | null, name: string | null): Entry | undefined {
    return (
      (fqdn ? this.byFqdn.get(fqdn.toLowerCase()) : undefined) ??
      this.byDn.get(link) ??
      (name ? this.bySam.get(`${name}$`.toLowerCase()) : undefined)
    );
  }

  byDistinguishedName(dn: string | null): Entry | undefined {
    return this.byDn.get(dn);
  }
}

export function toComputerAccount(e: Entry): z.infer<typeof ComputerAccount> {
  return {
    dn: e.dn,
    dnsHostName: first(e, 'dNSHostName'),
    operatingSystem: first(e, 'operatingSystem'),
    operatingSystemVersion: first(e, 'operatingSystemVersion'),
    operatingSystemServicePack: first(e, 'operatingSystemServicePack'),
  };
}

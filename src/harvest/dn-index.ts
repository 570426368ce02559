/** DN lookups for relating objects (parent storage group, owning server…), via B's RFC 4514 parser. */
import type { Entry } from '../source/directory.js';
import { dnKeys, normalizeDn, parentDn } from '../source/dn.js';

export class DnIndex<T = Entry> {
  private readonly map = new Map<string, T>();

  constructor(items: Iterable<T>, dnOf: (t: T) => string) {
    for (const t of items) this.map.set(key(dnOf(t)), t);
  }

  get(dn: string | null | undefined): T | undefined {
    return dn ? this.map.get(key(dn)) : undefined;
  }

  has(dn: string | null | undefined): boolean {
    return this.get(dn) !== undefined;
  }

  /** Nearest strict ancestor of `dn` present in the index (one DN parse, then key suffixes). */
  ancestor(dn: string): T | undefined {
    let keys: string[];
    try {
      keys = dnKeys(dn);
    } catch {
      return undefined;
    }
    for (let k = 1; k < keys.length; k++) {
      const hit = this.map.get(keys.slice(k).join(','));
      if (hit) return hit;
    }
    return undefined;
  }
}

/** Comparison key of a DN (normalised; lower-cased text if unparsable). */
export function dnKey(dn: string): string {
  return key(dn);
}

function key(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return dn.toLowerCase();
  }
}

/** Parent DN, or null at the top (or for an unparsable DN). */
export function safeParent(dn: string): string | null {
  try {
    const p = parentDn(dn);
    return p ? p : null;
  } catch {
    return null;
  }
}

export function sameDnLoose(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return key(a) === key(b);
}

/** DN lookups for relating objects (parent storage group, owning server…), via B's RFC 4514 parser. */
import type { Entry } from '../source/directory.js';
import { dnKeys, parentDn } from '../source/dn.js';

/** Comparison key of a DN (B's normalizeDn) and where each ancestor's key starts in it. */
interface ParsedKey {
  /** per-RDN keys joined by `,`: normalizeDn(dn) */
  readonly full: string;
  /** starts[k] = offset of the key of the k-th ancestor (RDN keys escape their commas) */
  readonly starts: readonly number[];
  /** the parent DN as written, null at the top */
  readonly parent: string | null;
}

/**
 * DN keys, memoised: the harvest relates the same few thousand DNs many
 * times (index keys, parents, ancestors), and parsing them again each time
 * was a fifth of the mapping. Bounded, so a long-lived process (tests,
 * several harvests) does not keep every DN it ever saw.
 */
const KEYS_CACHE_MAX = 200_000;
const keysCache = new Map<string, ParsedKey | null>();
function parsedKey(dn: string): ParsedKey | null {
  let parsed = keysCache.get(dn);
  if (parsed === undefined) {
    try {
      const keys = dnKeys(dn);
      const starts: number[] = [];
      let at = 0;
      for (const k of keys) {
        starts.push(at);
        at += k.length + 1;
      }
      parsed = { full: keys.join(','), starts, parent: parentDn(dn) || null };
    } catch {
      parsed = null; // unparsable: callers fall back as before
    }
    if (keysCache.size >= KEYS_CACHE_MAX) keysCache.clear();
    keysCache.set(dn, parsed);
  }
  return parsed;
}

/** Parses a DN now so later lookups of it are cheap (the harvest calls it while it waits for the DC). */
export function prepareDn(dn: string): void {
  parsedKey(dn);
}

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
    const parsed = parsedKey(dn);
    if (!parsed) return undefined;
    for (let k = 1; k < parsed.starts.length; k++) {
      const hit = this.map.get(parsed.full.slice(parsed.starts[k]));
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
  return parsedKey(dn)?.full ?? dn.toLowerCase();
}

/** Parent DN, or null at the top (or for an unparsable DN). */
export function safeParent(dn: string): string | null {
  return parsedKey(dn)?.parent ?? null;
}

export function sameDnLoose(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return key(a) === key(b);
}

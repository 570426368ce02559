/**
 * Small readers over directory entries, shared by the mappers: typed values,
 * identity, the raw attribute appendix. Pure.
 */
import type { Entry } from '../source/directory.js';
import { first, all, firstBinary } from '../source/directory.js';
import { rdnValue } from '../dn.js';
import { guidFromBytes } from './decode/guid.js';
import { VOLATILE_ATTRIBUTES } from '../snapshot/model.js';

export { first, all, firstBinary };

/** Integer attribute, or null when absent or not an integer. */
export function int(entry: Entry, attribute: string): number | null {
  const v = first(entry, attribute);
  if (v === null || !/^-?\d+$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** LDAP Boolean (`TRUE`/`FALSE`), or null when absent. */
export function bool(entry: Entry, attribute: string): boolean | null {
  const v = first(entry, attribute);
  if (v === null) return null;
  return v.trim().toUpperCase() === 'TRUE';
}

/** Lower-cased objectClass values. */
export function classesOf(entry: Entry): Set<string> {
  return new Set(all(entry, 'objectClass').map((c) => c.toLowerCase()));
}

export function guidOf(entry: Entry): string {
  const b = firstBinary(entry, 'objectGUID');
  const g = b ? guidFromBytes(b) : null;
  // every AD object has one; an export without it still needs a stable key
  return g ?? `dn:${entry.dn.toLowerCase()}`;
}

/** cn (or name) of the object, else the RDN value. */
export function nameOf(entry: Entry): string {
  return first(entry, 'cn') ?? first(entry, 'name') ?? rdnValue(entry.dn);
}

/**
 * The text attributes read, for the appendix: lower-case keys, values sorted
 * (LDAP returns them in no fixed order), volatile and huge ones removed.
 */
export function rawOf(entry: Entry): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of [...entry.text.keys()].sort()) {
    const k = key.toLowerCase();
    if (VOLATILE_ATTRIBUTES.has(k) || k.includes(';range=')) continue;
    const values = entry.text.get(key) ?? [];
    if (values.length === 0) continue;
    out[k] = [...values].sort();
  }
  return out;
}

/** Identity block every snapshot object carries. */
export function identity(entry: Entry): { guid: string; dn: string; name: string; raw: Record<string, string[]> } {
  return { guid: guidOf(entry), dn: entry.dn, name: nameOf(entry), raw: rawOf(entry) };
}

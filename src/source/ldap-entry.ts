/**
 * Entries as ldapts hands them over, made into the source's Entry: attribute
 * types as the server sent them, values as text or bytes. Pure functions.
 */
import type { Entry as LdaptsEntry, SearchEntry } from 'ldapts';
import type { Entry } from './directory.js';
import { parseRangeKey } from './ldap-range.js';

/** ldapts compares explicitBufferAttributes with includes(): make it case-insensitive. */
class CaseInsensitiveList extends Array<string> {
  private lower: Set<string> | undefined;
  override includes(type: string): boolean {
    // ldapts asks once per attribute of every entry: lower-case our names once, not per call
    if (!this.lower) {
      this.lower = new Set();
      for (const a of this) this.lower.add(a.toLowerCase());
    }
    const semi = type.indexOf(';');
    return this.lower.has((semi < 0 ? type : type.slice(0, semi)).toLowerCase());
  }
}
export function caseInsensitive(names: readonly string[]): string[] {
  const list = new CaseInsensitiveList();
  list.push(...names);
  return list;
}

/** A value as ldapts returns it: scalar for one value, array for several, [] for none. */
export type RawValue = LdaptsEntry[string];

export function toArray(v: RawValue): (string | Buffer)[] {
  if (Array.isArray(v)) return v as (string | Buffer)[];
  return [v as string | Buffer];
}

export function asText(v: string | Buffer): string {
  // a non-binary attribute whose bytes are not UTF-8: same lossy decoding as the LDIF source
  return typeof v === 'string' ? v : v.toString('utf8');
}

export function asBytes(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/** One entry as read, before normalisation: attribute types as the server sent them. */
export interface RawEntry {
  readonly dn: string;
  readonly attributes: readonly { readonly type: string; readonly values: readonly (string | Buffer)[] }[];
}

/**
 * An ldapts SearchEntry as toObject() would present it, without the empty
 * arrays for absent attributes: binary attributes (name before any `;`
 * option, case-insensitively) and attributes with a value that is not UTF-8
 * come as the bytes received, the rest as ldapts' UTF-8 strings.
 */
export function fromSearchEntry(e: SearchEntry, binary: ReadonlySet<string>): RawEntry {
  return {
    dn: e.name,
    attributes: e.attributes.map((a) => {
      const semi = a.type.indexOf(';');
      const name = (semi < 0 ? a.type : a.type.slice(0, semi)).toLowerCase();
      const values: readonly (string | Buffer)[] = a.values;
      return { type: a.type, values: binary.has(name) || values.some((v) => Buffer.isBuffer(v)) ? a.parsedBuffers : values };
    }),
  };
}

/** An entry from ldapts' searchPaginated() (toObject: scalar for one value, [] for an absent attribute). */
export function fromLdaptsObject(raw: LdaptsEntry): RawEntry {
  const attributes: { type: string; values: (string | Buffer)[] }[] = [];
  for (const key of Object.keys(raw)) if (key !== 'dn') attributes.push({ type: key, values: toArray(raw[key]!) });
  return { dn: raw.dn, attributes };
}

/** An entry with its ranged attributes still to complete: `incomplete` says from which value on. */
export interface NormalizedEntry {
  dn: string;
  text: Map<string, string[]>;
  bytes: Map<string, Buffer[]>;
  incomplete: { name: string; next: number }[];
}

/** Lower-cases attribute names, splits text from bytes, merges range windows. */
export function normalizeEntry(raw: RawEntry, binary: ReadonlySet<string>): NormalizedEntry {
  const text = new Map<string, string[]>();
  const bytes = new Map<string, Buffer[]>();
  const incomplete: { name: string; next: number }[] = [];
  const attrs: { name: string; values: readonly (string | Buffer)[]; range: ReturnType<typeof parseRangeKey> }[] = [];
  // with `*` in the request a server may return an attribute both plain and
  // ranged: the ranged windows are authoritative (the plain key may be capped)
  const rangedHere = new Set<string>();
  for (const { type: key, values } of raw.attributes) {
    if (values.length === 0) continue; // ldapts' toObject fills requested-but-absent attributes with []
    // only a key with options can be a range (`homeMDBBL;range=0-1499`): the regex runs for those alone
    const range = key.includes(';') ? parseRangeKey(key) : null;
    if (range) rangedHere.add(range.name);
    attrs.push({ name: range ? range.name : key.toLowerCase(), values, range });
  }
  for (const { name, values, range } of attrs) {
    if (!range && rangedHere.has(name)) continue;
    if (binary.has(name)) appendTo(bytes, name, values.map(asBytes));
    else appendTo(text, name, values.map(asText));
    // a plain key (server ignored the range option) or `-*` is complete
    if (range && range.hi !== '*') incomplete.push({ name, next: range.hi + 1 });
  }
  return { dn: raw.dn, text, bytes, incomplete };
}

/** Adds the rest of a ranged attribute. */
export function completeEntry(n: NormalizedEntry, name: string, rest: (string | Buffer)[], binary: ReadonlySet<string>): void {
  if (binary.has(name)) appendTo(n.bytes, name, rest.map(asBytes));
  else appendTo(n.text, name, rest.map(asText));
}

export function toEntry(n: NormalizedEntry): Entry {
  return { dn: n.dn, text: n.text, binary: n.bytes };
}

function appendTo<T>(map: Map<string, T[]>, key: string, values: T[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values); // callers pass a fresh array (a map() result): no copy
}

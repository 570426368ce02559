/**
 * RFC 4514 distinguished names: parse, compare, walk up. The one DN module
 * of exbinder, on the ground floor: the sources, the harvest, the diff and
 * the view all use it, and no stage splits or compares DNs by hand.
 *
 * Exchange object names routinely hold characters that are special in DNs
 * (`CN=SG2\, Finance`, `owa (Default Web Site)`, non-ASCII org names), so DNs
 * are never split on bare commas: everything goes through this parser. AD
 * compares DNs case-insensitively and tolerates spaces after separators
 * (ldifde writes `CN=a, CN=b`), and so do we.
 *
 * Two families of functions:
 * - strict (`parseDn`, `dnKeys`, `rdnValue`, `parentDn`): throw
 *   ExbinderError('dn-syntax') on a malformed DN; the sources use them to
 *   report bad input;
 * - tolerant (`dnKey`, `sameDn`, `parentOf`, `ancestorOf`, `rdnValueOf`,
 *   `DnIndex`): never throw; a value that does not parse is compared as
 *   lower-cased text and has no parent. The stages after the source use these
 *   on values that came out of the directory (and out of snapshots).
 */
import { ExbinderError } from './errors.js';

/** One attribute-value assertion of an RDN: `CN=Mailbox Database`. */
export interface Ava {
  /** attribute type as written (`CN`, `cn`, `2.5.4.3`) */
  readonly type: string;
  /** value with all escapes resolved */
  readonly value: string;
}

/** One RDN (usually a single Ava; several for multi-valued `A=1+B=2`). */
export interface Rdn {
  readonly avas: readonly Ava[];
  /** start offset of this RDN in the source string (after leading spaces) */
  readonly start: number;
  /** offset just past this RDN (before its separator and trailing spaces) */
  readonly end: number;
}

function dnError(dn: string, why: string): ExbinderError {
  return new ExbinderError(`invalid distinguished name "${dn}": ${why}`, 'dn-syntax');
}

/** letters, digits, '-' and '.' (descr or numericoid); charCode test, this is the hot loop of LDIF loading */
function isTypeChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/**
 * Parses a DN into RDNs, first (leaf) RDN first. The empty string is the
 * root DSE and parses to []. Throws ExbinderError('dn-syntax') on bad input.
 */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let i = 0;
  const n = dn.length;
  const skipSpaces = (): void => {
    while (i < n && dn[i] === ' ') i++;
  };
  skipSpaces();
  if (i === n) return rdns;

  for (;;) {
    skipSpaces();
    const rdnStart = i;
    const avas: Ava[] = [];
    let rdnEnd = i;
    for (;;) {
      skipSpaces();
      // attribute type: descr (letter then letters/digits/hyphens) or numericoid
      const typeStart = i;
      while (i < n && isTypeChar(dn.charCodeAt(i))) i++;
      const type = dn.slice(typeStart, i);
      if (!type) throw dnError(dn, `expected an attribute type at position ${i + 1}`);
      skipSpaces();
      if (dn[i] !== '=') throw dnError(dn, `expected '=' after "${type}" at position ${i + 1}`);
      i++;
      skipSpaces();
      const { value, next, valueEnd } = readValue(dn, i);
      i = next;
      rdnEnd = valueEnd;
      avas.push({ type, value });
      if (dn[i] === '+') {
        i++;
        continue;
      }
      break;
    }
    rdns.push({ avas, start: rdnStart, end: rdnEnd });
    if (i >= n) break;
    if (dn[i] === ',' || dn[i] === ';') {
      i++;
      skipSpaces();
      if (i >= n) throw dnError(dn, 'ends with a separator');
      continue;
    }
    throw dnError(dn, `unexpected character '${dn[i]}' at position ${i + 1}`);
  }
  return rdns;
}

/**
 * Reads one attribute value starting at `start`. Returns the unescaped value,
 * the index of the next separator (or end) and where the value text ended.
 * Unescaped trailing spaces are dropped (RFC 4514 requires them escaped; AD
 * tools sometimes write `CN=a , CN=b`).
 */
function readValue(dn: string, start: number): { value: string; next: number; valueEnd: number } {
  const n = dn.length;
  let i = start;
  if (dn[i] === '#') {
    // BER-encoded value in hex: kept verbatim (AD never writes these for the
    // naming attributes Exchange uses; comparison stays textual)
    i++;
    while (i < n && isHex(dn[i])) i++;
    const text = dn.slice(start, i);
    const valueEnd = i;
    while (i < n && dn[i] === ' ') i++;
    return { value: text, next: i, valueEnd };
  }
  if (dn[i] === '"') {
    // RFC 2253/1779 quoted value, still written by some old tools
    i++;
    let out = '';
    while (i < n && dn[i] !== '"') {
      if (dn[i] === '\\' && i + 1 < n) {
        out += dn[i + 1];
        i += 2;
      } else {
        out += dn[i];
        i++;
      }
    }
    if (dn[i] !== '"') throw dnError(dn, 'unterminated quoted value');
    i++;
    const valueEnd = i;
    while (i < n && dn[i] === ' ') i++;
    return { value: out, next: i, valueEnd };
  }

  let out = '';
  // hex escapes are UTF-8 bytes (`\C3\A9` = é): collect runs, decode once
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = [];
    }
  };
  // `significant` = length of `out` up to the last non-blank or escaped
  // character; anything after it is unescaped trailing blanks to drop
  let significant = 0;
  let valueEnd = i;
  while (i < n) {
    const c = dn[i]!;
    if (c === ',' || c === ';' || c === '+') break;
    if (c === '\\') {
      const a = dn[i + 1];
      const b = dn[i + 2];
      if (isHex(a) && isHex(b)) {
        bytes.push(parseInt(a! + b!, 16));
        i += 3;
        valueEnd = i;
        continue;
      }
      flush();
      if (a !== undefined && !/[A-Za-z0-9]/.test(a)) {
        out += a;
        i += 2;
        significant = out.length;
        valueEnd = i;
        continue;
      }
      throw dnError(dn, `invalid escape '\\${a ?? ''}' at position ${i + 1}`);
    }
    if (bytes.length) {
      flush();
      significant = out.length;
    }
    out += c;
    i++;
    if (c !== ' ') {
      significant = out.length;
      valueEnd = i;
    }
  }
  if (bytes.length) {
    flush();
    significant = out.length;
  }
  out = out.slice(0, significant);
  return { value: out, next: i, valueEnd };
}

/** Escapes an attribute value for a DN string (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k]!;
    if (c === ',' || c === '+' || c === '"' || c === '\\' || c === '<' || c === '>' || c === ';' || c === '=') {
      out += '\\' + c;
    } else if (c === '\0') {
      out += '\\00';
    } else if ((c === ' ' && (k === 0 || k === value.length - 1)) || (c === '#' && k === 0)) {
      out += '\\' + c;
    } else {
      out += c;
    }
  }
  return out;
}

/** Builds a DN string from RDNs (types as given, values escaped). */
export function formatDn(rdns: readonly Rdn[] | readonly (readonly Ava[])[]): string {
  return rdns
    .map((r) => ('avas' in r ? r.avas : r).map((a) => `${a.type}=${escapeDnValue(a.value)}`).join('+'))
    .join(',');
}

/** The canonical comparison key of one RDN (case-folded, AVAs sorted). */
function rdnKey(avas: readonly Ava[]): string {
  return avas
    .map((a) => `${a.type.toLowerCase()}=${escapeDnValue(a.value.toLowerCase())}`)
    .sort()
    .join('+');
}

/** Per-RDN comparison keys, leaf first. Two DNs are equal iff their keys are. */
export function dnKeys(dn: string): string[] {
  return parseDn(dn).map((r) => rdnKey(r.avas));
}

/**
 * Canonical form for comparison and map keys: lower-cased types and values,
 * escapes normalised, no spaces around separators. Not for display.
 */
export function normalizeDn(dn: string): string {
  return dnKeys(dn).join(',');
}

/** Value of the first RDN, unescaped: `CN=SG2\, Finance,…` → `SG2, Finance`. */
export function rdnValue(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first) throw dnError(dn, 'has no RDN');
  return first.avas[0]!.value;
}

/** Attribute type of the first RDN, as written (`CN`, `DC`, `OU`). */
export function rdnType(dn: string): string {
  const first = parseDn(dn)[0];
  if (!first) throw dnError(dn, 'has no RDN');
  return first.avas[0]!.type;
}

/**
 * Parent DN, spelled as in the input (a slice of it, so the directory's
 * spelling survives); '' for a single-RDN DN; null for the empty DN.
 */
export function parentDn(dn: string): string | null {
  const rdns = parseDn(dn);
  if (rdns.length === 0) return null;
  const second = rdns[1];
  return second ? dn.slice(second.start) : '';
}

/**
 * True when `dn` is strictly below `base` (a child, grandchild, …); false for
 * the same DN. The empty base (root DSE) is above every non-empty DN.
 */
export function isUnder(dn: string, base: string): boolean {
  const d = dnKeys(dn);
  const b = dnKeys(base);
  return isUnderKeys(d, b);
}

/** isUnder on precomputed keys (leaf first), for hot loops. */
export function isUnderKeys(d: readonly string[], b: readonly string[]): boolean {
  if (d.length <= b.length) return false;
  const off = d.length - b.length;
  for (let k = 0; k < b.length; k++) if (d[off + k] !== b[k]) return false;
  return true;
}

/** True when `dn` is a direct child of `parent`. */
export function isChildOf(dn: string, parent: string): boolean {
  const d = dnKeys(dn);
  const p = dnKeys(parent);
  return d.length === p.length + 1 && isUnderKeys(d, p);
}

// ------------------------------------------------------------ tolerant, memoised

/** Comparison key of a DN and where each ancestor's key starts in it. */
interface ParsedKey {
  /** per-RDN keys joined by `,`: normalizeDn(dn) */
  readonly full: string;
  /** starts[k] = offset of the key of the k-th ancestor (RDN keys escape their commas) */
  readonly starts: readonly number[];
  /** the parent DN as written, null at the top */
  readonly parent: string | null;
  /** offset in the DN as written where each RDN starts (after leading spaces) */
  readonly rdnStarts: readonly number[];
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
      const rdns = parseDn(dn);
      const keys = rdns.map((r) => rdnKey(r.avas));
      const starts: number[] = [];
      let at = 0;
      for (const k of keys) {
        starts.push(at);
        at += k.length + 1;
      }
      parsed = { full: keys.join(','), starts, parent: rdns[1] ? dn.slice(rdns[1].start) : null, rdnStarts: rdns.map((r) => r.start) };
    } catch {
      parsed = null; // unparsable: compared as text, no parent
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

/** Comparison key of a DN: normalizeDn, or the lower-cased text when it does not parse. */
export function dnKey(dn: string): string {
  return parsedKey(dn)?.full ?? dn.toLowerCase();
}

/** Case- and spacing-insensitive DN equality; false when either is absent. */
export function sameDn(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return dnKey(a) === dnKey(b);
}

/** Parent DN as written, or null at the top and for a value that is no DN. */
export function parentOf(dn: string | null | undefined): string | null {
  return dn ? (parsedKey(dn)?.parent ?? null) : null;
}

/**
 * The ancestor `levels` up (1 = parent, 2 = grandparent: the admin group of
 * `CN=EX1,CN=Servers,CN=<admin group>`), spelled as written; null when the DN
 * is not that deep or no DN.
 */
export function ancestorOf(dn: string | null | undefined, levels: number): string | null {
  let at: string | null = dn ?? null;
  for (let k = 0; k < levels && at !== null; k++) at = parentOf(at);
  return at;
}

/** Value of the first RDN for display; null for null, and a value that is no DN is returned as it is. */
export function rdnValueOf(dn: string | null | undefined): string | null {
  return dn ? (rdnValueOrNull(dn) ?? dn) : null;
}

/** Value of the first RDN, or null when absent or no DN. */
export function rdnValueOrNull(dn: string | null | undefined): string | null {
  if (!dn) return null;
  try {
    return rdnValue(dn);
  } catch {
    return null;
  }
}

/**
 * The value of the RDN directly below the first ancestor named `container`
 * (`CN=Servers`): for `CN=owa (Default Web Site),CN=HTTP,CN=Protocols,CN=EX1,CN=Servers,…`
 * that is `EX1`. Null when there is no such ancestor or the DN does not parse.
 */
export function childOfContainer(dn: string, container: string): string | null {
  let rdns: Rdn[];
  let want: string;
  try {
    rdns = parseDn(dn);
    want = dnKeys(container).join(',');
  } catch {
    return null;
  }
  for (let k = 0; k + 1 < rdns.length; k++) {
    if (rdnKey(rdns[k + 1]!.avas) === want) return rdns[k]!.avas[0]!.value;
  }
  return null;
}

/** Objects looked up by DN (case- and spacing-insensitive), and the nearest ancestor of a DN among them. */
export class DnIndex<T> {
  private readonly map = new Map<string, T>();

  constructor(items: Iterable<T>, dnOf: (t: T) => string) {
    for (const t of items) this.map.set(dnKey(dnOf(t)), t);
  }

  get(dn: string | null | undefined): T | undefined {
    return dn ? this.map.get(dnKey(dn)) : undefined;
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

// ------------------------------------------------------------ DNs inside values

/**
 * Rewrites the DNs inside a value after renames: `renamed` maps the dnKey of
 * an old DN to its new DN. A value equal to or below a renamed DN gets the new
 * DN in place of that part (the RDNs below it keep their spelling). Values
 * that are no DN are scanned tolerantly: a suffix after an unescaped comma
 * that is a renamed DN is rewritten too, so DN-with-binary values
 * (`B:32:<guid>:CN=…`) and free text that ends in a DN follow a rename.
 */
export function rewriteDnsIn(value: string, renamed: ReadonlyMap<string, string>): string {
  if (renamed.size === 0 || !value.includes('=')) return value;
  const hit = renamed.get(dnKey(value));
  if (hit !== undefined) return hit;
  for (const start of suffixStarts(value)) {
    const target = renamed.get(dnKey(value.slice(start).trimStart()));
    if (target !== undefined) return value.slice(0, start) + target;
  }
  return value;
}

/** Offsets just after each unescaped comma: where a parent DN (or a DN at the end of free text) can start. */
function suffixStarts(value: string): number[] {
  const parsed = parsedKey(value);
  // a DN: the parser knows where each RDN starts (quoted values and escapes included)
  if (parsed) return parsed.rdnStarts.slice(1);
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === ',') out.push(i + 1);
  }
  return out;
}

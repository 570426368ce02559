/**
 * RFC 4514 distinguished names: parse, compare, walk up.
 *
 * Exchange object names routinely hold characters that are special in DNs
 * (`CN=SG2\, Finance`, `owa (Default Web Site)`, non-ASCII org names), so DNs
 * are never split on bare commas anywhere in exbinder: everything goes
 * through this parser. AD compares DNs case-insensitively and tolerates
 * spaces after separators (ldifde writes `CN=a, CN=b`), and so do we.
 *
 * Pure functions only; the harvest imports them for DN arithmetic.
 */
import { ExbinderError } from '../errors.js';

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

/** Case- and spacing-insensitive DN equality. */
export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
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

/**
 * RFC 4515 search filters: parsing (ldapts' FilterParser) and in-memory
 * matching with AD semantics, for the LDIF source.
 *
 * ldapts' own `Filter.matches()` cannot be used: it sees one string per
 * attribute (no multi-valued objectClass), its extensible filter throws, and
 * it compares numbers as strings. So we walk ldapts' parsed tree ourselves.
 */
import {
  AndFilter,
  ApproximateFilter,
  EqualityFilter,
  ExtensibleFilter,
  type Filter,
  FilterParser,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
} from 'ldapts';
import { ExbinderError } from '../errors.js';
import { normalizeDn, rdnValue } from '../dn.js';

/** AD's LDAP_MATCHING_RULE_BIT_AND: all asserted bits set. */
export const BIT_AND = '1.2.840.113556.1.4.803';
/** AD's LDAP_MATCHING_RULE_BIT_OR: any asserted bit set. */
export const BIT_OR = '1.2.840.113556.1.4.804';

/**
 * ldapts' FilterParser turns each `\xx` escape into one UTF-16 code unit,
 * so `J\c3\b6rg` would become "JÃ¶rg" (node-libraries.md §1.8). Text filters
 * only need escapes for ASCII specials; we decode runs of escapes that form
 * UTF-8 text into the characters themselves before handing the string over.
 * Escapes of ASCII bytes are kept (they may be `\28`, `\2a`, …). A run that is
 * not valid UTF-8 is binary, which the Directory contract excludes.
 */
export function decodeNonAsciiEscapes(filter: string): string {
  return filter.replace(/(?:\\[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/\\/g, ''), 'hex');
    if (bytes.every((b) => b < 0x80)) return run;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ExbinderError(
        `search filter ${filter} holds binary escapes: use text values only (binary lookups need a Filter object)`,
        'filter-syntax',
      );
    }
    // re-escape the ASCII specials that were part of the run
    return text.replace(/[()*\\\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  });
}

/** Parses a filter string into ldapts' tree, with a clear error. */
export function parseFilter(filter: string): Filter {
  try {
    return FilterParser.parseString(decodeNonAsciiEscapes(filter));
  } catch (err) {
    if (err instanceof ExbinderError) throw err;
    throw new ExbinderError(`invalid search filter ${filter}: ${(err as Error).message}`, 'filter-syntax', 2, { cause: err });
  }
}

/** What the matcher needs of an entry: values by lower-cased attribute name. */
export type ValuesOf = (attributeLc: string) => readonly string[] | undefined;

/** Compiles a filter string to a predicate over entries. */
export function compileFilter(filter: string): (values: ValuesOf) => boolean {
  const tree = parseFilter(filter);
  // validate once up front so unsupported rules fail before any entry is read
  check(tree, filter);
  return (values) => matches(tree, values);
}

function check(f: Filter, text: string): void {
  if (f instanceof AndFilter || f instanceof OrFilter) f.filters.forEach((c) => check(c, text));
  else if (f instanceof NotFilter) check(f.filter, text);
  else if (f instanceof ExtensibleFilter) {
    const unsupported = (why: string): ExbinderError =>
      new ExbinderError(`search filter ${text}: ${why} is not supported by the LDIF source`, 'filter-unsupported');
    if (f.dnAttributes) throw unsupported('the :dn: extensible match');
    if (!f.matchType) throw unsupported('an extensible match without attribute');
    if (f.rule && f.rule !== BIT_AND && f.rule !== BIT_OR) throw unsupported(`matching rule ${f.rule}`);
    if (f.rule && !/^-?\d+$/.test(f.value)) {
      throw new ExbinderError(`search filter ${text}: bitwise rule needs an integer, got "${f.value}"`, 'filter-syntax');
    }
  }
}

const INTEGER = /^-?\d+$/;

function valuesFor(values: ValuesOf, attribute: string): readonly string[] {
  return values(attribute.toLowerCase()) ?? [];
}

/**
 * Equality with AD's leniency: case-insensitive; DN-valued attributes compare
 * as DNs (spacing/escaping/case); objectCategory accepts a class name for
 * the category DN (AD maps `person` to `CN=Person,CN=Schema,…`; the schema
 * object's CN is the hyphenated lDAPDisplayName, e.g. ms-Exch-Exchange-Server).
 */
function equals(attribute: string, assertion: string, value: string): boolean {
  if (assertion.toLowerCase() === value.toLowerCase()) return true;
  if (attribute.toLowerCase() === 'objectcategory' && !assertion.includes('=')) {
    try {
      const cn = rdnValue(value);
      return cn.replace(/-/g, '').toLowerCase() === assertion.replace(/-/g, '').toLowerCase();
    } catch {
      return false;
    }
  }
  if (assertion.includes('=') && value.includes('=')) {
    try {
      return normalizedAssertion(assertion) === normalizeDn(value);
    } catch {
      return false;
    }
  }
  if (INTEGER.test(assertion) && INTEGER.test(value)) return BigInt(assertion) === BigInt(value);
  return false;
}

const assertionCache = new Map<string, string>();
/** The same assertion is compared with every entry: normalise it once. */
function normalizedAssertion(assertion: string): string {
  let n = assertionCache.get(assertion);
  if (n === undefined) {
    n = normalizeDn(assertion);
    if (assertionCache.size > 1000) assertionCache.clear();
    assertionCache.set(assertion, n);
  }
  return n;
}

/** Ordering: integers numerically (AD Integer/LargeInteger syntax), else case-insensitive text. */
function compare(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function substringMatch(f: SubstringFilter, value: string): boolean {
  const v = value.toLowerCase();
  let pos = 0;
  const initial = f.initial.toLowerCase();
  if (initial) {
    if (!v.startsWith(initial)) return false;
    pos = initial.length;
  }
  for (const any of f.any) {
    const a = any.toLowerCase();
    if (!a) continue;
    const at = v.indexOf(a, pos);
    if (at < 0) return false;
    pos = at + a.length;
  }
  const final = f.final.toLowerCase();
  if (final) return v.length - final.length >= pos && v.endsWith(final);
  return true;
}

/**
 * Bitwise rules on two's-complement integers: BigInt's `&` works on the
 * infinite sign extension, so negative 32-bit values such as groupType
 * -2147483646 behave as AD does.
 */
function bitwise(rule: string, value: string, assertion: string): boolean {
  if (!INTEGER.test(value)) return false;
  const v = BigInt(value);
  const a = BigInt(assertion);
  return rule === BIT_AND ? (v & a) === a : (v & a) !== 0n;
}

export function matches(f: Filter, values: ValuesOf): boolean {
  if (f instanceof AndFilter) return f.filters.every((c) => matches(c, values));
  if (f instanceof OrFilter) return f.filters.some((c) => matches(c, values));
  if (f instanceof NotFilter) return !matches(f.filter, values);
  if (f instanceof PresenceFilter) {
    // every entry has an objectClass in AD; LDIF exports may omit it
    if (f.attribute.toLowerCase() === 'objectclass') return true;
    return valuesFor(values, f.attribute).length > 0;
  }
  if (f instanceof EqualityFilter || f instanceof ApproximateFilter) {
    const assertion = typeof f.value === 'string' ? f.value : f.value.toString('utf8');
    return valuesFor(values, f.attribute).some((v) => equals(f.attribute, assertion, v));
  }
  if (f instanceof SubstringFilter) return valuesFor(values, f.attribute).some((v) => substringMatch(f, v));
  if (f instanceof GreaterThanEqualsFilter) return valuesFor(values, f.attribute).some((v) => compare(v, f.value) >= 0);
  if (f instanceof LessThanEqualsFilter) return valuesFor(values, f.attribute).some((v) => compare(v, f.value) <= 0);
  if (f instanceof ExtensibleFilter) {
    const vs = valuesFor(values, f.matchType);
    if (!f.rule) return vs.some((v) => equals(f.matchType, f.value, v));
    return vs.some((v) => bitwise(f.rule, v, f.value));
  }
  throw new ExbinderError(`search filter element ${f.toString()} is not supported by the LDIF source`, 'filter-unsupported');
}

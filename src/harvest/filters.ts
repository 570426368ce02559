/** RFC 4515 filter building for the dynamic searches (host labels, names). */

/** Escapes a value for an LDAP filter: `( ) * \ NUL` and non-ASCII bytes stay text (UTF-8). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[()*\\\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** `(|(a=x)(a=y))`, or null when there are no values (the search is skipped). */
export function anyOf(attribute: string, values: Iterable<string>): string | null {
  const uniq = [...new Set([...values].map((v) => v.toLowerCase()))].sort();
  if (uniq.length === 0) return null;
  const parts = uniq.map((v) => `(${attribute}=${escapeFilterValue(v)})`);
  return parts.length === 1 ? parts[0]! : `(|${parts.join('')})`;
}

/** `(|f1 f2 …)` of non-null parts; null when none. */
export function or(parts: ReadonlyArray<string | null>): string | null {
  const ps = parts.filter((p): p is string => p !== null);
  if (ps.length === 0) return null;
  return ps.length === 1 ? ps[0]! : `(|${ps.join('')})`;
}

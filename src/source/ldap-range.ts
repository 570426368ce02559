/**
 * Ranged retrieval (`member;range=0-1499`): AD returns at most MaxValRange
 * values of a multi-valued attribute per read; ldapts has no range support.
 */
import type { Entry as LdaptsEntry } from 'ldapts';
import { ExbinderError } from '../errors.js';
import { toArray } from './ldap-entry.js';

/** Values per range window. AD's default MaxValRange is 1500. */
export const RANGE_WINDOW = 1500;
const RANGE_KEY = /^([^;]+)((?:;[^;]*)*?);range=(\d+)-(\d+|\*)((?:;[^;]*)*)$/i;

/** Splits `homeMDBBL;range=0-1499` into the attribute and its window. */
export function parseRangeKey(key: string): { name: string; lo: number; hi: number | '*' } | null {
  const m = RANGE_KEY.exec(key);
  if (!m) return null;
  return { name: (m[1]! + m[2]! + m[5]!).toLowerCase(), lo: Number(m[3]), hi: m[4] === '*' ? '*' : Number(m[4]) };
}

/** Reads one window: a base search of `dn` for `attr` (e.g. `member;range=1500-2999`). */
export type ReadWindow = (dn: string, attr: string, name: string) => Promise<LdaptsEntry | undefined>;

/** Fetches `attr;range=lo-…` windows of one entry until the server says `-*`. */
export async function rangedValues(read: ReadWindow, where: string, dn: string, name: string, from: number): Promise<(string | Buffer)[]> {
  const out: (string | Buffer)[] = [];
  let lo = from;
  for (;;) {
    const attr = `${name};range=${lo}-${lo + RANGE_WINDOW - 1}`;
    const entry = await read(dn, attr, name);
    let more: number | null = null;
    let found = false;
    for (const [key, value] of Object.entries(entry ?? {})) {
      const r = parseRangeKey(key);
      // ldapts echoes every requested key, filled with [] when the server
      // answered under another name (`…;range=1500-*`): only real windows count
      const values = toArray(value);
      if (!r || r.name !== name || values.length === 0) continue;
      found = true;
      out.push(...values);
      if (r.hi !== '*') {
        if (r.hi < lo) {
          throw new ExbinderError(`${where} answered ${key} for ${attr} on ${dn}: range retrieval does not advance`, 'ldap-range');
        }
        more = r.hi + 1;
      }
    }
    if (!found || more === null) return out;
    lo = more;
  }
}

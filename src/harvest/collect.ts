/**
 * Runs the fixed set of searches declared in kinds.ts and sorts the entries
 * into kinds. The only module of the harvest that talks to the Directory.
 */
import type { Directory, Entry, RootDse, SearchRequest } from '../source/directory.js';
import { ExbinderError } from '../errors.js';
import { KINDS, SEARCHES, attributesOf, kindsOf, type KindId, type SearchId } from './kinds.js';
import { classesOf } from './entries.js';
import type { Warnings } from './warnings.js';

export interface Collected {
  rootDse: RootDse;
  byKind: Map<KindId, Entry[]>;
  /** entries of the Exchange search that are no kind we map (checked for unknown server children) */
  exchangeOther: Entry[];
  /** searches issued by the harvest itself (the source may count range follow-ups on top) */
  searches: number;
}

export function emptyCollected(rootDse: RootDse): Collected {
  return { rootDse, byKind: new Map(KINDS.map((k) => [k.id, []])), exchangeOther: [], searches: 0 };
}

export function entriesOf(c: Collected, kind: KindId): Entry[] {
  return c.byKind.get(kind) ?? [];
}

/** True for "the base object does not exist" from either source (LDAP result 32). */
export function isNoSuchObject(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === 32 || e.code === 'no-such-object' || e.code === 'not-found') return true;
  return typeof e.message === 'string' && /no such object|0x20\b/i.test(e.message);
}

/** True for "you may not read this" (LDAP result 50). */
export function isAccessDenied(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === 50 || e.code === 'insufficient-access' || e.code === 'ldap-access') return true;
  return typeof e.message === 'string' && /insufficient access|0x32\b/i.test(e.message);
}

/** The DC does not hold that naming context (LDAP referral, result 10). */
export function isReferral(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return !!e && (e.code === 10 || e.code === 'ldap-referral');
}

/**
 * One search of the plan. `filter` overrides the static one (dynamic
 * searches); an optional search whose base is missing yields nothing, and an
 * unreadable one yields nothing plus an `unreadable-container` warning.
 */
export async function runSearch(
  dir: Directory,
  c: Collected,
  id: SearchId,
  warnings: Warnings,
  filter?: string,
  base?: string,
): Promise<Entry[]> {
  const spec = SEARCHES[id];
  const f = filter ?? spec.filter;
  if (f === null) throw new Error(`search ${id} needs a filter`);
  const request: SearchRequest = { base: base ?? spec.base(c.rootDse), scope: spec.scope, filter: f, ...attributesOf(id) };
  c.searches++;
  const entries: Entry[] = [];
  try {
    for await (const e of dir.search(request)) entries.push(e);
  } catch (err) {
    if (err instanceof ExbinderError && !isNoSuchObject(err) && !isAccessDenied(err) && !isReferral(err)) throw err;
    if (spec.optional && isNoSuchObject(err)) return [];
    if (spec.optional && isReferral(err)) {
      // e.g. a DC that is no DNS server does not host DomainDnsZones/ForestDnsZones
      warnings.add('missing-data', `${request.base} is not held by the DC read (referral): its objects are missing from the binder`, request.base);
      return [];
    }
    if (spec.optional && isAccessDenied(err)) {
      warnings.add('unreadable-container', `${request.base} could not be read (access denied): its objects are missing from the binder`, request.base);
      return [];
    }
    throw err;
  }
  classify(c, id, entries);
  return entries;
}

/** First matching kind of the search wins (order in KINDS matters: transport servers before servers). */
function classify(c: Collected, id: SearchId, entries: readonly Entry[]): void {
  const kinds = kindsOf(id);
  for (const e of entries) {
    const classes = classesOf(e);
    const kind = kinds.find(
      (k) =>
        (k.objectClasses.includes('*') || k.objectClasses.some((oc) => classes.has(oc.toLowerCase()))) &&
        !(k.excludeClasses ?? []).some((oc) => classes.has(oc.toLowerCase())),
    );
    if (kind) c.byKind.get(kind.id)!.push(e);
    else if (id === 'exchange') c.exchangeOther.push(e);
  }
}

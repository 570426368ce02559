/**
 * Runs the fixed set of searches (searches.ts) and sorts the entries into
 * the kinds the registry declares (registry.ts). The only module of the harvest that talks to the Directory.
 */
import { directoryReason, type Directory, type Entry, type RootDse, type SearchRequest } from '../source/directory.js';
import { KINDS, attributesOf, kindsOf, type KindId, type ObjectKind } from './registry.js';
import { SEARCHES, type SearchId } from './searches.js';
import { classesOf } from './entries.js';
import type { Warnings } from './warnings.js';
import { prepareDn } from '../dn.js';

export interface Collected {
  rootDse: RootDse;
  byKind: Map<KindId, Entry[]>;
  /** entries of the Exchange search that are no kind we map (checked for unknown server children) */
  exchangeOther: Entry[];
  /** searches issued by the harvest itself (the source may count range follow-ups on top) */
  searches: number;
  /** ask for replPropertyMetaData on the searches that carry it (searches.ts) */
  replMetadata: boolean;
}

export function emptyCollected(rootDse: RootDse, opts: { replMetadata?: boolean } = {}): Collected {
  return { rootDse, byKind: new Map(KINDS.map((k) => [k.id, []])), exchangeOther: [], searches: 0, replMetadata: opts.replMetadata ?? false };
}

export function entriesOf(c: Collected, kind: KindId): Entry[] {
  return c.byKind.get(kind) ?? [];
}

/** A search of the plan in flight: its entries and warnings are applied by finish(), in plan order. */
export interface PendingSearch {
  finish(warnings: Warnings): Promise<Entry[]>;
}

/**
 * Starts one search of the plan and reads it in the background, so that
 * independent searches share the connection (LDAP allows several outstanding
 * operations; the DC works on one while the client decodes another).
 * Nothing is classified and no warning is added until finish(): callers
 * finish searches in plan order, so kinds and warnings come out in the same
 * order as when the searches ran one after another.
 *
 * `filter` overrides the static one (dynamic searches); an optional search
 * whose base is missing yields nothing, and an unreadable one yields nothing
 * plus an `unreadable-container` warning. `onEntry` sees each entry as it
 * arrives (to start a dependent search early).
 */
export function startSearch(
  dir: Directory,
  c: Collected,
  id: SearchId,
  opts: { filter?: string; base?: string; onEntry?: (e: Entry, kind: KindId | null) => void } = {},
): PendingSearch {
  const spec = SEARCHES[id];
  const f = opts.filter ?? spec.filter;
  if (f === null) throw new Error(`search ${id} needs a filter`);
  const request: SearchRequest = { base: opts.base ?? spec.base(c.rootDse), scope: spec.scope, filter: f, ...attributesOf(id, c.replMetadata) };
  c.searches++;
  const deferred: [code: 'missing-data' | 'unreadable-container', message: string][] = [];
  // per-entry work that needs no other search is done as entries arrive,
  // i.e. while the DC is still working on the next page
  const kinds: (KindId | null)[] = [];
  const read = (async (): Promise<Entry[]> => {
    const entries: Entry[] = [];
    try {
      for await (const e of dir.search(request)) {
        const kind = kindOf(id, e);
        entries.push(e);
        kinds.push(kind);
        prepareDn(e.dn);
        opts.onEntry?.(e, kind);
      }
    } catch (err) {
      // an optional container may be missing, elsewhere or closed to this account; anything else ends the harvest
      const reason = spec.optional ? directoryReason(err) : null;
      if (reason === 'no-such-object') return [];
      if (reason === 'referral') {
        // e.g. a DC that is no DNS server does not host DomainDnsZones/ForestDnsZones
        deferred.push(['missing-data', `${request.base} is not held by the DC read (referral): its objects are missing from the binder`]);
        return [];
      }
      if (reason === 'access-denied') {
        deferred.push(['unreadable-container', `${request.base} could not be read (access denied): its objects are missing from the binder`]);
        return [];
      }
      throw err;
    }
    return entries;
  })();
  read.catch(() => undefined); // awaited by finish(); not "unhandled" if an earlier search fails first
  return {
    async finish(warnings: Warnings): Promise<Entry[]> {
      const entries = await read;
      for (const [code, message] of deferred) warnings.add(code, message, request.base);
      classify(c, id, entries, kinds);
      return entries;
    },
  };
}

/** One search of the plan, read to the end. */
export async function runSearch(dir: Directory, c: Collected, id: SearchId, warnings: Warnings, filter?: string, base?: string): Promise<Entry[]> {
  return startSearch(dir, c, id, { filter, base }).finish(warnings);
}

/** Whether an entry of these (lower-cased) classes is of this kind. */
export function isOfKind(k: ObjectKind, classes: ReadonlySet<string>): boolean {
  return (k.objectClasses.includes('*') || k.objectClasses.some((oc) => classes.has(oc.toLowerCase())))
    && !(k.excludeClasses ?? []).some((oc) => classes.has(oc.toLowerCase()));
}

/** The kind an entry of a search is mapped as, null for none (first matching kind wins; the registry test checks no entry of the fixtures matches two). */
export function kindOf(id: SearchId, e: Entry): KindId | null {
  const classes = classesOf(e);
  return kindsOf(id).find((k) => isOfKind(k, classes))?.id ?? null;
}

/** Files entries under the kinds found for them (kindOf: first matching kind wins). */
function classify(c: Collected, id: SearchId, entries: readonly Entry[], kinds: readonly (KindId | null)[]): void {
  entries.forEach((e, i) => {
    const kind = kinds[i];
    if (kind) c.byKind.get(kind)!.push(e);
    else if (id === 'exchange') c.exchangeOther.push(e);
  });
}

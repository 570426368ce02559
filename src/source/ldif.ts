/**
 * The offline source: answers the harvest's searches from LDIF exports held
 * in memory, with the same Entry shape and the same search semantics as the
 * LDAP source (scope, AD filter rules, naming-context boundaries).
 *
 * Rules specific to exports (documented for admins in docs/, and here):
 * - Several files are merged by DN. When the same object appears twice, its
 *   attributes are united; an attribute present in both takes the later
 *   file's values (later = further right on the command line, or further
 *   down in one file). Exports of separate partitions never overlap, and an
 *   overlap is normally a re-export, which is the newer state.
 * - A search need not find its base entry in the export: a subtree export of
 *   `CN=Microsoft Exchange,…` must still answer a search based at the
 *   configuration NC. (Over LDAP a missing base yields no entries.)
 * - rootDse() reads the export's root DSE entry (`dn:` empty, as written by
 *   `ldapsearch -b "" -s base`) when present; otherwise it infers the naming
 *   contexts, see inferRootDse().
 */
import { basename } from 'node:path';
import { ExbinderError } from '../errors.js';
import { dnKeys, isUnderKeys, parseDn } from '../dn.js';
import { invalidSearchBase, type Directory, type Entry, type RootDse, type SearchRequest } from './directory.js';
import { compileFilter } from './filter.js';
import { type LdifRecord, type LdifValue, parseLdifFile } from './ldif-parse.js';

interface Stored {
  dn: string;
  /** comparison keys of the RDNs, leaf first */
  keys: string[];
  attributes: Map<string, LdifValue[]>;
  /** the naming context holding it (index into ncs), computed after loading */
  nc: number;
}

export interface LdifDirectory extends Directory {
  readonly kind: 'ldif';
  /** number of search() calls answered (parity with the LDAP source's metadata) */
  readonly searchCount: number;
  /** entries loaded (after merging duplicates) */
  readonly entryCount: number;
}

const ROOT_DSE_ATTRS = [
  'configurationnamingcontext',
  'schemanamingcontext',
  'defaultnamingcontext',
  'rootdomainnamingcontext',
] as const;

function asText(v: LdifValue): string {
  return typeof v === 'string' ? v : v.toString('utf8');
}

function asBytes(v: LdifValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export interface LdifOptions {
  /** default: one line on stderr */
  onWarning?: (msg: string) => void;
}

/** Reads and merges the exports; fails on the first syntax error (no partial result). */
export async function openLdif(paths: readonly string[], options: LdifOptions = {}): Promise<LdifDirectory> {
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`exbinder: warning: ${m}\n`));
  if (paths.length === 0) {
    throw new ExbinderError('no LDIF export given: pass one or more files exported with ldifde -f or ldapsearch', 'ldif-read');
  }
  const byKey = new Map<string, Stored>();
  const order: Stored[] = [];
  let rootDseRecord: LdifRecord | null = null;

  for (const path of paths) {
    let truncated = 0;
    let example = '';
    for await (const rec of parseLdifFile(path)) {
      if (rec.truncated) {
        if (truncated++ === 0) example = `${rec.truncated.join(', ')} of ${rec.dn}`;
      }
      const keys = rec.keys;
      if (keys.length === 0) {
        rootDseRecord = rec;
        continue;
      }
      const key = keys.join(',');
      const existing = byKey.get(key);
      if (existing) {
        for (const [name, values] of rec.attributes) existing.attributes.set(name, values);
      } else {
        const stored: Stored = { dn: rec.dn, keys, attributes: rec.attributes, nc: -1 };
        byKey.set(key, stored);
        order.push(stored);
      }
    }
    if (truncated) {
      // a Windows DC caps each attribute at MaxValRange (1500) values; an
      // export tool that does not follow `;range=` leaves the rest out
      warn(
        `${basename(path)}: ${truncated} ${truncated === 1 ? 'entry has' : 'entries have'} attributes cut at the DC's value limit (first: ${example}): their values are incomplete; read the DC over LDAP for complete lists`,
      );
    }
  }

  const description = paths.map((p) => basename(p)).join(', ');
  const rootDse = rootDseRecord ? rootDseFromRecord(rootDseRecord, description) : inferRootDse(order, description);
  const ncKeys = rootDse.namingContexts.map((nc) => dnKeys(nc)).sort((a, b) => b.length - a.length);
  for (const s of order) s.nc = ncIndex(s.keys, ncKeys);

  return new LdifSource(description, order, byKey, rootDse, ncKeys);
}

/** Index of the deepest naming context containing `keys`, or -1. */
function ncIndex(keys: readonly string[], ncKeys: readonly string[][]): number {
  for (let k = 0; k < ncKeys.length; k++) {
    const nc = ncKeys[k]!;
    if (nc.length === keys.length ? nc.join(',') === keys.join(',') : isUnderKeys(keys, nc)) return k;
  }
  return -1;
}

function rootDseFromRecord(rec: LdifRecord, description: string): RootDse {
  const get = (name: string): string | null => {
    const v = rec.attributes.get(name)?.[0];
    return v === undefined ? null : asText(v);
  };
  const missing = ROOT_DSE_ATTRS.filter((a) => get(a) === null);
  if (missing.length) {
    throw new ExbinderError(
      `${description}: the root DSE entry (dn: empty) lacks ${missing.join(', ')}: export it with ldapsearch -b "" -s base "*"`,
      'ldif-rootdse',
    );
  }
  return {
    configurationNamingContext: get('configurationnamingcontext')!,
    schemaNamingContext: get('schemanamingcontext')!,
    defaultNamingContext: get('defaultnamingcontext')!,
    rootDomainNamingContext: get('rootdomainnamingcontext')!,
    dnsHostName: null,
    namingContexts: (rec.attributes.get('namingcontexts') ?? []).map(asText),
  };
}

/** The DN from its RDN number `index` on, as spelled (`index` 0 = whole DN). */
function tail(dn: string, index: number): string {
  const rdns = parseDn(dn);
  return dn.slice(rdns[index]!.start);
}

const APP_PARTITION_HEADS = new Set(['dc=domaindnszones', 'dc=forestdnszones']);

/**
 * Index of the first RDN of the trailing run of DC= RDNs (the DNS-style NC
 * name), skipping DomainDnsZones/ForestDnsZones heads; -1 when none.
 * Works on comparison keys, so no DN is parsed again.
 */
function domainStart(keys: readonly string[]): number {
  let first = keys.length;
  while (first > 0 && /^dc=[^+]*$/.test(keys[first - 1]!)) first--;
  if (first < keys.length && APP_PARTITION_HEADS.has(keys[first]!)) first++;
  return first < keys.length ? first : -1;
}

/**
 * Naming contexts of an export without a root DSE entry:
 * - configuration NC: the `CN=Configuration,DC=…` found in the DNs (the
 *   first one in file order; a forest has exactly one);
 * - schema NC: `CN=Schema,` + configuration NC;
 * - root domain: the configuration NC without its first RDN;
 * - default domain: among the domain suffixes (trailing DC= runs, ignoring
 *   DomainDnsZones/ForestDnsZones) of entries outside the configuration NC,
 *   the one holding the most entries; ties go to the root domain, then to
 *   the alphabetically first. No domain entries → the root domain.
 * - namingContexts: config, schema, root domain, default domain (if other),
 *   and the DNS application partitions seen, de-duplicated.
 */
export function inferRootDse(entries: readonly { dn: string; keys: string[] }[], description: string): RootDse {
  let configNc: string | null = null;
  for (const e of entries) {
    const k = e.keys.indexOf('cn=configuration');
    if (k >= 0 && k < e.keys.length - 1 && domainStart(e.keys) === k + 1) {
      configNc = tail(e.dn, k);
      break;
    }
  }
  if (!configNc) {
    throw new ExbinderError(
      `${description}: no entry of the configuration partition (CN=Configuration,DC=…): export it too, e.g. ldifde -f config.ldf -d "CN=Configuration,DC=contoso,DC=com"`,
      'ldif-no-config',
    );
  }
  const configKeys = dnKeys(configNc);
  const rootDomain = tail(configNc, 1);
  const rootKey = dnKeys(rootDomain).join(',');

  // per domain suffix: how many entries, and one DN to spell it from
  const counts = new Map<string, { sample: string; start: number; count: number }>();
  const appPartitions = new Map<string, { sample: string; start: number }>();
  for (const e of entries) {
    if (isUnderKeys(e.keys, configKeys) || e.keys.join(',') === configKeys.join(',')) continue;
    const start = domainStart(e.keys);
    if (start < 0) continue;
    const key = e.keys.slice(start).join(',');
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { sample: e.dn, start, count: 1 });
    if (start > 0 && APP_PARTITION_HEADS.has(e.keys[start - 1]!)) {
      const appKey = e.keys.slice(start - 1).join(',');
      if (!appPartitions.has(appKey)) appPartitions.set(appKey, { sample: e.dn, start: start - 1 });
    }
  }
  let defaultDomain = rootDomain;
  let best = -1;
  for (const [key, { sample, start, count }] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > best || (count === best && key === rootKey)) {
      best = count;
      defaultDomain = key === rootKey ? rootDomain : tail(sample, start);
    }
  }
  const apps = [...appPartitions.values()].map(({ sample, start }) => tail(sample, start)).sort();
  const ncs = new Map<string, string>();
  for (const nc of [configNc, `CN=Schema,${configNc}`, rootDomain, defaultDomain, ...apps]) {
    const k = dnKeys(nc).join(',');
    if (!ncs.has(k)) ncs.set(k, nc);
  }
  return {
    configurationNamingContext: configNc,
    schemaNamingContext: `CN=Schema,${configNc}`,
    defaultNamingContext: defaultDomain,
    rootDomainNamingContext: rootDomain,
    dnsHostName: null,
    namingContexts: [...ncs.values()],
  };
}

class LdifSource implements LdifDirectory {
  readonly kind = 'ldif' as const;
  searchCount = 0;

  constructor(
    readonly description: string,
    private readonly entries: readonly Stored[],
    private readonly byKey: ReadonlyMap<string, Stored>,
    private readonly root: RootDse,
    private readonly ncKeys: readonly string[][],
  ) {}

  get entryCount(): number {
    return this.entries.length;
  }

  async rootDse(): Promise<RootDse> {
    return { ...this.root, namingContexts: [...this.root.namingContexts] };
  }

  async close(): Promise<void> {
    /* nothing to release: the entries are garbage once the caller drops us */
  }

  async *search(request: SearchRequest): AsyncIterable<Entry> {
    this.searchCount++;
    let baseKeys: string[];
    try {
      baseKeys = dnKeys(request.base);
    } catch (err) {
      throw invalidSearchBase(request.base, err);
    }
    const predicate = compileFilter(request.filter);
    const project = projector(request);
    const baseNc = ncIndex(baseKeys, this.ncKeys);

    const test = (s: Stored): boolean =>
      predicate((name) => {
        const vs = s.attributes.get(name);
        if (vs) return vs.map(asText);
        return name === 'distinguishedname' ? [s.dn] : undefined;
      });

    if (request.scope === 'base') {
      const s = this.byKey.get(baseKeys.join(','));
      if (s && test(s)) yield project(s);
      return;
    }
    for (const s of this.entries) {
      const inScope =
        request.scope === 'one'
          ? s.keys.length === baseKeys.length + 1 && isUnderKeys(s.keys, baseKeys)
          : (s.keys.length === baseKeys.length && s.keys.join(',') === baseKeys.join(',')) || isUnderKeys(s.keys, baseKeys);
      // like a DC, a search does not descend into another naming context
      // (AD answers those with continuation references, which we ignore)
      if (!inScope || (baseNc !== -1 && s.nc !== baseNc)) continue;
      if (test(s)) yield project(s);
    }
  }
}

/** Builds the Entry for a request: requested attributes only, text vs bytes as asked. */
function projector(request: SearchRequest): (s: Stored) => Entry {
  const wanted = new Set(request.attributes.map((a) => a.toLowerCase()));
  for (const r of request.rangedAttributes ?? []) wanted.add(r.toLowerCase());
  const binary = new Set((request.binaryAttributes ?? []).map((a) => a.toLowerCase()));
  const all = wanted.has('*');
  return (s) => {
    const text = new Map<string, readonly string[]>();
    const bytes = new Map<string, readonly Buffer[]>();
    for (const name of binary) {
      const vs = s.attributes.get(name);
      if (vs?.length) bytes.set(name, vs.map(asBytes));
    }
    const names = all ? s.attributes.keys() : wanted.values();
    for (const name of names) {
      if (binary.has(name) || name === '*' || name === '1.1') continue;
      const vs = s.attributes.get(name);
      if (vs?.length) text.set(name, vs.map(asText));
      else if (name === 'distinguishedname') text.set(name, [s.dn]);
    }
    return { dn: s.dn, text, binary: bytes };
  };
}

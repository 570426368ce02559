/**
 * The harvest: directory entries → snapshot. Reads a fixed handful of
 * searches (searches.ts, kinds declared in registry.ts), maps them with pure per-concern mappers, and returns
 * a canonical, validated snapshot. Never writes to the directory.
 */
import { directoryReason, type Directory, type Entry } from '../source/directory.js';
import type { Database, Metadata, Snapshot, StorageGroup } from '../snapshot/model.js';
import { SCHEMA_VERSION } from '../snapshot/model.js';
import { assembleSnapshot } from '../snapshot/collections.js';
import { canonicalize } from '../snapshot/canonical.js';
import { ExbinderError } from '../errors.js';
import { emptyCollected, entriesOf, runSearch, startSearch, type Collected, type PendingSearch } from './collect.js';
import { exchangeContainerDn } from './searches.js';
import { all, classesOf, first, nameOf } from './entries.js';
import { Warnings } from './warnings.js';
import { DnIndex, sameDn } from '../dn.js';
import { anyOf, or } from './filters.js';
import { ComputerIndex, computerFilter } from './computers.js';
import { addressesOf, buildDnsIndex, dnsNodeFilter, type DnsIndex } from './dns.js';
import { uncHost } from './decode/timespan.js';
import { computerKeysOf, fqdnFromNetworkAddress, serverFqdn } from './servers.js';
import { EXCHANGE_GROUP_NAMES } from './transport.js';
import { dcPairs } from './domain-controllers.js';
import { dnsNameOfDomain, isDomainCrossRef, reportDomainPreparation } from './forest.js';
import { exchangeObjects, mapReplication, schemaFilter } from './replication.js';
import { KNOWN_UNMAPPED_SERVER_CHILDREN, mapCollections, type KindId, type MapInput } from './registry.js';

export interface HarvestOptions {
  toolVersion: string;
  now?: () => Date;
  onProgress?: (msg: string) => void;
  /** read replPropertyMetaData for change attribution (default true; --no-repl-metadata) */
  replMetadata?: boolean;
}

export async function harvest(dir: Directory, opts: HarvestOptions): Promise<Snapshot> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const w = new Warnings();

  const rootDse = await dir.rootDse();
  const replMetadata = opts.replMetadata ?? true;
  const c = emptyCollected(rootDse, { replMetadata });

  progress('reading the Exchange configuration');
  // The same searches as one after another, but those that do not depend on
  // each other share the connection: the DC answers the forest searches and
  // the receive connector ACLs while the client reads the Exchange search.
  // Results and warnings are applied in plan order (finish), so the snapshot
  // is the same as with sequential searches.
  let acls: PendingSearch | null = null;
  const exchange = startSearch(dir, c, 'exchange', {
    // the ACL search is needed iff a receive connector exists: start it at the first one seen
    onEntry: (_e, kind) => {
      if (!acls && kind === 'receiveConnector') acls = startSearch(dir, c, 'receiveConnectorAcls');
    },
  });
  const forestSearches = (['schemaVersion', 'partitions', 'sites'] as const).map((id) => startSearch(dir, c, id));
  // the schema objects that name replPropertyMetaData's attribute ids: read once per harvest
  if (replMetadata) forestSearches.push(startSearch(dir, c, 'schema', { filter: schemaFilter() }));
  await readExchange(dir, c, w, exchange);
  // AD allows one organization per forest; a second one is a leftover worth a warning
  const orgs = [...entriesOf(c, 'organization')].sort((a, b) => (a.dn.toLowerCase() < b.dn.toLowerCase() ? -1 : 1));
  const org = orgs[0]!;
  if (orgs.length > 1) w.add('multiple-organizations', `${orgs.length} organization objects found; documenting ${org.dn}`, org.dn);

  if (acls) await (acls as PendingSearch).finish(w);

  progress('reading forest facts and domain controllers');
  for (const s of forestSearches) await s.finish(w);

  progress('reading computer accounts and DNS');
  const servers = entriesOf(c, 'server');
  const dcs = dcPairs(entriesOf(c, 'siteServer'), entriesOf(c, 'ntdsSettings'));
  const dcFqdns = dcs.map((d) => first(d.server, 'dNSHostName')).filter((x): x is string => x !== null);
  const keys = computerKeysOf(servers);
  const domainFilter = or([
    '(objectClass=domainDNS)',
    '(objectClass=msExchSystemObjectsContainer)',
    computerFilter({ fqdns: [...keys.fqdns, ...dcFqdns], links: keys.links, names: keys.names }),
    entriesOf(c, 'receiveConnector').length > 0 ? `(&(objectClass=group)${anyOf('sAMAccountName', EXCHANGE_GROUP_NAMES)})` : null,
  ])!;
  await runSearch(dir, c, 'domain', w, domainFilter);

  await readOtherDomains(dir, c, w);
  const computers = new ComputerIndex(entriesOf(c, 'computer'));
  const domainDnsName = dnsNameOfDomain(rootDse.defaultNamingContext);
  const witnesses = witnessHosts(entriesOf(c, 'dag'), domainDnsName);
  const hostFqdns = [...servers.map((s) => serverFqdn(s, computers)), ...dcFqdns, ...witnesses.map((x) => x.fqdn)].filter((x): x is string => x !== null);
  const dnsFilter = dnsNodeFilter(hostFqdns);
  if (dnsFilter) {
    const zones = (['dnsDomainZones', 'dnsForestZones', 'dnsLegacyZones'] as const).map((id) => startSearch(dir, c, id, { filter: dnsFilter }));
    for (const z of zones) await z.finish(w);
  }
  const dns = buildDnsIndex(entriesOf(c, 'dnsNode'), w);

  reportMissingForestData(c, dcs.length, w);
  reportWitnessesNotInDns(witnesses, dns, w);

  progress('mapping');
  const serverIndex = new DnIndex(servers, (s) => s.dn);
  reportUnknownServerChildren(c, serverIndex, w);

  const input: MapInput<KindId> = {
    rootDse, org, entries: (kind) => entriesOf(c, kind), servers: serverIndex, dcs, computers, dns, domainDnsName, now: started, warnings: w,
  };
  const objects = mapCollections(input);
  reportRecoveryStores(objects.storageGroups, objects.databases, w);
  reportDomainPreparation(
    objects.domains,
    objects.organization[0]!.objectVersion,
    rootDse.defaultNamingContext,
    objects.servers.filter((s) => s.computer !== null).map((s) => ({ server: s.name, computerDn: s.computer!.dn })),
    w,
  );

  const metadata: Metadata = {
    toolVersion: opts.toolVersion,
    harvestedAt: started.toISOString(),
    source: { kind: dir.kind, description: dir.description, domainController: rootDse.dnsHostName },
    namingContexts: {
      configuration: rootDse.configurationNamingContext,
      schema: rootDse.schemaNamingContext,
      defaultDomain: rootDse.defaultNamingContext,
      rootDomain: rootDse.rootDomainNamingContext,
    },
    searches: searchCount(dir, c),
    durationMs: Math.round(performance.now() - t0),
    warnings: w.list,
    replication: mapReplication({
      requested: replMetadata,
      sourceKind: dir.kind,
      objects: exchangeObjects((k) => entriesOf(c, k.id)),
      schemaHead: entriesOf(c, 'schemaHead')[0],
      attributeSchemas: entriesOf(c, 'attributeSchema'),
      dcs,
    }),
  };
  const snapshot = assembleSnapshot(SCHEMA_VERSION, metadata, objects);
  progress(`done: ${snapshot.servers.length} servers, ${snapshot.databases.length} databases, ${w.list.length} warnings`);
  return canonicalize(snapshot);
}

/** The DAG witness servers to look up in AD DNS: host of the UNC path, qualified with the domain when short. */
function witnessHosts(dags: readonly Entry[], domainDnsName: string): { dag: Entry; share: string; fqdn: string }[] {
  const out: { dag: Entry; share: string; fqdn: string }[] = [];
  for (const d of dags) {
    for (const attr of ['msExchFileShareWitness', 'msExchAlternateFileShareWitness']) {
      const share = first(d, attr);
      const host = uncHost(share);
      if (!share || !host) continue;
      out.push({ dag: d, share, fqdn: (host.includes('.') ? host : `${host}.${domainDnsName}`).toLowerCase() });
    }
  }
  return out;
}

/**
 * A witness whose name AD DNS does not resolve: the DAG's quorum (and so the
 * recovery of a member) depends on it, and the binder cannot print its address.
 * The name may live in a DNS zone outside AD: the warning says "in AD DNS".
 */
function reportWitnessesNotInDns(witnesses: readonly { dag: Entry; share: string; fqdn: string }[], dns: DnsIndex, w: Warnings): void {
  for (const x of witnesses) {
    if (addressesOf(dns, x.fqdn).length > 0) continue;
    w.add('witness-not-in-ad-dns', `DAG ${nameOf(x.dag)}: witness ${x.share} (${x.fqdn}) has no A/AAAA record in the AD-integrated DNS zones read: check that the name resolves before recovering a member`, x.dag.dn);
  }
}

/**
 * Recovery Storage Groups (2003/2007: msExchRestore on the storage group) and
 * 2010+ recovery databases (msExchRestore on the database): never production
 * restore targets, and a 2003/2007 RSG must be removed before production
 * databases are restored.
 */
function reportRecoveryStores(storageGroups: readonly StorageGroup[], databases: readonly Database[], w: Warnings): void {
  for (const g of storageGroups) {
    if (!g.recovery) continue;
    const dbs = databases.filter((d) => d.storageGroup !== null && sameDn(d.storageGroup, g.dn)).map((d) => d.name);
    w.add('recovery-storage-group', `storage group ${g.name} is a Recovery Storage Group${dbs.length ? ` (databases ${dbs.join(', ')})` : ''}: its databases are never restore targets; remove it before restoring the production databases of its server`, g.dn);
  }
  for (const d of databases) {
    if (d.recovery && d.storageGroup === null) {
      w.add('recovery-database', `recovery database ${d.name}: not a production database and never a restore target; the runbook leaves it out`, d.dn);
    }
  }
}

/** The source's own counter when it has one (it also counts range follow-ups), else ours. */
function searchCount(dir: Directory, c: Collected): number {
  const n = (dir as { searchCount?: unknown }).searchCount;
  return typeof n === 'number' && Number.isInteger(n) ? n : c.searches;
}

/**
 * The Exchange search, with the two failures an admin must be told apart:
 * no organization at all, and an organization this account cannot read.
 */
async function readExchange(dir: Directory, c: Collected, w: Warnings, exchange: PendingSearch): Promise<void> {
  const base = exchangeContainerDn(c.rootDse);
  let containerSeen = false;
  try {
    const entries = await exchange.finish(w);
    containerSeen = entries.length > 0;
  } catch (err) {
    if (directoryReason(err) === 'access-denied') throw insufficientAccess(base, err);
    throw err;
  }
  if (entriesOf(c, 'organization').length > 0) return;
  if (!containerSeen) containerSeen = await containerExists(dir, c, base);
  if (containerSeen) throw insufficientAccess(base);
  throw new ExbinderError(
    `no Exchange organization under ${base}: is Exchange installed in this forest, and can this account read the configuration partition?`,
    'no-exchange-org',
  );
}

function insufficientAccess(base: string, cause?: unknown): ExbinderError {
  return new ExbinderError(
    `${base} exists but this account cannot read an Exchange organization under it: use an account with read access to the configuration partition (any domain user has it by default)`,
    'insufficient-access',
    2,
    { cause },
  );
}

/** Is CN=Microsoft Exchange there at all (visible from its parent)? */
async function containerExists(dir: Directory, c: Collected, base: string): Promise<boolean> {
  c.searches++;
  try {
    for await (const e of dir.search({ base: `CN=Services,${c.rootDse.configurationNamingContext}`, scope: 'one', filter: '(objectClass=*)', attributes: ['cn'] })) {
      if (sameDn(e.dn, base)) return true;
    }
  } catch (err) {
    const reason = directoryReason(err);
    if (reason === 'no-such-object' || reason === 'access-denied') return false;
    throw err;
  }
  return false;
}

/**
 * The other domains of the forest (per CN=Partitions): one search in each,
 * for its CN=Microsoft Exchange System Objects (every domain with Exchange
 * servers or mailboxes is prepared with /PrepareDomain) and for the computer
 * accounts of servers whose FQDN is in it and which the default domain did
 * not hold. An export that includes those domains answers it; a single DC
 * over LDAP refers (missing-data warning; then no-computer-account, and the
 * domain's MESO stays unknown). A forest of one domain costs no search.
 */
async function readOtherDomains(dir: Directory, c: Collected, w: Warnings): Promise<void> {
  const found = new ComputerIndex(entriesOf(c, 'computer'));
  const defaultDns = dnsNameOfDomain(c.rootDse.defaultNamingContext).toLowerCase();
  const refs = entriesOf(c, 'crossRef')
    .map((r) => ({ nc: first(r, 'nCName'), dns: first(r, 'dnsRoot')?.toLowerCase() ?? null, domain: isDomainCrossRef(r) }))
    .filter((d): d is { nc: string; dns: string; domain: boolean } => d.nc !== null && d.dns !== null && d.dns !== defaultDns && !sameDn(d.nc, c.rootDse.defaultNamingContext));
  const wanted = new Map<string, string[]>();
  for (const s of entriesOf(c, 'server')) {
    const fqdn = fqdnFromNetworkAddress(all(s, 'networkAddress'));
    if (!fqdn || found.find(fqdn, null, null)) continue;
    const domain = refs.find((d) => fqdn.endsWith(`.${d.dns}`) && fqdn.slice(0, -d.dns.length - 1).indexOf('.') < 0);
    if (domain) wanted.set(domain.nc, [...(wanted.get(domain.nc) ?? []), fqdn]);
  }
  const ncs = new Map<string, string>(); // lower-cased NC → NC as written
  for (const d of refs) if (d.domain || wanted.has(d.nc)) ncs.set(d.nc.toLowerCase(), d.nc);
  const mesoDomains = new Set(refs.filter((d) => d.domain).map((d) => d.nc.toLowerCase()));
  for (const nc of [...ncs.values()].sort((a, b) => (a < b ? -1 : 1))) {
    const fqdns = wanted.get(nc) ?? [];
    const filter = or([
      mesoDomains.has(nc.toLowerCase()) ? '(objectClass=msExchSystemObjectsContainer)' : null,
      fqdns.length ? computerFilter({ fqdns, links: [], names: [] }) : null,
    ]);
    if (filter) await runSearch(dir, c, 'otherDomain', w, filter, nc);
  }
}

/**
 * Forest facts the binder prints early (DCs first in a recovery): when a
 * search found nothing, say so instead of printing an empty list. Typical
 * for an export that left a partition part out.
 */
function reportMissingForestData(c: Collected, dcCount: number, w: Warnings): void {
  const nc = c.rootDse;
  if (dcCount === 0) {
    const sites = `CN=Sites,${nc.configurationNamingContext}`;
    w.add('missing-data', `no domain controller found under ${sites}: the export or the account's rights leave it out, so the binder lists no DCs`, sites);
  }
  if (entriesOf(c, 'schemaVersion').length === 0) {
    const dn = `CN=ms-Exch-Schema-Version-Pt,${nc.schemaNamingContext}`;
    w.add('missing-data', `${dn} not found: the Exchange schema version is unknown`, dn);
  }
}

/**
 * Objects under a server that are no kind we map and not a known container:
 * reported so that nothing in a server's configuration is silently dropped.
 * A server without any child object at all is reported as unreadable: every
 * real server has at least CN=InformationStore / CN=Protocols.
 */
function reportUnknownServerChildren(c: Collected, servers: DnIndex<Entry>, w: Warnings): void {
  const withChildren = new Set<string>();
  const everything = [...c.exchangeOther, ...[...c.byKind.entries()].filter(([k]) => k !== 'server').flatMap(([, v]) => v)];
  for (const e of everything) {
    const server = servers.ancestor(e.dn);
    if (server) withChildren.add(server.dn);
  }
  for (const e of c.exchangeOther) {
    const server = servers.ancestor(e.dn);
    if (!server) continue;
    if ([...classesOf(e)].some((x) => KNOWN_UNMAPPED_SERVER_CHILDREN.has(x))) continue;
    const specific = all(e, 'objectClass').filter((x) => x.toLowerCase() !== 'top');
    w.add('unknown-object-class', `${nameOf(server)}: object ${e.dn} of class ${specific.join(', ') || '(none readable)'} is not read by this version of exbinder`, e.dn);
  }
  for (const server of entriesOf(c, 'server')) {
    if (!withChildren.has(server.dn)) {
      w.add('unreadable-container', `${nameOf(server)}: no child objects (InformationStore, Protocols) could be read: check the account's read access`, server.dn);
    }
  }
}

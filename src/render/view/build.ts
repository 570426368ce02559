/**
 * snapshot (+ supplement, drift) → BinderView. Pure: no clock, no I/O.
 * Every derivation the binder prints is made here so both outputs (Markdown
 * and PDF, which is drawn from that Markdown) agree by construction.
 */
import { childOfContainer, dnKey, rdnValueOf as rdnValue, sameDn } from '../../dn.js';
import type { Snapshot, Server, Database } from '../../snapshot/model.js';
import type { DriftReport } from '../../snapshot/drift.js';
import { snapshotId } from '../../snapshot/canonical.js';
import { collectionLabel, collectionObjects, COLLECTIONS, REGISTRY, SERVER_LINK, type CollectionName } from '../../snapshot/collections.js';
import { FULL_SCOPE, type BinderScope } from '../scope.js';
import { attributionNotes, changeTimes, formatValue, versionText } from '../drift.js';
import { fieldLabel } from '../field-labels.js';
import { dnLines, valueLines, WRAP_WIDTH } from '../reflow.js';
import { counted } from '../words.js';
import { serverSupplement, type Supplement } from '../supplement.js';
import type { BinderView, ObjectView, ServerView } from './model.js';
import { generationOf, DEFAULT_INSTALL_PATH, MEMORY_ADVICE, hasDiagnosticDataSwitch, serialStampView } from './versions.js';
import { installOptionOf, windowsReleaseOf } from './os.js';
import { prerequisitesFor } from './prerequisites.js';
import { laterCuAllowed, legacyRecoverCommands, recoverServerCommand, needsTargetDir, versionFixes } from './recovery.js';
import {
  circularLoggingCommands, dagCommands, dagCopiesOf, edgeCommands, edgeInstallCommand, EDGE_IMPORT_COMMANDS, isRecoveryDatabase, planKind, planSources, planTitle, recoverCmsCommand, recoveryStoreSources, recoveryStoresOf,
  scriptingAgentEnabled,
} from './plans.js';
import { diskLayout, type PathUse } from './disks.js';
import { sslNames, relayRanges } from './names.js';
import { mesoDn, mesoRelease } from '../../exchange/schema-versions.js';

export const BLANK = '________________';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = <T extends { name: string }>(a: T, b: T) => byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.name, b.name);
const yesNo = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
const numOrNull = (n: number | null) => (n === null ? null : String(n));
const keyOf = (dn: string | null | undefined) => (dn ? dnKey(dn) : '');
/** ", replay lag 7.00:00:00" for a non-zero lag, else nothing. */
const lagText = (v: string | null, what: string) => (v !== null && /[1-9]/.test(v) ? `, ${what} ${v}` : '');

/** Per-server lookups built once: an organization has thousands of databases, and DNs compare case-insensitively. */
class ServerIndex {
  private databases = new Map<string, Set<Database>>();
  private byServer = new Map<string, Map<string, unknown[]>>();
  /** object DN key → the DN keys of the servers it belongs to (a server: itself; org-wide objects: none) */
  private readonly owners = new Map<string, string[]>();
  /** server DN key → its name */
  readonly serverNames = new Map<string, string>();

  constructor(snap: Snapshot) {
    for (const s of snap.servers) { this.serverNames.set(keyOf(s.dn), s.name); this.owners.set(keyOf(s.dn), [keyOf(s.dn)]); }
    const sgServer = new Map(snap.storageGroups.map((g) => [keyOf(g.dn), keyOf(g.server)]));
    for (const d of snap.databases) {
      const hosts = new Set([keyOf(d.server), ...d.copies.map((c) => keyOf(c.server)), d.storageGroup ? (sgServer.get(keyOf(d.storageGroup)) ?? '') : '']);
      hosts.delete('');
      for (const h of hosts) this.add(this.databases, h, d);
      this.owners.set(keyOf(d.dn), [...hosts]);
    }
    const objects = collectionObjects(snap);
    for (const c of COLLECTIONS) {
      const link = SERVER_LINK[c];
      if (link === null || c === 'databases') continue;
      for (const it of objects[c] as Record<string, unknown>[]) {
        const v = it[link];
        const servers = [...new Set((Array.isArray(v) ? v : [v]).map((x) => keyOf(x as string | null)))].filter(Boolean);
        for (const server of servers) this.push(c, server, it);
        if (typeof it['dn'] === 'string') this.owners.set(keyOf(it['dn']), servers);
      }
    }
  }

  /**
   * The servers (DN keys) an object belongs to; [] for what the binder prints
   * once for the organization. An object gone from this snapshot (a removal in
   * the drift report) is placed by its DN when it sat below its server.
   */
  ownersOf(dn: string): string[] {
    const known = this.owners.get(keyOf(dn));
    if (known) return known;
    const name = childOfContainer(dn, 'CN=Servers');
    if (!name) return [];
    const key = [...this.serverNames].find(([, n]) => n.toLowerCase() === name.toLowerCase())?.[0];
    return [key ?? `name:${name.toLowerCase()}`];
  }

  /** Names of an object's servers, sorted; a server no longer in the snapshot by the name in its DN. */
  ownerNames(dn: string): string[] {
    const fromDn = childOfContainer(dn, 'CN=Servers');
    return this.ownersOf(dn).map((k) => this.serverNames.get(k) ?? fromDn ?? k).sort(byText);
  }

  /** Whether an object is printed in a binder of these servers: org-wide ones always are. */
  inScope(dn: string, scope: BinderScope): boolean {
    if (!scope.servers) return true;
    const owners = this.ownersOf(dn);
    return owners.length === 0 || owners.some((o) => scope.servers!.has(o));
  }

  private add(map: Map<string, Set<Database>>, key: string, d: Database): void {
    const set = map.get(key) ?? new Set<Database>();
    set.add(d);
    map.set(key, set);
  }

  private push(collection: string, server: string, item: unknown): void {
    const m = this.byServer.get(collection) ?? new Map<string, unknown[]>();
    const list = m.get(server) ?? [];
    list.push(item);
    m.set(server, list);
    this.byServer.set(collection, m);
  }

  /** Databases whose files live on this server: owned by it, or copied to it (DAG copies share paths). */
  databasesOf(server: Server): Database[] {
    return [...(this.databases.get(keyOf(server.dn)) ?? [])].sort(byName);
  }

  of<K extends 'storageGroups' | 'virtualDirectories' | 'autodiscoverScps' | 'receiveConnectors' | 'sendConnectors'>(collection: K, server: Server): Snapshot[K] {
    return [...((this.byServer.get(collection)?.get(keyOf(server.dn)) ?? []) as Snapshot[K])] as Snapshot[K];
  }

  /** The objects of any collection the registry links to servers (SERVER_LINK) that belong to this one; databases: with their copies' servers too. */
  linked(collection: CollectionName, server: Server): object[] {
    return collection === 'databases' ? this.databasesOf(server) : [...(this.byServer.get(collection)?.get(keyOf(server.dn)) ?? [])] as object[];
  }
}

/** A value as the chapters print it (see ObjectView). */
function viewValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return yesNo(v);
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  return JSON.stringify(v);
}

/** One object of any collection, registry-driven (ObjectView): its fields but raw, formatted, and its changed fields. */
function objectView(o: object, changed: ChangedValues): ObjectView {
  const out: ObjectView = {};
  for (const [k, v] of Object.entries(o)) {
    if (k !== 'raw') out[k] = Array.isArray(v) ? v.map((x) => viewValue(x) ?? '') : viewValue(v);
  }
  out['changes'] = changed.of((o as { dn?: string }).dn);
  return out;
}

/** Objects of a collection in print order: by name (case-insensitive), then DN. */
function objectViews(objects: readonly object[], changed: ChangedValues): ObjectView[] {
  const key = (o: object) => { const x = o as { name?: unknown; dn?: unknown }; return [String(x.name ?? '').toLowerCase(), String(x.dn ?? '')] as const; };
  return [...objects].sort((a, b) => byText(key(a)[0], key(b)[0]) || byText(key(a)[1], key(b)[1])).map((o) => objectView(o, changed));
}

/** Every collection's objects in the binder's scope (BinderView.collections). */
function collectionsView(snap: Snapshot, index: ServerIndex, scope: BinderScope, changed: ChangedValues): BinderView['collections'] {
  const objects = collectionObjects(snap);
  return Object.fromEntries(COLLECTIONS.map((c) => [c, objectViews(
    (objects[c] as readonly object[]).filter((o) => { const dn = (o as { dn?: unknown }).dn; return typeof dn !== 'string' || index.inScope(dn, scope); }),
    changed,
  )]));
}

/** The objects of every server-linked collection that belong to this server (ServerView.linked). */
function linkedView(server: Server, index: ServerIndex, changed: ChangedValues): ServerView['linked'] {
  return Object.fromEntries(COLLECTIONS.filter((c) => SERVER_LINK[c] !== null).map((c) => [c, objectViews(index.linked(c, server), changed)]));
}

const TRANSPORT_LABELS: Record<keyof Server['transportPaths'], string> = {
  messageTracking: 'Message tracking logs', receiveProtocolLog: 'Receive protocol logs', sendProtocolLog: 'Send protocol logs',
  connectivityLog: 'Connectivity logs', pickupDirectory: 'Pickup directory', replayDirectory: 'Replay directory',
  pipelineTracing: 'Pipeline tracing', routingLog: 'Routing table logs',
};

function pathUses(server: Server, sgs: Snapshot['storageGroups'], dbs: Database[]): PathUse[] {
  const uses: PathUse[] = [];
  const add = (what: string, path: string | null) => { if (path) uses.push({ what, path }); };
  add('Exchange install', server.installPath);
  add('Exchange data', server.dataPath);
  for (const g of sgs) {
    add(`Logs of storage group ${g.name}`, g.logFolderPath);
    add(`System files of storage group ${g.name}`, g.systemFolderPath);
  }
  for (const d of dbs) {
    add(`Database ${d.name} (EDB)`, d.edbFilePath);
    add(`Database ${d.name} (STM)`, d.streamingFilePath);
    add(`Logs of database ${d.name}`, d.logFolderPath);
    add(`System files of database ${d.name}`, d.systemFolderPath);
  }
  for (const k of Object.keys(TRANSPORT_LABELS) as (keyof Server['transportPaths'])[]) add(TRANSPORT_LABELS[k], server.transportPaths[k]);
  // 2013+: the Front End and Mailbox transport services keep their own logs (CN=Frontend / CN=Mailbox)
  for (const t of server.transportServices) {
    const service = t.service === 'FrontendTransport' ? 'Front End Transport' : 'Mailbox Transport';
    for (const k of Object.keys(TRANSPORT_LABELS) as (keyof Server['transportPaths'])[]) add(`${service}: ${TRANSPORT_LABELS[k].toLowerCase()}`, t.paths[k]);
  }
  return uses;
}

/** Model fields printed under another name in the view (the rest keep theirs). */
const VIEW_FIELD: Readonly<Record<string, string>> = {
  version: 'versionLabel', legacyServerRole: 'roles', siteName: 'site', internalTransportCertificate: 'certificate',
  edbFilePath: 'edbPath', streamingFilePath: 'streamingPath', logFolderPath: 'logPath', systemFolderPath: 'systemPath',
  logFilePrefix: 'logPrefix', masterServerOrDag: 'dag', operatingSystem: 'os', operatingSystemVersion: 'osVersion',
  operatingSystemServicePack: 'osServicePack', isGlobalCatalog: 'globalCatalog', isReadOnly: 'readOnly',
  exchangeSchemaVersion: 'schemaVersion', exchangeSystemObjectsVersion: 'systemObjectsVersion', functionalLevelName: 'functionalLevel',
};

/**
 * Which printed values differ from the known good, per object: the view
 * fields its changes touch ('copies[EX02].activationPreference' → copies,
 * 'computer.operatingSystem' → os). Raw attributes are not printed in the
 * chapters; an added object has its name marked.
 */
class ChangedValues {
  private readonly fields = new Map<string, Set<string>>();
  /** new values of each server's changed fields, lower-cased: the disk layout marks the paths among them */
  private readonly values = new Map<string, Set<string>>();
  /** 'YYYY-MM-DD' of the known good, null without a drift report */
  readonly since: string | null;

  constructor(drift: DriftReport | null, changes: readonly DriftReport['changes'][number][], index: ServerIndex) {
    this.since = drift ? drift.baseline.harvestedAt.slice(0, 10) : null;
    for (const c of changes) {
      if (c.field?.startsWith('raw.')) continue;
      let names: string[];
      if (c.kind === 'added' || c.kind === 'renamed') names = ['name'];
      else if (c.kind !== 'changed' || !c.field) continue;
      else {
        const path = c.field.startsWith('computer.') ? c.field.slice('computer.'.length) : c.field;
        const top = /^[^.[]+/.exec(path)?.[0] ?? path;
        names = c.field === 'computer.dn' ? ['computerDn'] : c.field === 'computer' ? ['os', 'osVersion', 'osServicePack', 'computerDn'] : [VIEW_FIELD[top] ?? top];
      }
      const key = keyOf(c.dn);
      const set = this.fields.get(key) ?? new Set<string>();
      for (const n of names) set.add(n);
      this.fields.set(key, set);
      if (typeof c.new === 'string') for (const server of index.ownersOf(c.dn)) {
        const vs = this.values.get(server) ?? new Set<string>();
        vs.add(c.new.toLowerCase());
        this.values.set(server, vs);
      }
    }
  }

  /** The view fields of this object marked as changed, sorted. */
  of(dn: string | null | undefined): string[] {
    return [...(this.fields.get(keyOf(dn)) ?? [])].sort(byText);
  }

  /** Whether a path printed for this server is a changed value. */
  pathChanged(serverDn: string, path: string): boolean {
    return this.values.get(keyOf(serverDn))?.has(path.toLowerCase()) ?? false;
  }
}

function serverView(server: Server, snap: Snapshot, sup: Supplement | null, index: ServerIndex, changed: ChangedValues): Omit<ServerView, 'marks'> {
  const extra = serverSupplement(sup, server.name);
  const gen = generationOf(server.version);
  const os = windowsReleaseOf(server.computer?.operatingSystem ?? null, server.computer?.operatingSystemVersion ?? null);
  const roles = server.roles.length ? server.roles : server.legacyServerRole ? [server.legacyServerRole] : [];
  const sgs = index.of('storageGroups', server).sort(byName);
  const dbs = index.databasesOf(server);
  const vdirs = index.of('virtualDirectories', server).sort((a, b) => byText(a.kind, b.kind) || byName(a, b));
  const scps = index.of('autodiscoverScps', server).sort(byName);
  const rcs = index.of('receiveConnectors', server).sort(byName);
  const scs = index.of('sendConnectors', server).sort(byName);
  const drives = diskLayout(pathUses(server, sgs, dbs));
  const sizes = extra?.diskSizes ?? {};
  const sizeOf = (drive: string) => Object.entries(sizes).find(([k]) => k.toUpperCase() === drive)?.[1] ?? null;
  const servesClients = server.roles.includes('ClientAccess') || server.legacyServerRole === 'front-end' || vdirs.length > 0;
  const urls = [...vdirs.flatMap((v) => [v.internalUrl, v.externalUrl]), ...scps.map((s) => s.url)];
  // runbook test URLs: clients reach the Default Web Site; the 2013+ "Exchange Back End" site (port 444) only proxies it
  const urlsOf = (kind: string) => [...new Set(vdirs.filter((v) => v.kind === kind && !/^exchange back end$/i.test(v.website ?? '')).flatMap((v) => [v.externalUrl, v.internalUrl]).filter((u): u is string => !!u))].sort();
  const ips = server.ipAddresses.length ? [...server.ipAddresses].sort() : [...(extra?.ipAddresses ?? [])];
  const prereq = prerequisitesFor({ gen, version: server.version, os, install: installOptionOf(server.computer?.operatingSystem ?? null), roles: server.roles, clustered: server.clusteredMailboxServer !== null });
  const stamp = serialStampView(server.version, server.dn);
  const dagName = rdnValue(server.dag);
  const autodiscoverUrls = [...new Set([...scps.map((s) => s.url), ...urlsOf('autodiscover')].filter((u): u is string => !!u))].sort();
  const hw = extra?.hardware;
  const cert = server.internalTransportCertificate;
  const kind = planKind(server, gen);
  const recoveryStores = recoveryStoresOf(server, gen, snap, dbs);
  // restore targets: never a Recovery Storage Group's or recovery database's; on a DAG member
  // only the databases whose only copy was here (the others are re-seeded from the surviving copies)
  const dagCopies = kind === 'dag-member' ? dagCopiesOf(server, dbs) : null;
  const production = dbs.filter((d) => !isRecoveryDatabase(d, snap));
  const restoreTargets = kind === 'edge' || kind === 'cas-only' ? []
    : dagCopies ? production.filter((d) => dagCopies.onlyHere.includes(d) || !d.copies.length)
    : production;
  const dagView = dagCopies && dagName ? {
    name: dagName,
    copies: dagCopies.replicated.map((c) => ({
      database: c.database, activationPreference: numOrNull(c.activationPreference), replayLag: c.replayLag, truncationLag: c.truncationLag,
      otherCopies: c.otherCopies.join(', '), circularLogging: c.circularLogging,
    })),
    ...dagCommands(server, dagName, dagCopies.replicated, os),
    ...circularLoggingCommands(dagCopies.replicated),
  } : null;

  return {
    name: server.name,
    changes: changed.of(server.dn),
    anchor: `server-${server.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    fqdn: server.fqdn,
    ipAddresses: ips,
    ipSource: server.ipAddresses.length ? 'AD-integrated DNS' : ips.length ? 'supplement' : null,
    site: server.siteName,
    computerDn: server.computer?.dn ?? null,
    adminGroup: server.adminGroup,
    versionLabel: server.version?.label ?? null,
    serialNumber: server.serialNumber,
    product: server.version?.product ?? null,
    release: server.version?.release ?? null,
    roles: roles.join(', ') || 'none recorded',
    os: server.computer?.operatingSystem ?? null,
    osServicePack: server.computer?.operatingSystemServicePack ?? null,
    osVersion: server.computer?.operatingSystemVersion ?? null,
    installPath: server.installPath,
    dataPath: server.dataPath,
    dag: dagName,
    disks: drives.map((d) => ({ ...d, uses: d.uses.map((u) => ({ ...u, changed: changed.pathChanged(server.dn, u.path) })), size: sizeOf(d.drive) })),
    storageGroups: sgs.map((g) => ({
      changes: changed.of(g.dn),
      name: g.name, logPath: g.logFolderPath, systemPath: g.systemFolderPath, logPrefix: g.logFilePrefix,
      circularLogging: g.circularLogging === null ? null : yesNo(g.circularLogging),
      databases: dbs.filter((d) => sameDn(d.storageGroup, g.dn)).map((d) => d.name),
    })),
    databases: dbs.map((d) => {
      const g = d.storageGroup ? sgs.find((x) => sameDn(x.dn, d.storageGroup)) : undefined;
      return {
        changes: changed.of(d.dn),
        name: d.name, kind: d.kind === 'public' ? 'public folder' : 'mailbox', storageGroup: g?.name ?? null,
        edbPath: d.edbFilePath, streamingPath: d.streamingFilePath,
        logPath: d.logFolderPath ?? g?.logFolderPath ?? null, systemPath: d.systemFolderPath ?? g?.systemFolderPath ?? null,
        logPrefix: d.logFilePrefix ?? g?.logFilePrefix ?? null,
        mountAtStartup: yesNo(d.mountAtStartup), allowFileRestore: yesNo(d.allowFileRestore), mailboxCount: numOrNull(d.mailboxCount),
        dag: d.masterServerOrDag && snap.dags.some((x) => sameDn(x.dn, d.masterServerOrDag)) ? rdnValue(d.masterServerOrDag) : null,
        copies: [...d.copies].sort((a, b) => (a.activationPreference ?? 99) - (b.activationPreference ?? 99) || byText(a.serverName, b.serverName))
          .map((c) => `${c.serverName} (preference ${c.activationPreference ?? '?'}${lagText(c.replayLagTime, 'replay lag')}${lagText(c.truncationLagTime, 'truncation lag')})`),
      };
    }),
    virtualDirectories: vdirs.map((v) => ({ changes: changed.of(v.dn), kind: v.kind, name: v.name, internalUrl: v.internalUrl, externalUrl: v.externalUrl })),
    autodiscover: scps.map((a) => ({ url: a.url, siteScope: a.siteScope.join(', ') || 'all sites' })),
    receiveConnectors: rcs.map((r) => ({
      changes: changed.of(r.dn),
      name: r.name, enabled: yesNo(r.enabled), bindings: r.bindings, fqdn: r.fqdn, remoteIpRanges: r.remoteIpRanges, tlsCertificateName: r.tlsCertificateName,
    })),
    sendConnectors: scs.map((c) => ({
      changes: changed.of(c.dn),
      name: c.name, addressSpaces: c.addressSpaces, smartHosts: c.smartHosts, port: numOrNull(c.port), tlsCertificateName: c.tlsCertificateName,
    })),
    certificate: cert ? {
      subject: cert.subject, issuer: cert.issuer, thumbprint: cert.thumbprint, notBefore: cert.notBefore, notAfter: cert.notAfter,
      names: cert.subjectAltNames, selfSigned: yesNo(cert.selfSigned),
    } : null,
    sslNames: sslNames(server.fqdn, urls, snap.acceptedDomains, servesClients),
    hardware: {
      make: hw?.make ?? null, model: hw?.model ?? null, serialNumber: hw?.serialNumber ?? null, cpu: hw?.cpu ?? null,
      memory: hw?.memory ?? null, disks: hw?.disks?.join('; ') ?? null, nics: hw?.nics?.join('; ') ?? null,
      location: extra?.location ?? null, notes: extra?.notes ?? null,
    },
    virtual: extra?.virtual ? { host: extra.virtual.host, vmName: extra.virtual.vmName, imageBackupLocation: extra.virtual.imageBackupLocation ?? null } : null,
    linked: linkedView(server, index, changed),
    runbook: {
      memoryAdvice: MEMORY_ADVICE[gen],
      minimumDrives: drives.filter((d) => /^[A-Z]:$/.test(d.drive)).length,
      prerequisites: prereq.commands,
      prerequisiteNotes: prereq.notes,
      prerequisiteSource: prereq.source,
      mediaLabel: stamp?.mediaLabel ?? server.version?.label ?? null,
      serialStamp: stamp,
      recoverCommand: recoverServerCommand(gen, server.version, server.installPath),
      laterCuAllowed: laterCuAllowed(gen),
      legacy2003: gen === '2003' ? legacyRecoverCommands(server.version) : null,
      targetDirNeeded: needsTargetDir(gen, server.installPath),
      defaultInstallPath: DEFAULT_INSTALL_PATH[gen],
      versionFixes: versionFixes(gen, os, server.roles),
      isDagMember: kind === 'dag-member',
      isLegacy2003: gen === '2003',
      // the removal sources back step 14a, which only the restore path has (a DAG member's databases are re-seeded)
      plan: { kind, title: planTitle(kind, server, gen), sources: [...planSources(kind, gen), ...(recoveryStores.length && kind !== 'dag-member' ? recoveryStoreSources(gen) : [])] },
      dag: dagView,
      recoveryStores,
      scriptingAgentEnabled: kind !== 'edge' && kind !== 'legacy-2003' && gen !== '2007' && scriptingAgentEnabled(snap),
      // %ExchangeInstallPath%Bin\CmdletExtensionAgents (Recover Exchange servers, Scripting Agent)
      scriptingAgentFolder: server.installPath ? `${server.installPath.replace(/\\+$/, '')}\\Bin\\CmdletExtensionAgents` : null,
      cms: server.clusteredMailboxServer ? {
        storageType: server.clusteredMailboxServer.storageType,
        nodes: server.clusteredMailboxServer.nodes,
        ipAddress: ips[0] ?? null,
        command: recoverCmsCommand(server, ips[0] ?? null, needsTargetDir(gen, server.installPath) ? server.installPath : null, os),
        passiveRoleCommand: `Setup.com /mode:install /roles:Mailbox${needsTargetDir(gen, server.installPath) ? ` /TargetDir:"${server.installPath}"` : ''}`,
      } : null,
      edge: kind === 'edge' ? {
        site: server.siteName, ...edgeCommands(server, gen),
        subscribingRole: gen === '2007' || gen === '2010' ? 'Hub Transport' : 'Mailbox',
        installCommand: edgeInstallCommand(gen, hasDiagnosticDataSwitch(gen, server.version) ? '/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF' : '/IAcceptExchangeServerLicenseTerms',
          needsTargetDir(gen, server.installPath) ? server.installPath : null),
        importCommands: EDGE_IMPORT_COMMANDS,
      } : null,
      inboundMailReenable: sup?.inboundMail?.reenableAt ?? null,
      restoreDatabases: restoreTargets.map((d) => {
        const g = d.storageGroup ? sgs.find((x) => sameDn(x.dn, d.storageGroup)) : undefined;
        return { name: d.name, edbPath: d.edbFilePath, logPath: d.logFolderPath ?? g?.logFolderPath ?? null, mountAtStartup: yesNo(d.mountAtStartup) };
      }),
      antivirusFileLevel: sup?.antivirus?.fileLevel ?? null,
      antivirusExchangeAware: sup?.antivirus?.exchangeAware ?? null,
      backupSoftware: sup?.backup?.software ?? null,
      backupAgentConfiguration: sup?.backup?.agentConfiguration ?? null,
      inboundMailStop: sup?.inboundMail?.stopAt ?? null,
      certificateExportLocation: sup?.certificate?.exportLocation ?? null,
      exchangeMedia: sup?.media?.exchange ?? null,
      osMedia: sup?.media?.operatingSystem ?? null,
      autodiscoverUrls,
      owaUrls: urlsOf('owa'),
      activeSyncUrls: urlsOf('activesync'),
      relayRanges: relayRanges(rcs),
      unifiedMessaging: server.roles.includes('UnifiedMessaging'),
    },
  };
}

function checklist(view: Pick<BinderView, 'servers' | 'forest'>, sup: Supplement | null): BinderView['checklist'] {
  const servers = view.servers;
  const all = (f: (s: ServerView) => boolean) => servers.length > 0 && servers.every(f);
  const missing = (f: (s: ServerView) => boolean) => servers.filter((s) => !f(s)).map((s) => s.name);
  const detail = (names: string[], okText: string) => (names.length ? `missing for ${names.join(', ')}` : okText);
  const hwOk = (s: ServerView) => !!(s.virtual || (s.hardware.make && s.hardware.model && s.hardware.cpu && s.hardware.memory));
  const identOk = (s: ServerView) => !!(s.fqdn && s.ipAddresses.length && s.versionLabel && s.roles !== 'none recorded');
  const dcOk = view.forest.domainControllers.length > 0 && view.forest.domainControllers.every((d) => d.location);
  const dbOk = (s: ServerView) => s.databases.every((d) => d.edbPath);
  return [
    { item: 'Server hardware (make, model, CPU, memory) or VM host', done: all(hwOk), detail: detail(missing(hwOk), 'recorded in the supplement') },
    { item: 'Server name, IP address, Exchange version and roles', done: all(identOk), detail: detail(missing(identOk), 'recorded') },
    { item: 'Domain controller names and locations', done: dcOk, detail: dcOk ? 'recorded' : 'DC locations missing from the supplement' },
    { item: 'Exchange install location', done: all((s) => !!s.installPath), detail: detail(missing((s) => !!s.installPath), 'recorded from AD') },
    { item: 'SSL certificate exported and stored', done: !!sup?.certificate?.exportLocation, detail: sup?.certificate?.exportLocation ?? 'export location not recorded' },
    { item: 'Storage groups, databases and their locations', done: all(dbOk), detail: detail(missing(dbOk), 'recorded from AD') },
    { item: 'Backup software, media and keys', done: !!(sup?.backup?.software && sup.backup.mediaLocation && sup.backup.keyLocation), detail: sup?.backup?.software ?? 'not recorded' },
    { item: 'OS and Exchange media of the recorded builds', done: !!(sup?.media?.operatingSystem && sup.media.exchange), detail: sup?.media?.exchange ?? 'media location not recorded' },
  ];
}

/** A changed value as the drift report prints it (a copy as 'copy on EX02, activation preference 2', not JSON). */
function show(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : formatValue(v);
}

/** Appendix B: the DN under an object's heading, in lines of this many characters (the PDF's body width in monospace) */
const RAW_DN_WIDTH = 84;
/** Appendix B: a value line; with the longest attribute name the table's natural width fits the page */
const RAW_VALUE_WIDTH = 60;
/** Appendix B: the first cell of a row that continues the value above it (the HTML joins them again) */
export const RAW_CONTINUED = '↪';

function rawSections(snap: Snapshot, index: ServerIndex, scope: BinderScope, spell: (attribute: string) => string): BinderView['raw'] {
  // every collection whose objects carry raw attributes, in registry order, but the DCs last (the organization,
  // the per-server objects, then the DCs) and the administrative groups (their raw is their name): a new
  // collection is in the appendix without an edit here
  const hasRaw = (c: CollectionName) => 'raw' in (REGISTRY[c].schema as unknown as { shape: object }).shape;
  const order: readonly CollectionName[] = [
    ...COLLECTIONS.filter((c) => hasRaw(c) && c !== 'adminGroups' && c !== 'domainControllers'), 'domainControllers',
  ];
  const objects = { ...collectionObjects(snap), organization: [snap.organization] };
  const groups = order.map((c) => [c, collectionLabel(c), objects[c] as { name: string; dn: string; raw: Record<string, string[]> }[]] as const);
  return groups.flatMap(([c, kind, objs]) => [...objs].filter((o) => index.inScope(o.dn, scope))
    .sort((a, b) => byText(a.dn.toLowerCase(), b.dn.toLowerCase())).map((o) => {
      // per-server objects name their server: every server has an 'owa (Default Web Site)'
      const servers = c === 'servers' ? [] : index.ownerNames(o.dn);
      return {
        title: `${kind} ${o.name}${servers.length ? ` on ${servers.join(', ')}` : ''}`,
        dn: o.dn,
        dnLines: dnLines(o.dn, RAW_DN_WIDTH),
        attributes: Object.keys(o.raw).sort().map((k) => {
          const name = spell(k);
          // one value per line; a long one (a DN) in lines that keep the table row within the Markdown's width
          // and the value column within the PDF's (a column the width of its longest line)
          const width = Math.min(RAW_VALUE_WIDTH, WRAP_WIDTH - 12 - name.length);
          const values = o.raw[k] ?? [];
          // each value a row; a long one continues in rows marked ↪ (a row with an empty first cell is the next value)
          const rows = (values.length ? values : ['']).flatMap((v, n) => valueLines(v, width).map((line, l) => ({
            label: l > 0 ? RAW_CONTINUED : n === 0 ? name : '', value: line,
          })));
          return { name, rows };
        }),
      };
    }));
}

/** timeZone: where "local" change times are shown (default: the machine's). */
/** scope: the servers and appendices printed (default: every server, appendices inline). */
export type BuildOptions = {
  supplement: Supplement | null; drift: DriftReport | null; generatedAt?: string; timeZone?: string; scope?: BinderScope;
  /**
   * Raw attribute keys (lower case in the snapshot) as Active Directory spells them,
   * for Appendix B; the harvest knows the spelling and the use cases pass it in.
   * Without it the keys print as stored.
   */
  attributeSpelling?: (attribute: string) => string;
};

export function buildView(snap: Snapshot, opts: BuildOptions): BinderView {
  const sup = opts.supplement;
  const scope = opts.scope ?? FULL_SCOPE;
  const index = new ServerIndex(snap);
  const printed = snap.servers.filter((s) => !scope.servers || scope.servers.has(keyOf(s.dn)));
  const drift = opts.drift;
  // a binder of some servers lists the changes of their objects and of org-wide ones
  const changes = drift ? drift.changes.filter((c) => index.inScope(c.dn, scope)) : [];
  const changed = new ChangedValues(drift, changes, index);
  const servers = [...printed].sort(byName).map((s) => {
    const v = serverView(s, snap, sup, index, changed);
    const rows = [v.storageGroups, v.databases, v.virtualDirectories, v.receiveConnectors, v.sendConnectors].flat().reduce((n, r) => n + r.changes.length, 0);
    return { ...v, marks: v.changes.length + rows + v.disks.flatMap((d) => d.uses).filter((u) => u.changed).length };
  });
  const dcLocation = (name: string) => {
    const e = Object.entries(sup?.domainControllers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return e ? e[1].location : null;
  };
  const forest: BinderView['forest'] = {
    changes: changed.of(snap.forest.rootDomain),
    rootDomain: snap.forest.rootDomain,
    functionalLevel: snap.forest.functionalLevelName ?? numOrNull(snap.forest.functionalLevel),
    schemaVersion: numOrNull(snap.forest.exchangeSchemaVersion),
    schemaRelease: snap.forest.exchangeSchemaRelease,
    domains: [...snap.forest.domains].sort((a, b) => byText(a.dnsName, b.dnsName)).map((d) => ({
      changes: changed.of(d.dn),
      dnsName: d.dnsName, functionalLevel: d.functionalLevelName ?? numOrNull(d.functionalLevel), systemObjectsVersion: numOrNull(d.exchangeSystemObjectsVersion),
      systemObjectsRelease: mesoRelease(d.exchangeSystemObjectsVersion),
      systemObjectsNote: domainPreparationNote(snap, d.dn),
    })),
    domainControllers: [...snap.forest.domainControllers].sort(byName).map((d) => ({
      changes: changed.of(d.dn),
      name: d.name, fqdn: d.fqdn, site: d.site, os: d.operatingSystem, globalCatalog: yesNo(d.isGlobalCatalog),
      readOnly: yesNo(d.isReadOnly), ipAddresses: d.ipAddresses.join(', '), location: dcLocation(d.name),
    })),
  };
  const critical = changes.filter((c) => c.severity === 'critical').length;
  const elsewhere = drift ? drift.changes.length - changes.length : 0;
  const since = drift ? `since ${drift.baseline.id} (${drift.baseline.harvestedAt})` : '';
  const driftStatus = !drift ? 'not compared with a last known good snapshot'
    : (changes.length === 0 ? `no changes ${since}` : `${counted(critical, 'critical change')} and ${counted(changes.length - critical, 'other change')} ${since}`)
      + (elsewhere ? `; ${elsewhere} more on servers not in this binder` : '');
  const serverOf = (c: DriftReport['changes'][number]) => (c.collection === 'servers' ? null : index.ownerNames(c.dn).join(', ') || null);
  // Appendix A prints what an admin reads: 'Activation preference of the copy on EX02', not the model's field path
  const spell = opts.attributeSpelling ?? ((a: string) => a);
  const labelOf = (c: DriftReport['changes'][number]) => (c.field ? fieldLabel(c.collection, c.field, spell) : null);
  // typed by the view's schema, not parsed at run time: it is our own output, and parsing copied all of it
  const view: BinderView = {
    title: `Exchange recovery binder: ${snap.organization.name}`,
    blank: BLANK,
    cover: {
      organization: snap.organization.name,
      forestRoot: snap.forest.domains.find((d) => sameDn(d.dn, snap.forest.rootDomain))?.dnsName ?? snap.forest.rootDomain,
      generatedAt: opts.generatedAt ?? snap.metadata.harvestedAt,
      harvestedAt: snap.metadata.harvestedAt,
      domainController: snap.metadata.source.domainController,
      source: `${snap.metadata.source.kind}: ${snap.metadata.source.description}`,
      snapshotId: snapshotId(snap),
      toolVersion: snap.metadata.toolVersion,
      driftStatus,
      warningsElsewhere: snap.metadata.warnings.filter((w) => w.dn && !index.inScope(w.dn, scope)).length,
      warnings: [...snap.metadata.warnings].filter((w) => !w.dn || index.inScope(w.dn, scope)).sort((a, b) => byText(a.code, b.code) || byText(a.message, b.message)).map((w) => ({ code: w.code, message: w.message })),
    },
    organization: {
      changes: changed.of(snap.organization.dn),
      name: snap.organization.name, dn: snap.organization.dn, objectVersion: numOrNull(snap.organization.objectVersion),
      objectVersionRelease: snap.organization.objectVersionRelease,
      authCertificate: snap.organization.authCertificate
        ? { current: snap.organization.authCertificate.current, next: snap.organization.authCertificate.next }
        : null,
      adminGroups: snap.organization.adminGroups.map((g) => g.name).sort(byText),
      routingGroups: [...snap.routingGroups].sort(byName).map((r) => ({ name: r.name, adminGroup: r.adminGroup, masterServer: rdnValue(r.masterServer) })),
    },
    forest,
    acceptedDomains: [...snap.acceptedDomains].sort((a, b) => byText(a.domainName, b.domainName)).map((d) => ({ changes: changed.of(d.dn), domainName: d.domainName, type: d.type, isDefault: yesNo(d.isDefault) })),
    dags: [...snap.dags].sort(byName).map((d) => ({
      changes: changed.of(d.dn),
      name: d.name, members: d.members.map((m) => rdnValue(m) ?? m).sort(byText).join(', '),
      witnessShare: d.witnessShare, witnessDirectory: d.witnessDirectory,
      alternateWitnessShare: d.alternateWitnessShare, alternateWitnessDirectory: d.alternateWitnessDirectory,
      datacenterActivationMode: d.datacenterActivationMode, ipv4Addresses: d.ipv4Addresses.join(', '),
    })),
    servers,
    collections: collectionsView(snap, index, scope, changed),
    virtualServers: servers.filter((s) => s.virtual).map((s) => s.name),
    checklist: checklist({ servers, forest }, sup),
    drift: drift ? {
      baselineId: drift.baseline.id, baselineHarvestedAt: drift.baseline.harvestedAt, currentId: drift.current.id,
      critical, info: changes.length - critical, elsewhere,
      changes: changes.map((c) => ({
        severity: c.severity, kind: c.kind, collection: collectionLabel(c.collection), name: c.name, server: serverOf(c), field: labelOf(c), old: show(c.old), new: show(c.new),
      })),
      attributed: drift.attribution?.status === 'read' ? changes.filter((c) => c.severity === 'critical').map((c) => {
        const a = c.attribution ?? null;
        const t = a ? changeTimes(a.changedAt, opts.timeZone) : null;
        return { name: c.name, server: serverOf(c), field: labelOf(c) ?? c.kind, changedUtc: t?.utc ?? null, changedLocal: t?.local ?? null, dc: a?.dc ?? null, version: a ? versionText(a) : null };
      }) : [],
      attributionNotes: attributionNotes(drift),
    } : null,
    changes: { since: changed.since, baselineId: drift?.baseline.id ?? null, organizationMarks: 0 },
    scope: {
      partial: scope.servers !== null,
      servers: servers.map((s) => s.name),
      total: snap.servers.length,
      appendix: scope.appendix,
      appendixFile: scope.appendixFile,
      appendixPages: null,
    },
    raw: scope.appendix === 'none' ? [] : rawSections(snap, index, scope, spell),
  };
  {
    view.changes.organizationMarks = [view.organization, view.forest, ...view.forest.domains, ...view.forest.domainControllers, ...view.acceptedDomains, ...view.dags]
      .reduce((n, o) => n + o.changes.length, 0);
  }
  return view;
}

/** A domain the harvest found behind the organization's preparation level (meso-behind) or not prepared at all. */
function domainPreparationNote(snap: Snapshot, domainDn: string): string | null {
  const ws = snap.metadata.warnings;
  if (ws.some((x) => x.code === 'meso-behind' && x.dn !== null && sameDn(x.dn, mesoDn(domainDn)))) return 'behind the organization: run /PrepareDomain (see the warnings)';
  if (ws.some((x) => x.code === 'domain-not-prepared' && x.dn !== null && sameDn(x.dn, domainDn))) return 'not prepared: run /PrepareDomain (see the warnings)';
  return null;
}

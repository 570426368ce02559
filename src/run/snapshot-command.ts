/**
 * `exbinder snapshot|accept|history`: the scheduled job, its settings merged
 * from the command line, the environment and the config file, in that order
 * of precedence (docs/scheduling.md).
 */
import { ExbinderError } from '../errors.js';
import { loadConfig, type LoadedConfig } from './config.js';
import type { ConnectionIo, ConnectionSettings } from './connection.js';
import { harvestSnapshot } from './harvest-command.js';
import type { HooksConfig } from './hooks.js';
import { renderBinder } from '../render/index.js';
import { attributeSpelling } from '../harvest/registry.js';
import { scopeOf, type AppendixMode } from '../render/scope.js';
import type { Paper } from './render-command.js';
import { loadInventory, mapLimited } from './inventory.js';
import { acceptSnapshot, EXIT_RANK, listHistory, MIN_ID_PREFIX, runSnapshotJob, type ExitCode, type SnapshotJobResult } from './snapshot-job.js';
import { SnapshotStore, type LastRun } from '../snapshot/store.js';
import { objectHistory } from '../snapshot/object-history.js';
import { jsonText } from '../snapshot/drift.js';
import { formatObjectHistory } from '../render/history.js';

export interface SnapshotCommandOptions {
  connection: ConnectionSettings;
  /** option names given on the command line or by environment (they beat the config file) */
  explicit: string[];
  store?: string;
  config?: string;
  accept?: boolean;
  keep?: number;
  git?: boolean;
  supplement?: string;
  templates?: string;
  paper?: Paper;
  breakLock?: boolean;
  failOnWarning?: 'new' | 'any';
  /** binder of just these servers (--server) */
  server?: string[];
  appendix?: AppendixMode;
}

export interface JobSettings {
  connection: ConnectionSettings;
  store: string;
  keep: number | undefined;
  git: boolean;
  supplement: string | undefined;
  templates: string | undefined;
  paper: Paper;
  servers: string[] | undefined;
  appendix: AppendixMode;
  failOnWarning: 'new' | 'any' | undefined;
  hooks: HooksConfig | undefined;
  hooksDir: string | undefined;
}

/** Command line (and environment) beats config file beats default. */
export function mergeSettings(o: SnapshotCommandOptions, c: LoadedConfig): JobSettings {
  const cli = <T>(name: string, v: T | undefined) => (o.explicit.includes(name) ? v : undefined);
  const conn = o.connection;
  const connection: ConnectionSettings = {
    ...conn,
    // a DC named on the command line (by URL or by domain) replaces the config file's, whichever way that names it
    url: cli('url', conn.url) ?? (o.explicit.includes('domain') ? undefined : c.url),
    domain: cli('domain', conn.domain) ?? (o.explicit.includes('url') ? undefined : c.domain),
    site: cli('site', conn.site) ?? c.site,
    dnsServers: cli('dnsServer', conn.dnsServers) ?? c.dnsServers,
    transport: cli('transport', conn.transport) ?? c.transport,
    auth: cli('auth', conn.auth) ?? c.auth,
    keytab: cli('keytab', conn.keytab) ?? c.keytab,
    principal: cli('principal', conn.principal) ?? c.principal,
    bindDn: cli('bindDn', conn.bindDn) ?? c.bindDn,
    passwordFile: cli('passwordFile', conn.passwordFile) ?? c.passwordFile,
    caFile: cli('caFile', conn.caFile) ?? c.caFile,
    startTls: cli('starttls', conn.startTls) ?? c.startTls,
    insecure: cli('insecure', conn.insecure) ?? c.insecure,
    replMetadata: cli('replMetadata', conn.replMetadata) ?? c.replMetadata,
    timeoutSeconds: cli('timeout', conn.timeoutSeconds) ?? c.timeout ?? conn.timeoutSeconds,
    connectTimeoutSeconds: cli('connectTimeout', conn.connectTimeoutSeconds) ?? c.connectTimeout ?? conn.connectTimeoutSeconds,
  };
  const store = o.store ?? c.store;
  if (!store) throw new ExbinderError('no store: give --store DIR or set store in the --config file', 'usage');
  return {
    connection,
    store,
    keep: o.keep ?? c.keep,
    git: o.git ?? c.git ?? false,
    supplement: o.supplement ?? c.supplement,
    templates: o.templates ?? c.templates,
    paper: o.paper ?? (c.paper?.toLowerCase() as Paper | undefined) ?? 'a4',
    servers: o.server ?? c.servers,
    appendix: o.appendix ?? c.appendix ?? 'inline',
    failOnWarning: o.failOnWarning ?? c.failOnWarning,
    hooks: c.hooks,
    hooksDir: c.baseDir,
  };
}

export interface RunIo extends ConnectionIo {
  /** harvest progress and other detail lines, as they happen (shown on a terminal or with -v) */
  progress?: (line: string) => void;
}

/** One organization's job with merged settings. */
export async function runJob(s: JobSettings, o: { accept?: boolean; breakLock?: boolean }, io: RunIo): Promise<SnapshotJobResult> {
  return runSnapshotJob({
    store: s.store,
    accept: o.accept ?? false,
    keep: s.keep,
    git: s.git,
    breakLock: o.breakLock ?? false,
    failOnWarning: s.failOnWarning,
    hooks: s.hooks,
    hooksDir: s.hooksDir,
    harvestFn: () => harvestSnapshot(s.connection, io, io.progress),
    renderFn: async (snapshot, drift) => {
      io.progress?.('rendering the binder (Markdown, PDF)');
      const scope = scopeOf(snapshot, s.servers, s.appendix, s.appendix === 'separate' ? 'latest-appendix.pdf' : null);
      const binder = await renderBinder(snapshot, { pdf: true, supplementPath: s.supplement, templatesDir: s.templates, paper: s.paper, drift, scope, attributeSpelling });
      const appendix = binder.appendix ? { appendix: { markdown: binder.appendix.markdown, pdf: binder.appendix.pdf! } } : {};
      return { markdown: binder.markdown, pdf: binder.pdf!, ...appendix };
    },
  });
}

export async function snapshotCommand(o: SnapshotCommandOptions, io: RunIo): Promise<{ exitCode: ExitCode; lines: string[]; lastRun: LastRun }> {
  const config = o.config ? await loadConfig(o.config) : {};
  const s = mergeSettings(o, config);
  const result = await runJob(s, o, io);
  return { exitCode: result.exitCode, lines: result.messages, lastRun: result.lastRun };
}

/** --store, else the config's store. */
async function storeOf(o: { store?: string; config?: string }): Promise<{ store: string; config: LoadedConfig }> {
  const config = o.config ? await loadConfig(o.config) : {};
  const store = o.store ?? config.store;
  if (!store) throw new ExbinderError('no store: give --store DIR or --config FILE (with store in it)', 'usage');
  return { store, config };
}

export async function acceptCommand(o: { store?: string; config?: string; breakLock?: boolean }, id?: string): Promise<string[]> {
  const { store, config } = await storeOf(o);
  const lockLog: string[] = [];
  const r = await acceptSnapshot(store, id, { git: config.git, breakLock: o.breakLock, hooks: config.hooks, hooksDir: config.baseDir, log: (l) => lockLog.push(l) });
  const lines = [...lockLog, `snapshot ${r.id} (harvested ${r.harvestedAt}) is now the known good snapshot` + (r.previous ? ` (was ${r.previous})` : '')];
  if (r.tag) lines.push(`tagged ${r.tag} in the store git repository`);
  for (const h of r.hooks) lines.push(`hook ${h.event} ${h.exitCode === 0 ? 'ran' : h.timedOut ? 'killed after the timeout' : `failed (exit ${h.exitCode})`}; its output is in ${h.log}`);
  return lines;
}

export async function historyCommand(o: { store?: string; config?: string; json?: boolean; object?: string }): Promise<string[]> {
  const { store } = await storeOf(o);
  if (o.object !== undefined) return objectHistoryCommand(store, o.object, o.json ?? false);
  const rows = await listHistory(store);
  if (o.json) return [jsonText(rows)];
  if (!rows.length) return [`the store ${store} holds no snapshot yet`];
  const head = `  ${'ID'.padEnd(16)}  ${'HARVESTED (UTC)'.padEnd(20)}  DRIFT VS THE KNOWN GOOD OF ITS DAY`;
  const body = rows.map((r) => {
    const drift = r.comparedWith === null ? 'no known good to compare' : `${r.critical} critical, ${r.info} info vs ${r.comparedWith}`;
    const warn = r.warningsNew ? `, ${r.warningsNew} new warning${r.warningsNew === 1 ? '' : 's'}` : '';
    return `${r.knownGood ? '*' : ' '} ${r.id}  ${r.harvestedAt.padEnd(20)}  ${drift}${warn}`;
  });
  return [head, ...body, '', `Legend: * marks the known good snapshot; ids may be shortened to ${MIN_ID_PREFIX} or more characters (exbinder accept ID).`];
}

/** `history --object NAME`: one object's attributes across the stored snapshots, with when and where from replication metadata. */
async function objectHistoryCommand(storeDir: string, query: string, json: boolean): Promise<string[]> {
  const store = await SnapshotStore.open(storeDir, { readOnly: true });
  const snapshots = [];
  for (const s of await store.list()) snapshots.push({ id: s.id, snapshot: await store.read(s.id) });
  const histories = objectHistory(snapshots, query);
  if (json) return [jsonText(histories)];
  return formatObjectHistory(histories, query);
}

// ---------------------------------------------------------------- --all

export interface AllResult {
  exitCode: ExitCode;
  /** one line per organization, then the summary */
  lines: string[];
  /** each organization's job lines, prefixed with its name (for -v) */
  detail: string[];
  runs: { name: string; store: string; exitCode: ExitCode; lastRun: LastRun }[];
}

const OUTCOME: Record<ExitCode, string> = { 0: 'ok', 1: 'DRIFT', 2: 'FAILED', 3: 'WARNING' };

/**
 * `snapshot --all`: every organization of the inventory, `parallel` at a
 * time; exit code the worst of theirs (failure > drift > warnings > ok).
 */
export async function snapshotAllCommand(
  inventoryPath: string,
  o: { accept?: boolean; breakLock?: boolean; failOnWarning?: 'new' | 'any'; parallel?: number },
  io: RunIo,
): Promise<AllResult> {
  const inv = await loadInventory(inventoryPath);
  const width = Math.max(...inv.organizations.map((x) => x.name.length));
  const runs = await mapLimited(inv.organizations, o.parallel ?? inv.parallel, async (org) => {
    const s = mergeSettings({ connection: {}, explicit: [], failOnWarning: o.failOnWarning }, org.config);
    // no prompts when several run at once: each needs its passwordFile (or EXBINDER_PASSWORD)
    const r = await runJob(s, o, { ...io, isTTY: false, progress: io.progress ? (l) => io.progress!(`${org.name}: ${l}`) : undefined });
    return { name: org.name, store: s.store, exitCode: r.exitCode, lastRun: r.lastRun, messages: r.messages };
  });
  const lines = runs.map((r) => {
    const l = r.lastRun;
    const what =
      r.exitCode === 2
        ? (r.messages[0] ?? 'failed')
        : `${l.organization?.name ?? r.name}: ${l.critical} critical, ${l.info} info, ${l.warnings.new.length} new warning${l.warnings.new.length === 1 ? '' : 's'}`;
    return `${r.name.padEnd(width)}  ${OUTCOME[r.exitCode].padEnd(7)}  exit ${r.exitCode}  ${what}`;
  });
  const count = (c: ExitCode) => runs.filter((r) => r.exitCode === c).length;
  const worst = runs.reduce<ExitCode>((w, r) => (EXIT_RANK[r.exitCode] > EXIT_RANK[w] ? r.exitCode : w), 0);
  lines.push(
    `${runs.length} organization${runs.length === 1 ? '' : 's'}: ${count(0)} ok, ${count(1)} with drift, ${count(3)} with warnings, ${count(2)} failed; exit ${worst}`,
  );
  const detail = runs.flatMap((r) => r.messages.map((m) => `${r.name}: ${m}`));
  return { exitCode: worst, lines, detail, runs: runs.map(({ messages: _m, ...r }) => r) };
}

/**
 * `exbinder snapshot|accept|history`: the scheduled job, its settings merged
 * from the config file and the command line (the command line wins).
 */
import { ExbinderError } from '../errors.js';
import { loadConfig, type ExbinderConfig } from './config.js';
import type { ConnectionIo, ConnectionSettings } from './connection.js';
import { harvestSnapshot } from './harvest-command.js';
import { renderBinder } from '../render/index.js';
import type { Paper } from './render-command.js';
import { acceptSnapshot, listHistory, runSnapshotJob } from './snapshot-job.js';

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
}

/** Command line beats config file beats default. */
export function mergeSettings(o: SnapshotCommandOptions, c: ExbinderConfig) {
  const cli = <T>(name: string, v: T | undefined) => (o.explicit.includes(name) ? v : undefined);
  const conn = o.connection;
  const connection: ConnectionSettings = {
    ...conn,
    url: cli('url', conn.url) ?? c.url,
    bindDn: cli('bindDn', conn.bindDn) ?? c.bindDn,
    passwordFile: cli('passwordFile', conn.passwordFile) ?? c.passwordFile,
    caFile: cli('caFile', conn.caFile) ?? c.caFile,
    startTls: cli('starttls', conn.startTls) ?? c.startTls,
    insecure: cli('insecure', conn.insecure) ?? c.insecure,
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
  };
}

export async function snapshotCommand(o: SnapshotCommandOptions, io: ConnectionIo): Promise<{ exitCode: 0 | 1 | 2; lines: string[] }> {
  const config = o.config ? await loadConfig(o.config) : {};
  const s = mergeSettings(o, config);
  const result = await runSnapshotJob({
    store: s.store,
    accept: o.accept ?? false,
    keep: s.keep,
    git: s.git,
    breakLock: o.breakLock ?? false,
    harvestFn: () => harvestSnapshot(s.connection, io),
    renderFn: async (snapshot, drift) => {
      const binder = await renderBinder(snapshot, { pdf: true, supplementPath: s.supplement, templatesDir: s.templates, paper: s.paper, drift });
      return { markdown: binder.markdown, pdf: binder.pdf! };
    },
  });
  return { exitCode: result.exitCode, lines: result.messages };
}

export async function acceptCommand(store: string, id?: string): Promise<string[]> {
  const r = await acceptSnapshot(store, id);
  return [`snapshot ${r.id} (harvested ${r.harvestedAt}) is now the known good snapshot` + (r.previous ? ` (was ${r.previous})` : '')];
}

export async function historyCommand(store: string): Promise<string[]> {
  const rows = await listHistory(store);
  if (!rows.length) return [`the store ${store} holds no snapshot yet`];
  return rows.map((r) => {
    const drift = r.comparedWith === null ? 'no known good to compare' : `${r.critical} critical, ${r.info} info vs ${r.comparedWith}`;
    return `${r.knownGood ? '*' : ' '} ${r.id}  ${r.harvestedAt}  ${drift}`;
  });
}

/**
 * The snapshot store: a plain directory, so it can live on a file share, be
 * backed up with everything else and (with --git) be pushed somewhere.
 *
 *   DIR/snapshots/<harvestedAt compact>-<snapshotId>.json   canonical snapshots
 *   DIR/organization.json                                   the organization this store belongs to
 *   DIR/known-good                                          id of the accepted snapshot
 *   DIR/known-good-warnings.json                            harvest warnings accepted with it
 *   DIR/drift/<snapshotId>.json, .md                        drift vs the known good, when the snapshot was new
 *   DIR/drift/latest.json, latest.md                        the last run's drift report
 *   DIR/binder/latest.md, latest.pdf                        last rendered binder
 *   DIR/binder/latest-appendix.md, latest-appendix.pdf      its appendices, with --appendix separate
 *   DIR/failures/<time>.json                                failed and refused runs (no secrets)
 *   DIR/last-run.json                                       outcome of the last run
 *   DIR/hooks/state.json, <event>.log                       when each hook last fired, its last output
 *   DIR/config/<kind>.json                                  with git: one file per object kind (the change log)
 *   DIR/store.lock                                          held while a run writes
 *
 * Every file is written atomically (temp file in the same directory, fsync,
 * rename), so a crash leaves the previous state, never a partial file.
 * Only this module knows the layout: the job asks it to write, never joins
 * store paths itself.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExbinderError } from '../errors.js';
import { TEMP_FILE, writeFileAtomic } from './atomic.js';
import { serialize, snapshotId } from './canonical.js';
import { DriftReport, driftJson } from './drift.js';
import { takeLock, type LockOptions, type Release } from './lock.js';
import { loadSnapshot } from './migrate.js';
import type { Snapshot, Warning } from './model.js';

const run = promisify(execFile);

export interface StoreOptions {
  /** commit every snapshot and drift report into a git repository in the store (implied when DIR/.git exists) */
  git?: boolean;
  /** only read (history, diff): do not create the layout; a missing store is an error */
  readOnly?: boolean;
}

export type { LockOptions, Release } from './lock.js';

export interface StoredSnapshot {
  id: string;
  /** ISO 8601 UTC, from the file name */
  harvestedAt: string;
  file: string;
}

export interface FailureRecord {
  /** ISO 8601 UTC */
  at: string;
  /** which step failed: 'harvest', 'render', 'store' */
  stage: string;
  code: string;
  message: string;
}

export interface LastRun {
  at: string;
  exitCode: number;
  /** the organization harvested (null when the run failed before it was known) */
  organization: { name: string; guid: string } | null;
  snapshotId: string | null;
  knownGood: string | null;
  critical: number;
  info: number;
  /** harvest warnings of this run: new since the known good, already known (all new without a known good) */
  warnings: { new: Warning[]; known: Warning[] };
  /** report files of this run */
  files: { driftMd: string | null; driftJson: string | null; binderPdf: string | null; binderMd: string | null; failure: string | null };
  /** hooks this run fired */
  hooks: { event: string; exitCode: number | null; timedOut: boolean; log: string }[];
}

/** The organization a store documents: bound by its first snapshot, never changed by a run. */
export interface StoreOrganization {
  name: string;
  guid: string;
  boundAt: string;
}

/** When each hook last fired successfully, and for which state (see run/hooks.ts). */
export type HookState = Record<string, { key: string; firedAt: string } | undefined>;

/** Store files that are run state or large renderings, not configuration history: never in git. */
const GIT_IGNORED = ['store.lock', '.*.tmp', 'last-run.json', 'binder/', 'snapshots/', 'failures/', 'hooks/', 'drift/latest.*'];

const SNAPSHOT_FILE = /^(\d{8}T\d{6}Z)-([0-9a-f]{16})\.json$/;

/** '2026-11-20T08:30:00.123Z' → '20261120T083000Z' (UTC, sortable, safe on every file system). */
export function compactTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new ExbinderError(`harvestedAt '${iso}' is not an ISO 8601 time`, 'snapshot-invalid');
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function expandTime(compact: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(compact)!;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

export class SnapshotStore {
  private constructor(
    readonly dir: string,
    readonly git: boolean,
  ) {}

  /** Creates the layout if needed (temp files a crashed run left are removed when the lock is taken). */
  static async open(dir: string, options: StoreOptions = {}): Promise<SnapshotStore> {
    if (options.readOnly) {
      try {
        await stat(join(dir, 'snapshots'));
      } catch {
        throw new ExbinderError(`${dir} is not an exbinder store (no snapshots folder): check --store`, 'store-missing');
      }
      return new SnapshotStore(dir, false);
    }
    try {
      for (const sub of ['snapshots', 'drift', 'binder', 'failures', 'hooks']) await mkdir(join(dir, sub), { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new ExbinderError(`cannot create the store ${dir} (${code}): check the path and its permissions`, 'store-open', 2, { cause: e });
    }
    // once a store is a git repository every write is committed, whoever runs without --git
    const git = options.git === true || (await exists(join(dir, '.git')));
    const store = new SnapshotStore(dir, git);
    if (store.git) await store.gitInit();
    return store;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  // ------------------------------------------------------------ lock

  /**
   * Takes store.lock (see lock.ts: owner-only release, dead holders taken
   * over, live ones never broken); returns the function that releases it.
   */
  async lock(options: LockOptions = {}): Promise<Release> {
    const release = await takeLock(this.path('store.lock'), options);
    try {
      // only the lock holder may clean up: a reader must not delete a running job's temp file
      await this.removeTempFiles();
    } catch (e) {
      await release();
      throw e;
    }
    return release;
  }

  // ------------------------------------------------------- snapshots

  /** Stored snapshots, oldest first. */
  async list(): Promise<StoredSnapshot[]> {
    const names = (await readdir(this.path('snapshots'))).filter((n) => SNAPSHOT_FILE.test(n)).sort();
    return names.map((file) => {
      const m = SNAPSHOT_FILE.exec(file)!;
      return { id: m[2]!, harvestedAt: expandTime(m[1]!), file: join(this.dir, 'snapshots', file) };
    });
  }

  /**
   * Stores a snapshot. An unchanged directory gives the same id as the newest
   * stored snapshot: nothing is written then (the store keeps changes, not
   * runs; last-run.json records every run).
   */
  async writeSnapshot(snapshot: Snapshot): Promise<{ id: string; file: string; written: boolean }> {
    const id = snapshotId(snapshot);
    const newest = (await this.list()).at(-1);
    if (newest && newest.id === id) return { id, file: newest.file, written: false };
    const file = this.path('snapshots', `${compactTime(snapshot.metadata.harvestedAt)}-${id}.json`);
    await this.writeAtomic(file, serialize(snapshot));
    return { id, file, written: true };
  }

  /** The newest stored snapshot with this id (or id prefix). */
  async find(idOrPrefix: string): Promise<StoredSnapshot> {
    const wanted = idOrPrefix.toLowerCase();
    const hits = (await this.list()).filter((s) => s.id.startsWith(wanted));
    const ids = new Set(hits.map((h) => h.id));
    if (ids.size === 0) {
      throw new ExbinderError(`no snapshot ${idOrPrefix} in the store ${this.dir}: see 'exbinder history --store ${this.dir}'`, 'snapshot-unknown');
    }
    if (ids.size > 1) throw new ExbinderError(`snapshot id ${idOrPrefix} is ambiguous in ${this.dir}: give more characters`, 'snapshot-ambiguous');
    return hits.at(-1)!;
  }

  async read(idOrPrefix: string): Promise<Snapshot> {
    return loadSnapshot((await this.find(idOrPrefix)).file);
  }

  async knownGood(): Promise<string | null> {
    try {
      const id = (await readFile(this.path('known-good'), 'utf8')).trim();
      return id || null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /**
   * `warnings`: the harvest warnings accepted with it (known-good-warnings.json).
   * They are kept apart from the snapshot because an unchanged directory
   * keeps its first file: a certificate that starts to expire changes no
   * configuration, and accepting it must still make its warning known.
   */
  async setKnownGood(id: string, warnings?: readonly Warning[]): Promise<void> {
    if (warnings) await this.writeAtomic(this.path('known-good-warnings.json'), JSON.stringify(warnings, null, 2) + '\n');
    else await rm(this.path('known-good-warnings.json'), { force: true });
    await this.writeAtomic(this.path('known-good'), `${id}\n`);
  }

  /** Warnings accepted with the known good; null when it was accepted without them (older stores). */
  async knownGoodWarnings(): Promise<Warning[] | null> {
    try {
      const list = JSON.parse(await readFile(this.path('known-good-warnings.json'), 'utf8')) as unknown;
      return Array.isArray(list) ? (list as Warning[]) : null;
    } catch {
      return null;
    }
  }

  // ------------------------------------------------ reports and runs

  async writeDrift(report: DriftReport, markdown: string): Promise<{ json: string; md: string }> {
    const json = this.path('drift', `${report.current.id}.json`);
    const md = this.path('drift', `${report.current.id}.md`);
    await this.writeAtomic(json, driftJson(report));
    await this.writeAtomic(md, markdown);
    return { json, md };
  }

  async hasDrift(id: string): Promise<boolean> {
    return (await this.readDrift(id)) !== null;
  }

  async readDrift(id: string): Promise<DriftReport | null> {
    try {
      return DriftReport.parse(JSON.parse(await readFile(this.path('drift', `${id}.json`), 'utf8')));
    } catch {
      return null;
    }
  }

  /** This run's report, for the scheduler to mail (drift/<id> is the one made when the snapshot was new). */
  async writeLatestDrift(report: DriftReport, markdown: string): Promise<{ json: string; md: string }> {
    const json = this.path('drift', 'latest.json');
    const md = this.path('drift', 'latest.md');
    await this.writeAtomic(json, driftJson(report));
    await this.writeAtomic(md, markdown);
    return { json, md };
  }

  /** A store without known good has no drift: an old latest report must not be mailed again. */
  async removeLatestDrift(): Promise<void> {
    await rm(this.path('drift', 'latest.json'), { force: true });
    await rm(this.path('drift', 'latest.md'), { force: true });
  }

  /**
   * `appendix`: the appendices as files of their own (--appendix separate),
   * binder/latest-appendix.{md,pdf}; without it those of an earlier run are
   * removed, so the folder never pairs a binder with another run's appendix.
   */
  async writeBinder(markdown: string, pdf: Uint8Array, appendix?: { markdown: string; pdf: Uint8Array }): Promise<{ md: string; pdf: string }> {
    const md = this.path('binder', 'latest.md');
    const pdfPath = this.path('binder', 'latest.pdf');
    const extra = { md: this.path('binder', 'latest-appendix.md'), pdf: this.path('binder', 'latest-appendix.pdf') };
    if (!appendix) for (const f of [extra.pdf, extra.md]) await rm(f, { force: true });
    await this.writeAtomic(pdfPath, pdf);
    await this.writeAtomic(md, markdown);
    if (appendix) {
      await this.writeAtomic(extra.pdf, appendix.pdf);
      await this.writeAtomic(extra.md, appendix.markdown);
    }
    return { md, pdf: pdfPath };
  }

  async writeFailure(record: FailureRecord): Promise<string> {
    const base = compactTime(record.at);
    // two failures in the same second must not overwrite each other
    const file = this.path('failures', `${base}-${randomBytes(3).toString('hex')}.json`);
    await this.writeAtomic(file, JSON.stringify(record, null, 2) + '\n');
    return file;
  }

  async readLastRun(): Promise<LastRun | null> {
    try {
      return JSON.parse(await readFile(this.path('last-run.json'), 'utf8')) as LastRun;
    } catch {
      return null;
    }
  }

  async writeLastRun(last: LastRun): Promise<string> {
    const file = this.path('last-run.json');
    await this.writeAtomic(file, JSON.stringify(last, null, 2) + '\n');
    return file;
  }

  // ----------------------------------------------------- organization

  /**
   * The organization this store belongs to: organization.json, or for a store
   * made before it existed, the organization of its known good (else newest)
   * snapshot. null for a new store.
   */
  async organization(): Promise<StoreOrganization | null> {
    try {
      const o = JSON.parse(await readFile(this.path('organization.json'), 'utf8')) as Partial<StoreOrganization>;
      if (typeof o.guid === 'string' && typeof o.name === 'string') return { name: o.name, guid: o.guid, boundAt: String(o.boundAt ?? '') };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ExbinderError(`${this.path('organization.json')} is not readable JSON: restore it from a backup (it names the organization of this store)`, 'store-organization', 2, { cause: e });
      }
    }
    const good = await this.knownGood();
    const pick = (good ? (await this.list()).filter((s) => s.id === good).at(-1) : undefined) ?? (await this.list()).at(-1);
    if (!pick) return null;
    const s = await loadSnapshot(pick.file);
    return { name: s.organization.name, guid: s.organization.guid, boundAt: s.metadata.harvestedAt };
  }

  /**
   * Refuses a snapshot of another organization (a config pointing at the
   * wrong store would otherwise report every object as changed and replace
   * that organization's binder); binds a new store to the snapshot's.
   */
  async bindOrganization(snapshot: Snapshot, at: string): Promise<StoreOrganization> {
    const mine = await this.organization();
    const theirs = snapshot.organization;
    if (mine && mine.guid.toLowerCase() !== theirs.guid.toLowerCase()) {
      throw new ExbinderError(
        `the store ${this.dir} belongs to organization ${mine.name} (objectGUID ${mine.guid}), but this run read ${theirs.name} (objectGUID ${theirs.guid}) from ${snapshot.metadata.source.description}: point this organization at its own store (--store, or store in its config)`,
        'store-foreign-org',
      );
    }
    const bound = mine ?? { name: theirs.name, guid: theirs.guid, boundAt: at };
    if (!(await exists(this.path('organization.json')))) {
      await this.writeAtomic(this.path('organization.json'), JSON.stringify(bound, null, 2) + '\n');
    }
    return bound;
  }

  // ------------------------------------------------------------ hooks

  async readHookState(): Promise<HookState> {
    try {
      return JSON.parse(await readFile(this.path('hooks', 'state.json'), 'utf8')) as HookState;
    } catch {
      return {};
    }
  }

  async writeHookState(state: HookState): Promise<void> {
    await this.writeAtomic(this.path('hooks', 'state.json'), JSON.stringify(state, null, 2) + '\n');
  }

  /** The output of the last run of a hook, for the operator (replaced each time it fires). */
  async writeHookLog(event: string, text: string): Promise<string> {
    const file = this.path('hooks', `${event}.log`);
    await this.writeAtomic(file, text);
    return file;
  }

  // ----------------------------------------------- configuration tree

  /**
   * With git: the snapshot without its metadata, one pretty-printed file per
   * object kind, so `git log -p config/` reads as a change log of the
   * configuration. An unchanged directory rewrites identical bytes.
   */
  async writeConfigTree(snapshot: Snapshot): Promise<void> {
    if (!this.git) return;
    await mkdir(this.path('config'), { recursive: true });
    const { metadata: _metadata, schemaVersion: _version, ...body } = snapshot;
    const wanted = new Set<string>();
    for (const [kind, value] of Object.entries(body)) {
      const name = `${kind}.json`;
      wanted.add(name);
      const file = this.path('config', name);
      const text = JSON.stringify(value, null, 2) + '\n';
      if ((await readFile(file, 'utf8').catch(() => null)) !== text) await this.writeAtomic(file, text);
    }
    for (const n of await readdir(this.path('config'))) if (!wanted.has(n) && !TEMP_FILE.test(n)) await rm(this.path('config', n), { force: true });
  }

  // -------------------------------------------------------- retention

  /**
   * Keeps the `keep` newest snapshots; the newest one and the known good one
   * are never removed (they count towards `keep`). Drift reports go with
   * the last file of their snapshot id. Returns the removed files.
   */
  async prune(keep: number): Promise<string[]> {
    if (!Number.isInteger(keep) || keep < 1) {
      throw new ExbinderError(`--keep ${keep} is not a positive whole number: keep at least 1 snapshot`, 'bad-keep');
    }
    const all = await this.list();
    const good = await this.knownGood();
    const protectedFiles = new Set<string>();
    if (all.length) protectedFiles.add(all.at(-1)!.file);
    const goodFile = all.filter((s) => s.id === good).at(-1);
    if (goodFile) protectedFiles.add(goodFile.file);
    let excess = all.length - keep;
    const removed: string[] = [];
    for (const s of all) {
      if (excess <= 0) break;
      if (protectedFiles.has(s.file)) continue;
      await rm(s.file);
      removed.push(s.file);
      excess--;
    }
    const left = new Set((await this.list()).map((s) => s.id));
    for (const s of all) {
      if (removed.includes(s.file) && !left.has(s.id)) {
        await rm(this.path('drift', `${s.id}.json`), { force: true });
        await rm(this.path('drift', `${s.id}.md`), { force: true });
      }
    }
    return removed;
  }

  // -------------------------------------------------------------- git

  /**
   * Commits the configuration tree, the known good, organization.json and the
   * per-snapshot drift reports. Run state (last-run.json, locks, hook logs),
   * the full snapshots and the binder are ignored, so a run that changed
   * nothing commits nothing. No-op without git.
   */
  async commit(message: string): Promise<boolean> {
    if (!this.git) return false;
    await this.gitRun(['add', '-A', '.']);
    const staged = await this.gitRun(['diff', '--cached', '--name-only']);
    if (!staged.stdout.trim()) return false;
    await this.gitRun(['commit', '-q', '--no-verify', '--author', 'exbinder <exbinder@localhost>', '-m', message]);
    return true;
  }

  /** Tags the current commit as the accepted state: accepted-<time>-<snapshot id>. */
  async tagAccepted(id: string, at: string): Promise<string | null> {
    if (!this.git) return null;
    const head = await this.gitRun(['rev-parse', '--verify', '-q', 'HEAD']).catch(() => null);
    if (!head) return null;
    const tag = `accepted-${compactTime(at)}-${id}`;
    await this.gitRun(['tag', tag]);
    return tag;
  }

  private async gitInit(): Promise<void> {
    try {
      await stat(this.path('.git'));
    } catch {
      await this.gitRun(['init', '-q']);
    }
    const ignore = GIT_IGNORED.join('\n') + '\n';
    if ((await readFile(this.path('.gitignore'), 'utf8').catch(() => null)) === ignore) return;
    // run state and the binder are not history (stores made by earlier versions tracked them)
    await this.writeAtomic(this.path('.gitignore'), ignore);
    await this.gitRun(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', 'binder', 'snapshots', 'failures', 'hooks', 'last-run.json', 'drift/latest.json', 'drift/latest.md']);
  }

  private async gitRun(args: string[]): Promise<{ stdout: string }> {
    try {
      return await run('git', ['-c', 'user.name=exbinder', '-c', 'user.email=exbinder@localhost', ...args], {
        cwd: this.dir,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      const why = err.code === 'ENOENT' ? 'git is not installed' : (err.stderr ?? err.message).trim().split('\n')[0];
      throw new ExbinderError(`git ${args[0]} in the store ${this.dir} failed: ${why}; fix it or run without --git`, 'store-git', 2, { cause: e });
    }
  }

  // ------------------------------------------------------------ files

  /** See atomic.ts: never a partial file, whatever happens to the run. */
  writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
    return writeFileAtomic(file, data);
  }

  private async removeTempFiles(): Promise<void> {
    for (const sub of ['', 'snapshots', 'drift', 'binder', 'failures', 'hooks', ...(this.git ? ['config'] : [])]) {
      for (const n of await readdir(this.path(sub)).catch(() => [] as string[])) if (TEMP_FILE.test(n)) await rm(this.path(sub, n), { force: true });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}


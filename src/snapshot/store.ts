/**
 * The snapshot store: a plain directory, so it can live on a file share, be
 * backed up with everything else and (with --git) be pushed somewhere.
 *
 *   DIR/snapshots/<harvestedAt compact>-<snapshotId>.json   canonical snapshots
 *   DIR/known-good                                          id of the accepted snapshot
 *   DIR/drift/<snapshotId>.json, .md                        drift vs the known good
 *   DIR/binder/latest.md, latest.pdf                        last rendered binder
 *   DIR/failures/<time>.json                                failed runs (no secrets)
 *   DIR/last-run.json                                       outcome of the last run
 *   DIR/store.lock                                          held while a run writes
 *
 * Every file is written atomically (temp file in the same directory, fsync,
 * rename), so a crash leaves the previous state, never a partial file.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExbinderError } from '../errors.js';
import { TEMP_FILE, writeFileAtomic } from './atomic.js';
import { serialize, snapshotId } from './canonical.js';
import { DriftReport } from './drift.js';
import { loadSnapshot } from './migrate.js';
import type { Snapshot } from './model.js';

const run = promisify(execFile);

export interface StoreOptions {
  /** commit every snapshot and drift report into a git repository in the store (implied when DIR/.git exists) */
  git?: boolean;
  /** only read (history, diff): do not create the layout; a missing store is an error */
  readOnly?: boolean;
}

export interface LockOptions {
  /** remove a lock left by a run that is gone (or any lock: the user said so) */
  breakLock?: boolean;
  /** a lock older than this is stale even if its pid looks alive (pid reuse, other host); default 12 */
  staleAfterHours?: number;
}

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
  snapshotId: string | null;
  critical: number;
  info: number;
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

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
      for (const sub of ['snapshots', 'drift', 'binder', 'failures']) await mkdir(join(dir, sub), { recursive: true });
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

  /** Takes store.lock (O_EXCL); returns the function that releases it. */
  async lock(options: LockOptions = {}): Promise<() => Promise<void>> {
    const file = this.path('store.lock');
    const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
        try {
          await fh.writeFile(JSON.stringify(mine) + '\n');
          await fh.sync();
        } finally {
          await fh.close();
        }
        // only the lock holder may clean up: a reader must not delete a running job's temp file
        await this.removeTempFiles();
        return async () => {
          await rm(file, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await this.readLock(file);
      const why = staleReason(holder, options.staleAfterHours ?? 12);
      if (options.breakLock && attempt === 0) {
        await rm(file, { force: true });
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host} started ${holder.startedAt}` : 'an unreadable lock file';
      if (why) {
        throw new ExbinderError(`store is locked by ${who}; ${why}: remove ${file} or pass --break-lock`, 'store-locked-stale');
      }
      throw new ExbinderError(
        `store is locked by ${who}: another exbinder run is writing to ${this.dir}; wait for it, or pass --break-lock if it is not running`,
        'store-locked',
      );
    }
    throw new ExbinderError(`cannot take the lock ${file}: another run took it at the same moment; try again`, 'store-locked');
  }

  private async readLock(file: string): Promise<LockContent | null> {
    try {
      const o = JSON.parse(await readFile(file, 'utf8')) as Partial<LockContent>;
      if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string') {
        return { pid: o.pid, host: o.host, startedAt: o.startedAt };
      }
    } catch {
      // a run that died while writing the lock leaves it empty: that is stale too
    }
    return null;
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

  async setKnownGood(id: string): Promise<void> {
    await this.writeAtomic(this.path('known-good'), `${id}\n`);
  }

  // ------------------------------------------------ reports and runs

  async writeDrift(report: DriftReport, markdown: string): Promise<{ json: string; md: string }> {
    const json = this.path('drift', `${report.current.id}.json`);
    const md = this.path('drift', `${report.current.id}.md`);
    await this.writeAtomic(json, JSON.stringify(report, null, 2) + '\n');
    await this.writeAtomic(md, markdown);
    return { json, md };
  }

  async readDrift(id: string): Promise<DriftReport | null> {
    try {
      return DriftReport.parse(JSON.parse(await readFile(this.path('drift', `${id}.json`), 'utf8')));
    } catch {
      return null;
    }
  }

  async writeBinder(markdown: string, pdf: Uint8Array): Promise<{ md: string; pdf: string }> {
    const md = this.path('binder', 'latest.md');
    const pdfPath = this.path('binder', 'latest.pdf');
    await this.writeAtomic(pdfPath, pdf);
    await this.writeAtomic(md, markdown);
    return { md, pdf: pdfPath };
  }

  async writeFailure(record: FailureRecord): Promise<string> {
    const base = compactTime(record.at);
    // two failures in the same second must not overwrite each other
    const file = this.path('failures', `${base}-${randomBytes(3).toString('hex')}.json`);
    await this.writeAtomic(file, JSON.stringify(record, null, 2) + '\n');
    return file;
  }

  async writeLastRun(last: LastRun): Promise<void> {
    await this.writeAtomic(this.path('last-run.json'), JSON.stringify(last, null, 2) + '\n');
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

  /** Commits everything in the store (no-op without --git or when nothing changed). */
  async commit(message: string): Promise<boolean> {
    if (!this.git) return false;
    await this.gitRun(['add', '-A', '.']);
    const { stdout } = await this.gitRun(['status', '--porcelain']);
    if (!stdout.trim()) return false;
    await this.gitRun(['commit', '-q', '--no-verify', '--author', 'exbinder <exbinder@localhost>', '-m', message]);
    return true;
  }

  private async gitInit(): Promise<void> {
    try {
      await stat(this.path('.git'));
    } catch {
      await this.gitRun(['init', '-q']);
    }
    // the lock and temp files are run state, not history
    await this.writeAtomic(this.path('.gitignore'), 'store.lock\n.*.tmp\n');
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
    for (const sub of ['', 'snapshots', 'drift', 'binder', 'failures']) {
      for (const n of await readdir(this.path(sub))) if (TEMP_FILE.test(n)) await rm(this.path(sub, n), { force: true });
    }
  }
}

/** Why a lock is stale, or null while its run may still be going. */
function staleReason(holder: LockContent | null, staleAfterHours: number): string | null {
  if (!holder) return 'the lock file is empty or unreadable (a run died while taking it)';
  if (holder.host === hostname() && !pidAlive(holder.pid)) return 'that process is gone';
  const ageMs = Date.now() - new Date(holder.startedAt).getTime();
  if (ageMs > staleAfterHours * 3600_000) return `it is older than ${staleAfterHours} hours`;
  return null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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


/**
 * The scheduled job: harvest, keep, compare with the known good, render the
 * binder, report drift. Built for cron/systemd/Task Scheduler: one run, one
 * exit code (0 no critical drift, 1 critical drift, 2 failure), and a failed
 * run changes nothing in the store but a failure record.
 *
 * Everything that can fail (harvest, diff, render) runs in memory before the
 * first write, so a run never leaves half of its output behind.
 */
import { ExbinderError } from '../errors.js';
import { snapshotId } from '../snapshot/canonical.js';
import { diffSnapshots } from '../snapshot/diff.js';
import { driftExitCode, formatDriftMarkdown, summaryLine } from '../snapshot/diff-format.js';
import type { DriftReport } from '../snapshot/drift.js';
import type { Snapshot } from '../snapshot/model.js';
import { SnapshotStore } from '../snapshot/store.js';

export type HarvestFn = () => Promise<Snapshot>;
/** drift is null when the store has no known good snapshot yet */
export type RenderFn = (snapshot: Snapshot, drift: DriftReport | null) => Promise<{ markdown: string; pdf: Buffer }>;

export interface SnapshotJobOptions {
  /** store directory */
  store: string;
  harvestFn: HarvestFn;
  renderFn: RenderFn;
  /** make this run's snapshot the known good one */
  accept?: boolean;
  /** retention: keep this many snapshots (default: keep all) */
  keep?: number;
  git?: boolean;
  breakLock?: boolean;
  staleLockHours?: number;
  /** strings that must never reach the failure record (the bind password) */
  secrets?: readonly string[];
  /** clock, for failure records */
  now?: () => Date;
}

export interface SnapshotJobResult {
  exitCode: 0 | 1 | 2;
  /** lines for the terminal / the job log, in order */
  messages: string[];
  snapshotId: string | null;
  drift: DriftReport | null;
  /** drift report files of this run, when one was written */
  driftFiles: { json: string; md: string } | null;
}

/**
 * Runs the job once. Throws ExbinderError only when the store itself cannot
 * be opened or is locked; every harvest/render failure is a result with
 * exitCode 2 and a failure record.
 */
export async function runSnapshotJob(opts: SnapshotJobOptions): Promise<SnapshotJobResult> {
  const now = opts.now ?? (() => new Date());
  const store = await SnapshotStore.open(opts.store, { git: opts.git ?? false });
  const unlock = await store.lock({ breakLock: opts.breakLock ?? false, staleAfterHours: opts.staleLockHours ?? 12 });
  let stage = 'store';
  try {
    const goodId = await store.knownGood();
    const baseline = goodId ? await store.read(goodId) : null;
    stage = 'harvest';
    const snapshot = await opts.harvestFn();
    stage = 'diff';
    const id = snapshotId(snapshot);
    const drift = baseline ? diffSnapshots(baseline, snapshot) : null;
    stage = 'render';
    const binder = await opts.renderFn(snapshot, drift);

    stage = 'store';
    const messages: string[] = [];
    const written = await store.writeSnapshot(snapshot);
    messages.push(
      written.written
        ? `snapshot ${id} stored: ${written.file}`
        : `snapshot ${id} unchanged since ${written.file}; not stored again`,
    );
    const files = await store.writeBinder(binder.markdown, binder.pdf);
    messages.push(`binder: ${files.md}, ${files.pdf}`);
    let driftFiles: SnapshotJobResult['driftFiles'] = null;
    if (drift) {
      const markdown = formatDriftMarkdown(drift);
      // drift/<id> is the report made when the snapshot was new (its history entry);
      // drift/latest is this run's, for the scheduler to mail
      if (written.written) driftFiles = await store.writeDrift(drift, markdown);
      const latest = await writeLatestDrift(store, drift, markdown);
      driftFiles ??= latest;
      messages.push(summaryLine(drift));
      if (drift.changes.length) messages.push(`drift report: ${driftFiles.md}`);
    } else if (!opts.accept) {
      messages.push(`no known good snapshot yet: review ${files.pdf}, then accept this snapshot with 'exbinder accept --store ${opts.store}'`);
    }
    if (opts.accept) {
      await store.setKnownGood(id);
      messages.push(`snapshot ${id} is now the known good snapshot`);
    } else if (drift && drift.critical > 0) {
      messages.push(`if these changes are intended, accept them with 'exbinder accept --store ${opts.store}'`);
    }
    if (opts.keep !== undefined) {
      const removed = await store.prune(opts.keep);
      if (removed.length) messages.push(`retention: removed ${removed.length} old snapshot${removed.length === 1 ? '' : 's'}`);
    }
    const exitCode = drift ? driftExitCode(drift) : 0;
    await store.writeLastRun({ at: now().toISOString(), exitCode, snapshotId: id, critical: drift?.critical ?? 0, info: drift?.info ?? 0 });
    if (await store.commit(commitMessage(id, snapshot, drift, opts.accept ?? false))) messages.push('committed to the store git repository');
    return { exitCode, messages, snapshotId: id, drift, driftFiles };
  } catch (e) {
    return await recordFailure(store, stage, e, opts.secrets ?? [], now());
  } finally {
    await unlock();
  }
}

async function writeLatestDrift(store: SnapshotStore, drift: DriftReport, markdown: string) {
  const json = store.path('drift', 'latest.json');
  const md = store.path('drift', 'latest.md');
  await store.writeAtomic(json, JSON.stringify(drift, null, 2) + '\n');
  await store.writeAtomic(md, markdown);
  return { json, md };
}

function commitMessage(id: string, s: Snapshot, drift: DriftReport | null, accepted: boolean): string {
  const what = drift ? `${drift.critical} critical, ${drift.info} info vs ${drift.baseline.id}` : 'no known good';
  return `snapshot ${id} harvested ${s.metadata.harvestedAt}: ${what}${accepted ? ' (accepted)' : ''}`;
}

async function recordFailure(
  store: SnapshotStore,
  stage: string,
  e: unknown,
  secrets: readonly string[],
  at: Date,
): Promise<SnapshotJobResult> {
  const code = e instanceof ExbinderError ? e.code : 'unexpected';
  let message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  for (const s of secrets) if (s) message = message.split(s).join('***');
  const line = `${stage} failed: ${message}`;
  const messages = [line];
  try {
    const file = await store.writeFailure({ at: at.toISOString(), stage, code, message });
    await store.writeLastRun({ at: at.toISOString(), exitCode: 2, snapshotId: null, critical: 0, info: 0 });
    messages.push(`failure recorded in ${file}; the known good snapshot and the latest binder are unchanged`);
  } catch (w) {
    messages.push(`could not record the failure in ${store.dir}: ${(w as Error).message}`);
  }
  return { exitCode: 2, messages, snapshotId: null, drift: null, driftFiles: null };
}

// ------------------------------------------------------- accept, history

export interface AcceptResult {
  id: string;
  harvestedAt: string;
  previous: string | null;
}

/** Makes snapshot `id` (default: the newest) the known good one. */
export async function acceptSnapshot(
  storeDir: string,
  id?: string,
  options: { git?: boolean; breakLock?: boolean } = {},
): Promise<AcceptResult> {
  const store = await SnapshotStore.open(storeDir, { git: options.git ?? false });
  const unlock = await store.lock({ breakLock: options.breakLock ?? false });
  try {
    const target = id ? await store.find(id) : (await store.list()).at(-1);
    if (!target) {
      throw new ExbinderError(`the store ${storeDir} holds no snapshot yet: run 'exbinder snapshot --store ${storeDir}' first`, 'store-empty');
    }
    await store.read(target.id); // refuse to accept a file that no longer reads as a snapshot
    const previous = await store.knownGood();
    await store.setKnownGood(target.id);
    await store.commit(`accept ${target.id} (harvested ${target.harvestedAt}) as known good`);
    return { id: target.id, harvestedAt: target.harvestedAt, previous };
  } finally {
    await unlock();
  }
}

export interface HistoryEntry {
  id: string;
  harvestedAt: string;
  /** the known good this snapshot was compared with when it was taken; null if there was none */
  comparedWith: string | null;
  /** critical/info counts against that known good; null when there was none */
  critical: number | null;
  info: number | null;
  knownGood: boolean;
  file: string;
}

/** Stored snapshots, oldest first, with their drift counts. Read-only: takes no lock. */
export async function listHistory(storeDir: string): Promise<HistoryEntry[]> {
  const store = await SnapshotStore.open(storeDir, { readOnly: true });
  const good = await store.knownGood();
  const out: HistoryEntry[] = [];
  for (const s of await store.list()) {
    const drift = await store.readDrift(s.id);
    out.push({
      id: s.id,
      harvestedAt: s.harvestedAt,
      comparedWith: drift?.baseline.id ?? null,
      critical: drift?.critical ?? null,
      info: drift?.info ?? null,
      knownGood: s.id === good,
      file: s.file,
    });
  }
  return out;
}

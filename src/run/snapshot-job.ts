/**
 * The scheduled job: harvest, keep, compare with the known good, render the
 * binder, report drift and warnings, fire hooks. Built for cron/systemd/Task
 * Scheduler: one run, one exit code (0 fine, 1 critical drift, 2 failure,
 * 3 harvest warnings with failOnWarning), and a failed or refused run changes
 * nothing in the store but a failure record.
 *
 * Everything that can fail (harvest, diff, render) runs in memory before the
 * first write, so a run never leaves half of its output behind. The store
 * (src/snapshot/store.ts) owns every path; this module only asks it to write.
 */
import { ExbinderError } from '../errors.js';
import { snapshotId } from '../snapshot/canonical.js';
import { diffSnapshots } from '../snapshot/diff.js';
import { attributeSpelling, FIELD_ATTRIBUTES } from '../harvest/registry.js';
import { driftExitCode } from '../snapshot/drift.js';
import { formatDriftMarkdown, summaryLine, warningLine } from '../render/drift.js';
import { compareWarnings, warningKey, type DriftReport } from '../snapshot/drift.js';
import type { Snapshot, Warning } from '../snapshot/model.js';
import { SnapshotStore, type LastRun, type Release } from '../snapshot/store.js';
import { faultPoint } from '../fault.js';
import { onInterrupt } from './interrupt.js';
import { dueHooks, hookEnv, hookLog, hookSubject, runHook, type HookEnv, type HookEvent, type HooksConfig } from './hooks.js';

export type HarvestFn = () => Promise<Snapshot>;
/** drift is null when the store has no known good snapshot yet */
/** appendix: the appendices as files of their own (--appendix separate) */
export type RenderFn = (snapshot: Snapshot, drift: DriftReport | null) => Promise<{ markdown: string; pdf: Buffer; appendix?: { markdown: string; pdf: Buffer } }>;

export type ExitCode = 0 | 1 | 2 | 3;

/** How bad an exit code is, for `--all` ("the worst of them"): failure > drift > warnings > fine. */
export const EXIT_RANK: Record<ExitCode, number> = { 0: 0, 3: 1, 1: 2, 2: 3 };

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
  /** exit 3 when the harvest raised warnings new since the known good ('new') or any ('any') */
  failOnWarning?: 'new' | 'any';
  hooks?: HooksConfig;
  /** working directory of hooks (the config file's folder) */
  hooksDir?: string;
  /** clock, for records and hook state */
  now?: () => Date;
  /** lines for -v, as they happen */
  onLog?: (line: string) => void;
}

export interface SnapshotJobResult {
  exitCode: ExitCode;
  /** lines for the terminal / the job log, in order */
  messages: string[];
  snapshotId: string | null;
  drift: DriftReport | null;
  /** drift report files of this run, when one was written */
  driftFiles: { json: string; md: string } | null;
  /** the record written to last-run.json (also the `snapshot --json` output) */
  lastRun: LastRun;
}

const NO_WARNINGS = { new: [] as Warning[], known: [] as Warning[] };

/**
 * Runs the job once. Throws ExbinderError only when the store itself cannot
 * be opened; a locked store, a foreign organization and every harvest/render
 * failure are results with exitCode 2, a failure record and the failure hook.
 * SIGINT/SIGTERM (see interrupt.ts) record a failure and release the lock.
 */
export async function runSnapshotJob(opts: SnapshotJobOptions): Promise<SnapshotJobResult> {
  const now = opts.now ?? (() => new Date());
  const store = await SnapshotStore.open(opts.store, { git: opts.git ?? false });
  const lockLog: string[] = [];
  let unlock: Release;
  try {
    unlock = await store.lock({
      breakLock: opts.breakLock ?? false,
      staleAfterHours: opts.staleLockHours ?? 12,
      log: (line) => {
        lockLog.push(line);
        opts.onLog?.(line);
      },
      command: 'exbinder snapshot',
    });
  } catch (e) {
    // a refused run is a failure too: without its record the scheduler would mail the previous, stale one
    return await recordFailure(store, opts, 'lock', e, null, now(), { lastRun: false });
  }
  let stage = 'store';
  let org: LastRun['organization'] = null;
  let interrupted = false;
  let finished = false;
  const offInterrupt = onInterrupt(async (signal) => {
    interrupted = true;
    // stopped while releasing the lock: the run itself is complete, nothing to record
    if (!finished) await recordFailure(store, opts, stage, new ExbinderError(`stopped by ${signal}`, 'interrupted'), org, now(), { lastRun: true });
    await unlock();
  });
  try {
    await faultPoint('job locked');
    const goodId = await store.knownGood();
    const stored = goodId ? await store.read(goodId) : null;
    // warnings are compared with those accepted, not with the stored file's first harvest
    const accepted = stored ? await store.knownGoodWarnings() : null;
    const baseline = stored && accepted ? { ...stored, metadata: { ...stored.metadata, warnings: accepted } } : stored;
    stage = 'harvest';
    const snapshot = await opts.harvestFn();
    org = { name: snapshot.organization.name, guid: snapshot.organization.guid };
    stage = 'organization';
    await store.bindOrganization(snapshot, now().toISOString());
    stage = 'diff';
    const id = snapshotId(snapshot);
    const drift = baseline ? diffSnapshots(baseline, snapshot, FIELD_ATTRIBUTES) : null;
    const warnings = baseline ? compareWarnings(baseline.metadata.warnings, snapshot.metadata.warnings) : { new: snapshot.metadata.warnings, known: [] };
    stage = 'render';
    await faultPoint('job render');
    const binder = await opts.renderFn(snapshot, drift);

    stage = 'store';
    const messages: string[] = [...lockLog];
    const log = (l: string) => {
      messages.push(l);
      opts.onLog?.(l);
    };
    // Order matters: every step must be completed by the next run if this one
    // dies after it. The snapshot's own drift record (drift/<id>, its history
    // entry) goes before the snapshot: a rerun of an unchanged directory finds
    // the snapshot stored and would never write it. A record missing for the
    // newest snapshot (a crash in an older version) is written now; a snapshot
    // that is itself the known good was taken without one and has none.
    const newest = (await store.list()).at(-1);
    const isNew = !newest || newest.id !== id;
    const markdown = drift ? formatDriftMarkdown(drift, { attributeSpelling }) : '';
    let own: { json: string; md: string } | null = null;
    let completed = false;
    if (drift && (isNew || (id !== goodId && !(await store.hasDrift(id))))) {
      own = await store.writeDrift(drift, markdown);
      completed = !isNew;
      await faultPoint('job drift written');
    }
    const written = await store.writeSnapshot(snapshot);
    log(written.written ? `snapshot ${id} stored: ${written.file}` : `snapshot ${id} unchanged since ${written.file}; not stored again`);
    if (completed) log(`drift record of snapshot ${id} completed (an interrupted run had not written it)`);
    await faultPoint('job snapshot written');
    const files = await store.writeBinder(binder.markdown, binder.pdf, binder.appendix);
    log(`binder: ${files.md}, ${files.pdf}`);
    await store.writeConfigTree(snapshot);
    let driftFiles: SnapshotJobResult['driftFiles'] = null;
    let latestDrift: { json: string; md: string } | null = null;
    if (drift) {
      // drift/latest is this run's report, for the scheduler to mail
      latestDrift = await store.writeLatestDrift(drift, markdown);
      driftFiles = own ?? latestDrift;
      log(`${org.name}: ${summaryLine(drift)}`);
      if (drift.changes.length) log(`drift report: ${driftFiles.md}`);
    } else {
      await store.removeLatestDrift();
      if (!opts.accept) log(`no known good snapshot yet: review ${files.pdf}, then accept this snapshot with 'exbinder accept --store ${opts.store}'`);
    }
    for (const w of warnings.new) log(`warning (new): ${w.code}: ${w.message}`);
    for (const w of warnings.known) log(`warning (known): ${w.code}: ${w.message}`);
    const wl = drift ? warningLine(drift) : null;
    if (wl) log(wl);
    let knownGood = goodId;
    if (opts.accept) {
      await store.setKnownGood(id, snapshot.metadata.warnings);
      knownGood = id;
      log(`snapshot ${id} is now the known good snapshot`);
    } else if (drift && drift.critical > 0) {
      log(`if these changes are intended, accept them with 'exbinder accept --store ${opts.store}'`);
    }
    if (opts.keep !== undefined) {
      const removed = await store.prune(opts.keep);
      if (removed.length) log(`retention: removed ${removed.length} old snapshot${removed.length === 1 ? '' : 's'}`);
    }
    const at = now().toISOString();
    if (await store.commit(commitMessage(id, snapshot, drift, opts.accept ?? false))) log('committed to the store git repository');
    if (opts.accept && goodId !== id) {
      const tag = await store.tagAccepted(id, at);
      if (tag) log(`tagged ${tag}`);
    }

    let exitCode: ExitCode = drift ? driftExitCode(drift) : 0;
    const warned = opts.failOnWarning === 'any' ? snapshot.metadata.warnings.length > 0 : opts.failOnWarning === 'new' ? warnings.new.length > 0 : false;
    if (exitCode === 0 && warned) exitCode = 3;
    const lastRun: LastRun = {
      at,
      exitCode,
      organization: org,
      snapshotId: id,
      knownGood,
      critical: drift?.critical ?? 0,
      info: drift?.info ?? 0,
      warnings: { new: warnings.new, known: warnings.known },
      files: { driftMd: latestDrift?.md ?? null, driftJson: latestDrift?.json ?? null, binderPdf: files.pdf, binderMd: files.md, failure: null },
      hooks: [],
    };
    await faultPoint('job before last-run');
    const lastRunFile = await store.writeLastRun(lastRun);

    // hooks: after everything is written, so what they read is this run's
    if (opts.hooks) {
      const env: Partial<HookEnv> = {
        EXBINDER_STORE: store.dir,
        EXBINDER_ORG: org.name,
        EXBINDER_ORG_GUID: org.guid,
        EXBINDER_SNAPSHOT_ID: id,
        EXBINDER_KNOWN_GOOD_ID: knownGood ?? '',
        EXBINDER_PREVIOUS_KNOWN_GOOD_ID: goodId ?? '',
        EXBINDER_CRITICAL: String(lastRun.critical),
        EXBINDER_INFO: String(lastRun.info),
        EXBINDER_WARNINGS: String(snapshot.metadata.warnings.length),
        EXBINDER_WARNINGS_NEW: String(warnings.new.length),
        EXBINDER_DRIFT_MD: latestDrift?.md ?? '',
        EXBINDER_DRIFT_JSON: latestDrift?.json ?? '',
        EXBINDER_BINDER_PDF: files.pdf,
        EXBINDER_BINDER_MD: files.md,
        EXBINDER_LAST_RUN: lastRunFile,
        EXBINDER_EXIT_CODE: String(exitCode),
      };
      const state = await store.readHookState();
      const { due, next } = dueHooks(state, { critical: lastRun.critical, knownGood: goodId, snapshotId: id, newWarnings: warnings.new.map(warningKey) }, opts.hooks.repeat ?? 'change', at);
      const events: { event: HookEvent; key?: string }[] = [...due];
      if (opts.accept && goodId !== id) events.push({ event: 'accept' });
      for (const { event, key } of events) {
        const subject = hookSubject(event, org.name, { critical: lastRun.critical, warningsNew: warnings.new.length, id });
        const r = await fireHook(store, opts, event, { ...env, EXBINDER_SUBJECT: subject }, log);
        if (r) lastRun.hooks.push(r);
        if (key !== undefined && r && r.exitCode === 0) next[event] = { key, firedAt: at };
        else if (key !== undefined && !r) next[event] = { key, firedAt: at }; // no command configured for it
      }
      await store.writeHookState(next);
      if (lastRun.hooks.length) await store.writeLastRun(lastRun);
    }
    return { exitCode, messages, snapshotId: id, drift, driftFiles, lastRun };
  } catch (e) {
    // after a signal the handler records the failure; a write it cut short must not add a second record
    if (interrupted) return { exitCode: 2, messages: [`${stage} stopped by a signal`], snapshotId: null, drift: null, driftFiles: null, lastRun: failedRun(now(), org, null) };
    const failed = await recordFailure(store, opts, stage, e, org, now(), { lastRun: true });
    return { ...failed, messages: [...failed.messages, ...lockLog] };
  } finally {
    finished = true;
    await unlock();
    offInterrupt();
  }
}

/** Runs the hook configured for `event` (if any), logs its output in the store. */
async function fireHook(
  store: SnapshotStore,
  opts: { hooks?: HooksConfig; hooksDir?: string; now?: () => Date },
  event: HookEvent,
  values: Partial<HookEnv>,
  log: (line: string) => void,
): Promise<LastRun['hooks'][number] | null> {
  const command = opts.hooks?.[event];
  if (!command) return null;
  const r = await runHook(event, command, hookEnv({ ...values, EXBINDER_EVENT: event }), (opts.hooks?.timeout ?? 60) * 1000, opts.hooksDir);
  const file = await store.writeHookLog(event, hookLog(r, command, (opts.now ?? (() => new Date()))().toISOString()));
  if (r.timedOut) log(`hook ${event} killed after ${opts.hooks?.timeout ?? 60} s; its output is in ${file}`);
  else if (r.exitCode !== 0) log(`hook ${event} failed (${r.exitCode === null ? 'did not start' : `exit ${r.exitCode}`}); its output is in ${file}`);
  else log(`hook ${event} ran (${r.durationMs} ms); its output is in ${file}`);
  return { event, exitCode: r.exitCode, timedOut: r.timedOut, log: file };
}

function commitMessage(id: string, s: Snapshot, drift: DriftReport | null, accepted: boolean): string {
  const what = drift ? `${drift.critical} critical, ${drift.info} info vs ${drift.baseline.id}` : 'no known good';
  return `${s.organization.name}: snapshot ${id} harvested ${s.metadata.harvestedAt}: ${what}${accepted ? ' (accepted)' : ''}`;
}

function failedRun(at: Date, org: LastRun['organization'], failure: string | null): LastRun {
  return {
    at: at.toISOString(),
    exitCode: 2,
    organization: org,
    snapshotId: null,
    knownGood: null,
    critical: 0,
    info: 0,
    warnings: NO_WARNINGS,
    files: { driftMd: null, driftJson: null, binderPdf: null, binderMd: null, failure },
    hooks: [],
  };
}

async function recordFailure(
  store: SnapshotStore,
  opts: SnapshotJobOptions,
  stage: string,
  e: unknown,
  org: LastRun['organization'],
  at: Date,
  o: { lastRun: boolean },
): Promise<SnapshotJobResult> {
  const code = e instanceof ExbinderError ? e.code : 'unexpected';
  let message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  const messages = [stage === 'lock' || stage === 'organization' ? message : `${stage} failed: ${message}`];
  const lastRun = failedRun(at, org, null);
  try {
    const file = await store.writeFailure({ at: at.toISOString(), stage, code, message });
    lastRun.files.failure = file;
    lastRun.knownGood = await store.knownGood().catch(() => null);
    // a refused run does not hold the lock: last-run.json belongs to the run that does
    let lastRunFile = '';
    if (o.lastRun) lastRunFile = await store.writeLastRun(lastRun);
    messages.push(
      stage === 'store'
        ? `failure recorded in ${file}; the known good snapshot is unchanged and the next run completes what this one left`
        : `failure recorded in ${file}; the known good snapshot and the latest binder are unchanged`,
    );
    if (opts.hooks?.failure) {
      const r = await fireHook(
        store,
        opts,
        'failure',
        {
          EXBINDER_SUBJECT: hookSubject('failure', org?.name ?? (await store.organization().catch(() => null))?.name ?? null, { stage }),
          EXBINDER_STORE: store.dir,
          EXBINDER_ORG: org?.name ?? '',
          EXBINDER_ORG_GUID: org?.guid ?? '',
          EXBINDER_KNOWN_GOOD_ID: lastRun.knownGood ?? '',
          EXBINDER_LAST_RUN: lastRunFile,
          EXBINDER_FAILURE_FILE: file,
          EXBINDER_FAILURE_STAGE: stage,
          EXBINDER_FAILURE_CODE: code,
          EXBINDER_FAILURE_MESSAGE: message,
          EXBINDER_EXIT_CODE: '2',
        },
        (l) => messages.push(l),
      );
      if (r) lastRun.hooks.push(r);
      if (r && o.lastRun) await store.writeLastRun(lastRun);
    }
  } catch (w) {
    messages.push(`could not record the failure in ${store.dir}: ${(w as Error).message}`);
  }
  return { exitCode: 2, messages, snapshotId: null, drift: null, driftFiles: null, lastRun };
}

// ------------------------------------------------------- accept, history

export interface AcceptResult {
  id: string;
  harvestedAt: string;
  previous: string | null;
  /** git tag of the accepted state, when the store is a git repository */
  tag: string | null;
  hooks: LastRun['hooks'];
}

/** Snapshot ids are 16 hex digits; a prefix shorter than this could pick the wrong one as the store grows. */
export const MIN_ID_PREFIX = 6;

/** Makes snapshot `id` (default: the newest) the known good one. */
export async function acceptSnapshot(
  storeDir: string,
  id?: string,
  options: { git?: boolean; breakLock?: boolean; hooks?: HooksConfig; hooksDir?: string; now?: () => Date; log?: (line: string) => void } = {},
): Promise<AcceptResult> {
  if (id !== undefined && !new RegExp(`^[0-9a-f]{${MIN_ID_PREFIX},16}$`, 'i').test(id)) {
    throw new ExbinderError(
      `snapshot id '${id}' is too short or not hexadecimal: give at least ${MIN_ID_PREFIX} characters of an id from 'exbinder history --store ${storeDir}'`,
      'snapshot-id',
    );
  }
  const now = options.now ?? (() => new Date());
  const store = await SnapshotStore.open(storeDir, { git: options.git ?? false });
  const unlock = await store.lock({ breakLock: options.breakLock ?? false, log: options.log, command: 'exbinder accept' });
  const offInterrupt = onInterrupt(() => unlock());
  try {
    const target = id ? await store.find(id) : (await store.list()).at(-1);
    if (!target) {
      throw new ExbinderError(`the store ${storeDir} holds no snapshot yet: run 'exbinder snapshot --store ${storeDir}' first`, 'store-empty');
    }
    const snapshot = await store.read(target.id); // refuse to accept a file that no longer reads as a snapshot
    const previous = await store.knownGood();
    // the warnings of the newest harvest of it: an unchanged directory keeps its first file
    const last = await store.readLastRun();
    const warnings = last?.snapshotId === target.id && last.warnings ? [...last.warnings.new, ...last.warnings.known] : snapshot.metadata.warnings;
    await store.setKnownGood(target.id, warnings);
    await store.commit(`${snapshot.organization.name}: accept ${target.id} (harvested ${target.harvestedAt}) as known good`);
    const tag = previous === target.id ? null : await store.tagAccepted(target.id, now().toISOString());
    const hooks: LastRun['hooks'] = [];
    if (options.hooks?.accept && previous !== target.id) {
      const r = await fireHook(
        store,
        { hooks: options.hooks, hooksDir: options.hooksDir, now },
        'accept',
        {
          EXBINDER_SUBJECT: hookSubject('accept', snapshot.organization.name, { id: target.id }),
          EXBINDER_STORE: store.dir,
          EXBINDER_ORG: snapshot.organization.name,
          EXBINDER_ORG_GUID: snapshot.organization.guid,
          EXBINDER_SNAPSHOT_ID: target.id,
          EXBINDER_KNOWN_GOOD_ID: target.id,
          EXBINDER_PREVIOUS_KNOWN_GOOD_ID: previous ?? '',
          EXBINDER_EXIT_CODE: '0',
        },
        () => undefined,
      );
      if (r) hooks.push(r);
    }
    // the drift against the old known good is settled: a drift hook fires again for the next change
    const state = await store.readHookState();
    if (state['drift']) {
      delete state['drift'];
      await store.writeHookState(state);
    }
    return { id: target.id, harvestedAt: target.harvestedAt, previous, tag, hooks };
  } finally {
    await unlock();
    offInterrupt();
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
  /** harvest warnings new since that known good; null when unknown */
  warningsNew: number | null;
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
      warningsNew: drift?.warnings?.new.length ?? null,
      knownGood: s.id === good,
      file: s.file,
    });
  }
  return out;
}

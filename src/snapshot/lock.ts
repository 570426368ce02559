/**
 * The store lock: one writer at a time.
 *
 * - Taken with O_EXCL; the file holds pid, host, start time and a random
 *   token. Release removes the file only while it still holds our token, so
 *   a run whose lock was broken can never delete the next holder's lock.
 * - A holder that is provably dead (same host, and its pid is gone or now
 *   belongs to a process started later) is taken over without asking; the
 *   caller logs the line we hand back.
 * - A live holder is never broken, not even with breakLock. breakLock only
 *   removes a lock we cannot prove alive or dead: one from another host, or
 *   an empty/unreadable lock file.
 */
import { randomBytes } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ExbinderError } from '../errors.js';
import { writeError } from './atomic.js';

export interface LockOptions {
  /** remove a lock whose holder cannot be checked (other host, unreadable lock file); never a live one */
  breakLock?: boolean;
  /** a lock from another host older than this is called stale in the message; default 12 */
  staleAfterHours?: number;
  /** where takeovers of a dead holder's lock are reported */
  log?: (line: string) => void;
  /** the command that has the break option, for messages ('exbinder snapshot') */
  command?: string;
}

export interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
  /** random, per run: only its owner releases the lock */
  token: string;
  /** Linux: the holder's start time in clock ticks since boot (/proc/PID/stat field 22), against pid reuse */
  procStart?: string;
}

export type Release = () => Promise<void>;

/** Takes the lock at `file`; resolves to the function that releases it (only while it is still ours). */
export async function takeLock(file: string, options: LockOptions = {}): Promise<Release> {
  const mine: LockContent = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  const start = procStart(process.pid);
  if (start) mine.procStart = start;
  const breakWith = `pass --break-lock${options.command ? ` to ${options.command}` : ''}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(file, mine)) return () => releaseLock(file, mine.token);
    const raw = await readRaw(file);
    if (raw === null) continue; // released between our create and our read: try again
    const holder = parseLock(raw);
    const who = holder ? `pid ${holder.pid} on ${holder.host} started ${holder.startedAt}` : 'an unreadable lock file';
    let state = holderState(holder);
    // a lock file nobody finished writing for a minute: its run died between create and write
    if (!holder && (await ageMs(file)) > 60_000) state = 'dead';
    if (state === 'alive') {
      throw new ExbinderError(
        `store is locked by ${who}: another exbinder run is writing there; wait for it to finish` +
          (options.breakLock ? ' (--break-lock never breaks a running holder: stop that process first)' : ''),
        'store-locked',
      );
    }
    if (state === 'dead' || options.breakLock) {
      if (await removeIfUnchanged(file, raw)) {
        options.log?.(
          state === 'dead'
            ? `took over the store lock of ${who}: that process is gone`
            : `broke the store lock of ${who} as asked (--break-lock)`,
        );
      }
      continue;
    }
    // unknown: another host, or an unreadable file (a run died while taking it)
    const age = holder ? Date.now() - new Date(holder.startedAt).getTime() : Number.NaN;
    const hours = options.staleAfterHours ?? 12;
    const why = !holder
      ? 'the lock file is empty or unreadable (a run died while taking it)'
      : age > hours * 3600_000
        ? `it is older than ${hours} hours and its host cannot be checked from here`
        : `its host cannot be checked from here`;
    throw new ExbinderError(
      `store is locked by ${who}; ${why}: if no exbinder run is going on ${holder?.host ?? 'any host'}, remove ${file} or ${breakWith}`,
      'store-locked-stale',
    );
  }
  throw new ExbinderError(`cannot take the lock ${file}: other runs keep taking it at the same moment; try again`, 'store-locked');
}

async function create(file: string, content: LockContent): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeError(file, e);
  }
  try {
    await fh.writeFile(JSON.stringify(content) + '\n');
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(file, { force: true });
    throw writeError(file, e);
  }
  await fh.close();
  return true;
}

async function releaseLock(file: string, token: string): Promise<void> {
  const raw = await readRaw(file);
  if (raw === null) return;
  if (parseLock(raw)?.token !== token) return; // not ours any more: someone broke it and holds it now
  await removeIfUnchanged(file, raw);
}

/**
 * Removes the lock only if it still holds `raw`: moved aside first (atomic),
 * then checked; a lock another run created in between is put back.
 */
async function removeIfUnchanged(file: string, raw: string): Promise<boolean> {
  const aside = `${file}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = await readRaw(aside);
  if (moved !== raw) {
    // not the lock we judged: restore it unless a newer one exists already
    await link(aside, file).catch(() => undefined);
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function readRaw(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function parseLock(raw: string): LockContent | null {
  try {
    const o = JSON.parse(raw) as Partial<LockContent>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string') {
      return {
        pid: o.pid,
        host: o.host,
        startedAt: o.startedAt,
        token: typeof o.token === 'string' ? o.token : '',
        ...(typeof o.procStart === 'string' ? { procStart: o.procStart } : {}),
      };
    }
  } catch {
    // a run that died while writing the lock leaves it empty
  }
  return null;
}

/** 'alive' and 'dead' are proven (same host); 'unknown' is everything we cannot check. */
export function holderState(holder: LockContent | null): 'alive' | 'dead' | 'unknown' {
  if (!holder || holder.host !== hostname()) return 'unknown';
  if (!pidAlive(holder.pid)) return 'dead';
  // the pid is in use: by the holder, or by a later process that got the same number
  if (holder.procStart) {
    const now = procStart(holder.pid);
    if (now && now !== holder.procStart) return 'dead';
  }
  return 'alive';
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat (start time), or undefined where there is no /proc. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

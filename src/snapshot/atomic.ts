/**
 * Atomic file writes: temp file in the same directory, fsync, rename, fsync
 * the directory. A run that dies half-way leaves the previous file (or none),
 * never a partial one. Temp names start with '.' and end in '.tmp' so a store
 * can sweep what a killed run left.
 *
 * A target that is not a regular file (a character device such as /dev/null,
 * a FIFO) is written directly: renaming over it would replace the device
 * with a file. Block devices and sockets are refused.
 *
 * Every failure is one ExbinderError naming the real target (never the temp
 * file) and the fix; the temp file is removed whatever step failed.
 */
import { randomBytes } from 'node:crypto';
import { constants, rmSync, statSync } from 'node:fs';
import { access, link, open, realpath, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ExbinderError } from '../errors.js';
import { faultPoint } from '../fault.js';

export const TEMP_FILE = /^\..*\.tmp$/;

/**
 * Test seam: called with the step name ('open', 'write', 'sync', 'rename')
 * before each step; a test makes one step fail (as a full disk would) by
 * throwing from it. Unset in production.
 */
export let atomicFault: ((step: 'open' | 'write' | 'sync' | 'rename', file: string) => void) | null = null;
export function setAtomicFault(f: typeof atomicFault): void {
  atomicFault = f;
}

/** Temp files of writes in flight, so a signal handler can remove them before the process exits. */
const pending = new Set<string>();

/** Synchronous: safe in a signal handler that exits right after. */
export function removePendingTempFiles(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const target = await resolveTarget(file);
  if (target.special) return writeDirect(file, data);
  const dir = dirname(target.path);
  const tmp = join(dir, `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    atomicFault?.('open', target.path);
    pending.add(tmp);
    const fh = await open(tmp, 'wx', 0o644);
    created = true;
    try {
      atomicFault?.('write', target.path);
      await fh.writeFile(data);
      atomicFault?.('sync', target.path);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await faultPoint(`write ${basename(target.path)}`);
    atomicFault?.('rename', target.path);
    await rename(tmp, target.path);
    created = false;
  } catch (e) {
    // a partial temp file on a full disk keeps it full: always remove it
    if (created) await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(file, e);
  } finally {
    pending.delete(tmp);
  }
  await fsyncDir(dir);
}

/**
 * Files that belong together (a binder and its separate appendix), all or
 * none: every temp file is written and synced before the first rename, and a
 * rename that fails puts back what the earlier ones replaced (kept meanwhile
 * as hard links next to them, named like temp files), so the files on disk
 * stay those of one run. A target that is a device is written in place, one
 * after the other.
 */
export async function writeFilesAtomic(files: readonly { file: string; data: string | Uint8Array }[]): Promise<void> {
  const targets = await Promise.all(files.map((f) => resolveTarget(f.file)));
  if (targets.some((t) => t.special)) {
    for (const f of files) await writeFileAtomic(f.file, f.data);
    return;
  }
  const tempOf = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const temps: string[] = [];
  const backups: (string | null)[] = [];
  const renamed: number[] = [];
  let k = 0;
  try {
    for (k = 0; k < files.length; k++) {
      const target = (targets[k] as Target).path;
      const tmp = tempOf(target);
      atomicFault?.('open', target);
      pending.add(tmp);
      const fh = await open(tmp, 'wx', 0o644);
      temps.push(tmp);
      try {
        atomicFault?.('write', target);
        await fh.writeFile((files[k] as (typeof files)[number]).data);
        atomicFault?.('sync', target);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    for (k = 0; k < files.length; k++) {
      const target = (targets[k] as Target).path;
      let backup: string | null = tempOf(target);
      pending.add(backup);
      // a file system without hard links (some SMB shares) only loses the undo
      await link(target, backup).catch(() => { pending.delete(backup as string); backup = null; });
      backups.push(backup);
    }
    for (k = 0; k < files.length; k++) {
      const target = (targets[k] as Target).path;
      await faultPoint(`write ${basename(target)}`);
      atomicFault?.('rename', target);
      await rename(temps[k] as string, target);
      renamed.push(k);
    }
  } catch (e) {
    for (const j of renamed.reverse()) {
      const target = (targets[j] as Target).path;
      const backup = backups[j];
      await (backup ? rename(backup, target) : rm(target, { force: true })).catch(() => undefined);
    }
    for (const t of [...temps, ...backups]) if (t) await rm(t, { force: true }).catch(() => undefined);
    throw writeError((files[Math.min(k, files.length - 1)] as (typeof files)[number]).file, e);
  } finally {
    for (const t of [...temps, ...backups]) if (t) pending.delete(t);
  }
  for (const b of backups) if (b) await rm(b, { force: true }).catch(() => undefined);
  for (const dir of new Set(targets.map((t) => dirname(t.path)))) await fsyncDir(dir);
}

/**
 * Fails early, before an expensive harvest or render, when `file` cannot be
 * written: same one-line errors as the write itself.
 */
export async function checkWritable(file: string): Promise<void> {
  const target = await resolveTarget(file);
  if (target.special) return;
  try {
    await access(dirname(target.path), constants.W_OK | constants.X_OK);
  } catch (e) {
    throw writeError(file, e);
  }
}

interface Target {
  /** where a regular file goes: a symbolic link is followed, not replaced */
  path: string;
  /** a character device or FIFO: write it in place */
  special: boolean;
}

async function resolveTarget(file: string): Promise<Target> {
  let st: Stats;
  try {
    st = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // the file is new; its folder must exist and be a folder
      try {
        const d = await stat(dirname(file));
        if (!d.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      } catch (de) {
        throw writeError(file, de);
      }
      return { path: file, special: false };
    }
    throw writeError(file, e);
  }
  if (st.isFile()) return { path: await realpath(file), special: false };
  if (st.isDirectory()) throw writeError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  if (st.isCharacterDevice() || st.isFIFO()) return { path: file, special: true };
  throw new ExbinderError(
    `refusing to write ${file}: it is a ${st.isBlockDevice() ? 'block device' : 'socket'}, not a file: give the path of a regular file`,
    'write-target',
  );
}

async function writeDirect(file: string, data: string | Uint8Array): Promise<void> {
  try {
    // no O_CREAT, no O_TRUNC games: the device or pipe stays what it is
    const fh = await open(file, constants.O_WRONLY);
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw writeError(file, e);
  }
}

/** One line: which file, why in words, and what to do. */
export function writeError(file: string, e: unknown): ExbinderError {
  if (e instanceof ExbinderError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  const dir = dirname(file);
  const why: Record<string, string> = {
    ENOSPC: `no space left on the device: free space there or write somewhere else`,
    EDQUOT: `disk quota exceeded: free space there or write somewhere else`,
    EACCES: `permission denied: run as a user who may write to ${dir}, or write somewhere else`,
    EPERM: `permission denied: run as a user who may write to ${dir}, or write somewhere else`,
    EROFS: `the file system is read-only: write somewhere else`,
    EISDIR: `it is a directory: give the path of a file in it`,
    ENOENT: `the folder ${dir} does not exist: create it or fix the path`,
    ENOTDIR: `${notAFolder(dir)} is not a folder: fix the path`,
    EIO: `input/output error: check the disk`,
  };
  const text = why[code] ?? `${code || (e instanceof Error ? e.message : String(e))}: check the path and the disk`;
  return new ExbinderError(`cannot write ${file} (${text.replace(/: /, '): ')}`, `write-${code.toLowerCase() || 'failed'}`, 2, { cause: e });
}

/** The first component of `dir` that exists but is not a folder (for ENOTDIR). */
function notAFolder(dir: string): string {
  const parts: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    parts.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const p of parts) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      break;
    }
  }
  return `a part of ${dir}`;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // some file systems (SMB shares) refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
  }
}

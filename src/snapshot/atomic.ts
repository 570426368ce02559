/**
 * Atomic file writes: temp file in the same directory, fsync, rename, fsync
 * the directory. A run that dies half-way leaves the previous file (or none),
 * never a partial one. Temp names start with '.' and end in '.tmp' so a store
 * can sweep what a killed run left.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_FILE = /^\..*\.tmp$/;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
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

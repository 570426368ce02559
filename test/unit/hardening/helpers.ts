/** Shared by the issue 10 hardening tests: temp dirs, the CLI in process, root-only setups. */
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program.js';

export const IS_ROOT = process.getuid?.() === 0;
export const CONTOSO_LDIF = join(process.cwd(), 'fixtures/exports/contoso.ldif');

/** Runs the CLI in this process; resolves to the exit code and the lines it printed. */
export async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'exbinder', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, out, err };
}

/** Every file under dir (relative paths), recursively. */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const n of await readdir(join(dir, rel))) {
      const p = rel ? `${rel}/${n}` : n;
      if ((await stat(join(dir, p))).isDirectory()) await walk(p);
      else out.push(p);
    }
  }
  await walk('');
  return out.sort();
}

export const tempFilesIn = async (dir: string) => (await allFiles(dir)).filter((f) => /(^|\/)\.[^/]*\.tmp$/.test(f));

/** A real small file system (tmpfs) at `dir`, so a full disk is a real ENOSPC. Root only. */
export function mountTmpfs(dir: string, size: string): () => void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return () => execFileSync('umount', ['-l', dir]);
}

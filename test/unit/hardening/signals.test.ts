/**
 * Issue 10, signals: SIGTERM (systemd stop) and SIGINT (Ctrl-C) during the
 * harvest, the render and the store writes of the real CLI leave no lock,
 * no temp file, and (for the scheduled job) a failure record and last-run.json.
 * The CLI runs as a child; EXBINDER_FAULT_POINT (src/fault.ts) holds it at
 * the named point until the signal comes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../fault/spawn.js';
import { CONTOSO_LDIF, allFiles, tempFilesIn } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-i10-sig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CLI = ['--import', 'tsx', join(process.cwd(), 'src/cli/main.ts')];
const CODE = { SIGTERM: 143, SIGINT: 130 } as const;

async function stopAt(point: string, signal: 'SIGTERM' | 'SIGINT', args: string[]) {
  const child = start([...CLI, ...args], { EXBINDER_FAULT_POINT: point });
  await child.waitFor(new RegExp(`fault point ${point}`));
  child.proc.kill(signal);
  return child.done;
}

describe('issue 10: SIGTERM and SIGINT during harvest, snapshot and render', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const [stage, point] of [
      ['harvest', 'harvest'],
      ['render', 'job render'],
      ['store', 'write latest.pdf'],
    ] as const) {
      it(`issue 10 case 16 (${signal}, snapshot job, ${stage}): no lock, no temp file, a failure record and last-run.json`, { timeout: 60_000 }, async () => {
        const store = join(dir, 'store');
        const r = await stopAt(point, signal, ['snapshot', '--ldif', CONTOSO_LDIF, '--store', store]);
        expect(r.code, r.stderr).toBe(CODE[signal]);
        expect(r.stderr).toContain(`exbinder: stopped by ${signal}; nothing partial was written`);
        const files = await allFiles(store);
        expect(files).not.toContain('store.lock');
        expect(await tempFilesIn(store)).toEqual([]);
        const failures = await readdir(join(store, 'failures'));
        expect(failures).toHaveLength(1);
        expect(JSON.parse(await readFile(join(store, 'failures', failures[0]!), 'utf8'))).toMatchObject({
          stage,
          code: 'interrupted',
          message: `stopped by ${signal}`,
        });
        expect(JSON.parse(await readFile(join(store, 'last-run.json'), 'utf8'))).toMatchObject({ exitCode: 2, snapshotId: null });
        // before the store stage nothing is stored; in it, what was renamed is complete and the file in flight is gone
        if (stage === 'store') expect(files.filter((f) => f.startsWith('binder/'))).toEqual([]);
        else expect(files.filter((f) => f.startsWith('snapshots/') || f.startsWith('binder/'))).toEqual([]);
      });
    }

    it(`issue 10 case 16 (${signal}, harvest --out and render --out): the temp file in flight is removed`, { timeout: 60_000 }, async () => {
      const snap = join(dir, 'snap.json');
      const h = await stopAt('write snap.json', signal, ['harvest', '--ldif', CONTOSO_LDIF, '--out', snap]);
      expect(h.code, h.stderr).toBe(CODE[signal]);
      expect(await allFiles(dir)).toEqual([]);
      const ok = start([...CLI, 'harvest', '--ldif', CONTOSO_LDIF, '--out', snap]);
      expect((await ok.done).code).toBe(0);
      const r = await stopAt('write binder.md', signal, ['render', snap, '--format', 'md', '--out', join(dir, 'binder.md')]);
      expect(r.code, r.stderr).toBe(CODE[signal]);
      expect(await allFiles(dir)).toEqual(['snap.json']);
    });
  }
});

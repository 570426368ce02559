/**
 * Issue 10, store sequence: a run killed (kill -9) or stopped (SIGTERM,
 * SIGINT) at every step of the store write sequence leaves a store the next
 * run completes: no lost drift record, no lock, no temp file.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listHistory, runSnapshotJob } from '../../../src/run/snapshot-job.js';
import { snapshotId } from '../../../src/snapshot/canonical.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { run } from '../../fault/spawn.js';
import { allFiles, tempFilesIn } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-i10-seq-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHILD = join(process.cwd(), 'test/fault/job-child.ts');
const render = async () => ({ markdown: '# binder\n', pdf: Buffer.from('%PDF-1.4\n') });

/** A store with an accepted s1, and s2 = s1 with a critical change (a moved EDB). */
async function prepare(store: string) {
  const s1 = reharvest(sampleSnapshot(), '2026-11-01T06:00:00Z');
  await runSnapshotJob({ store, harvestFn: async () => s1, renderFn: render, accept: true });
  const s2 = reharvest(s1, '2026-11-02T06:00:00Z');
  byName(s2.databases, 'DB01').edbFilePath = 'Z:\\Moved\\DB01.edb';
  const file = join(dir, `s2.json`);
  await writeFile(file, JSON.stringify(s2));
  return { s1, s2, file };
}

async function expectCompleteAfterRerun(store: string, s1Id: string, s2: ReturnType<typeof sampleSnapshot>, where: string) {
  const rerun = await runSnapshotJob({ store, harvestFn: async () => reharvest(s2, '2026-11-03T06:00:00Z'), renderFn: render });
  const ctx = `${where}: ${rerun.messages.join(' | ')}`;
  expect(rerun.exitCode, ctx).toBe(1);
  const history = await listHistory(store);
  const newest = history.at(-1)!;
  expect([newest.id, newest.comparedWith, newest.critical], ctx).toEqual([snapshotId(s2), s1Id, 1]);
  expect(JSON.parse(await readFile(join(store, 'last-run.json'), 'utf8')), ctx).toMatchObject({ exitCode: 1, critical: 1 });
  expect(await tempFilesIn(store), ctx).toEqual([]);
  expect(await readdir(store), ctx).not.toContain('store.lock');
  expect(JSON.parse(await readFile(join(store, 'drift', 'latest.json'), 'utf8')).current.id, ctx).toBe(snapshotId(s2));
}

async function countRenames(): Promise<number> {
  const store = join(dir, 'count');
  const { file } = await prepare(store);
  const r = await run(['--import', 'tsx', CHILD, store, file, '0', 'none']);
  const n = Number(/renames (\d+)/.exec(r.stdout)?.[1]);
  expect(n).toBeGreaterThan(5);
  return n;
}

describe('issue 10: every step of the store sequence is recoverable by the next run', () => {
  it('issue 10 case 14: kill -9 at every rename of the store sequence (incl. between snapshot and drift): the rerun keeps the drift record', { timeout: 240_000 }, async () => {
    const n = await countRenames();
    for (let k = 1; k <= n; k++) {
      const store = join(dir, `kill-${k}`);
      const { s1, s2, file } = await prepare(store);
      const r = await run(['--import', 'tsx', CHILD, store, file, String(k), 'kill']);
      expect(r.signal, `kill point ${k}`).toBe('SIGKILL');
      await expectCompleteAfterRerun(store, snapshotId(s1), s2, `after kill -9 at rename ${k} (${r.stderr.trim().split('\n').at(-1)})`);
    }
  });

  for (const [signal, action, code] of [['SIGTERM', 'term', 143], ['SIGINT', 'int', 130]] as const) {
    it(`issue 10 case 15 (${signal}): ${signal} at every rename releases the lock, leaves no temp file, writes a failure record and last-run.json`, { timeout: 240_000 }, async () => {
      const n = await countRenames();
      // SIGTERM at every point; SIGINT (same handler) at the first, a middle and the last two
      const points = signal === 'SIGTERM' ? [...Array(n).keys()].map((i) => i + 1) : [1, Math.ceil(n / 2), n - 1, n];
      for (const k of points) {
        const store = join(dir, `${action}-${k}`);
        const { s1, s2, file } = await prepare(store);
        const failuresBefore = (await readdir(join(store, 'failures'))).length;
        const r = await run(['--import', 'tsx', CHILD, store, file, String(k), action]);
        const where = `${signal} at rename ${k} (${r.stderr.trim().split('\n').filter((l) => l.startsWith('rename')).at(-1)})`;
        expect(r.code, `${where}\n${r.stderr}`).toBe(code);
        const files = await allFiles(store);
        expect(files, where).not.toContain('store.lock');
        expect(await tempFilesIn(store), where).toEqual([]);
        const failures = await readdir(join(store, 'failures'));
        // the lock release is the run's last rename: the run is done by then and has nothing to record
        const last = k === n;
        if (!last) {
          expect(failures.length, where).toBe(failuresBefore + 1);
          const record = JSON.parse(await readFile(join(store, 'failures', failures.sort().at(-1)!), 'utf8'));
          expect(record, where).toMatchObject({ code: 'interrupted', message: `stopped by ${signal}` });
          expect(JSON.parse(await readFile(join(store, 'last-run.json'), 'utf8')), where).toMatchObject({ exitCode: 2 });
        }
        await expectCompleteAfterRerun(store, snapshotId(s1), s2, where);
      }
    });
  }
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotId } from '../../../src/snapshot/canonical.js';
import { SnapshotStore, compactTime } from '../../../src/snapshot/store.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A snapshot harvested at `day` with a distinct EDB path, so each has its own id. */
function version(day: number) {
  const s = reharvest(sampleSnapshot(), `2026-11-${String(day).padStart(2, '0')}T08:30:00Z`);
  byName(s.databases, 'DB01').edbFilePath = `E:\\DB01-v${day}\\DB01.edb`;
  return s;
}

describe('SnapshotStore layout', () => {
  it('writes timestamped, content-addressed canonical files and dedups an unchanged directory', async () => {
    const store = await SnapshotStore.open(dir);
    const s = version(1);
    const w = await store.writeSnapshot(s);
    expect(w.written).toBe(true);
    expect(w.file).toBe(join(dir, 'snapshots', `20261101T083000Z-${snapshotId(s)}.json`));
    const again = await store.writeSnapshot(reharvest(s, '2026-11-02T08:30:00Z'));
    expect(again).toEqual({ ...w, written: false });
    expect(await store.list()).toEqual([{ id: w.id, harvestedAt: '2026-11-01T08:30:00Z', file: w.file }]);
    expect((await store.read(w.id.slice(0, 6))).metadata.harvestedAt).toBe('2026-11-01T08:30:00Z');
    expect(compactTime('2026-11-20T08:30:00.999Z')).toBe('20261120T083000Z');
  });

  it('says which snapshot is unknown', async () => {
    const store = await SnapshotStore.open(dir);
    await expect(store.read('abcdef')).rejects.toThrow(/no snapshot abcdef in the store .*exbinder history --store/);
  });

  it('keeps and reads the known good marker', async () => {
    const store = await SnapshotStore.open(dir);
    expect(await store.knownGood()).toBeNull();
    await store.setKnownGood('0123456789abcdef');
    expect(await store.knownGood()).toBe('0123456789abcdef');
    expect(await readFile(join(dir, 'known-good'), 'utf8')).toBe('0123456789abcdef\n');
  });
});

describe('atomic writes', () => {
  it('leaves no partial file when the run dies between the temp write and the rename', async () => {
    const store = await SnapshotStore.open(dir);
    const s = version(1);
    // the "crash": the process dies (SIGKILL) after the temp file is written and
    // synced, right where rename would run. Node's builtin ESM exports follow the
    // CJS module after syncBuiltinESMExports, so the real store code is used.
    const script = `
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      const require = createRequire(import.meta.url);
      require('node:fs/promises').rename = async () => { process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); };
      syncBuiltinESMExports();
      const { SnapshotStore } = await import(${JSON.stringify(join(process.cwd(), 'src/snapshot/store.ts'))});
      const store = await SnapshotStore.open(process.argv[1]);
      await store.writeSnapshot(JSON.parse(process.argv[2]));`;
    const signal = await new Promise<string | null>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir, JSON.stringify(s)], { stdio: 'inherit' });
      p.on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');
    const raw = await readdir(join(dir, 'snapshots'));
    expect(raw.filter((n) => n.endsWith('.tmp'))).toHaveLength(1); // the crash left its temp file...
    expect(await store.list()).toEqual([]); // ...which no reader sees
    await (await (await SnapshotStore.open(dir)).lock())(); // and the next run, once it holds the lock, cleans it up
    expect(await readdir(join(dir, 'snapshots'))).toEqual([]);
  });

  it('keeps the previous file when the rename fails', async () => {
    const store = await SnapshotStore.open(dir);
    await store.setKnownGood('aaaaaaaaaaaaaaaa');
    const fsp = await import('node:fs/promises');
    // make the rename target a directory: rename(2) fails with EISDIR/ENOTEMPTY
    await expect(store.writeAtomic(join(dir, 'snapshots'), 'x')).rejects.toThrow();
    expect(await store.knownGood()).toBe('aaaaaaaaaaaaaaaa');
    expect((await fsp.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('store.lock', () => {
  it('stops a second run and explains who holds the lock', async () => {
    const store = await SnapshotStore.open(dir);
    const release = await store.lock();
    const lock = JSON.parse(await readFile(join(dir, 'store.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(store.lock()).rejects.toThrow(
      new RegExp(`^store is locked by pid ${process.pid} on .* started .*: another exbinder run is writing`),
    );
    await release();
    const again = await store.lock();
    await again();
  });

  it('treats a lock older than the limit as stale even from another host', async () => {
    const store = await SnapshotStore.open(dir);
    const startedAt = new Date(Date.now() - 13 * 3600_000).toISOString();
    await writeFile(join(dir, 'store.lock'), JSON.stringify({ pid: 1, host: 'other-host', startedAt }));
    await expect(store.lock()).rejects.toThrow(/it is older than 12 hours and its host cannot be checked from here: if no exbinder run is going on other-host, remove .*store.lock or pass --break-lock/);
    await writeFile(join(dir, 'store.lock'), '');
    await expect(store.lock()).rejects.toThrow(/an unreadable lock file; the lock file is empty/);
  });
});

describe('retention', () => {
  it('prunes the oldest, never the known good nor the newest', async () => {
    const store = await SnapshotStore.open(dir);
    const ids: string[] = [];
    for (const day of [1, 2, 3, 4, 5]) ids.push((await store.writeSnapshot(version(day))).id);
    await store.setKnownGood(ids[0]!);
    const report = { driftSchemaVersion: 1 as const, baseline: { id: ids[0]!, harvestedAt: 'x' }, current: { id: ids[1]!, harvestedAt: 'y' }, critical: 0, info: 0, changes: [] };
    await store.writeDrift(report, '# drift\n');
    const removed = await store.prune(2);
    expect(removed.map((f) => f.slice(-21, -5))).toEqual([ids[1], ids[2], ids[3]]);
    expect((await store.list()).map((s) => s.id)).toEqual([ids[0], ids[4]]);
    expect(await readdir(join(dir, 'drift'))).toEqual([]); // the drift of a pruned snapshot goes with it
    expect(await store.prune(1)).toEqual([]); // both left are protected
    await expect(store.prune(0)).rejects.toThrow(/--keep 0 is not a positive whole number/);
  });
});

describe('git mode', () => {
  it('keeps one text file per object kind, commits only changes, never the binder or run state', async () => {
    const store = await SnapshotStore.open(dir, { git: true });
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir }).toString();
    const v1 = version(1);
    const { id } = await store.writeSnapshot(v1);
    await store.writeConfigTree(v1);
    await store.writeBinder('# binder\n', Buffer.from('%PDF-1.4\n'));
    await store.writeLastRun({ at: v1.metadata.harvestedAt, exitCode: 0, organization: null, snapshotId: id, knownGood: null, critical: 0, info: 0, warnings: { new: [], known: [] }, files: { driftMd: null, driftJson: null, binderPdf: null, binderMd: null, failure: null }, hooks: [] });
    const lock = await store.lock();
    expect(await store.commit(`snapshot ${id}`)).toBe(true);
    await lock();
    const tracked = git('ls-files').trim().split('\n');
    expect(tracked).toContain('config/databases.json');
    expect(tracked).toContain('config/servers.json');
    expect(tracked.filter((f) => /^(binder|snapshots|failures|hooks)\/|^last-run\.json$|store\.lock/.test(f))).toEqual([]);

    // an unchanged directory: same bytes, no commit, even though last-run.json changed
    const again = reharvest(v1, '2026-11-02T08:30:00Z');
    await store.writeConfigTree(again);
    await store.writeLastRun({ at: again.metadata.harvestedAt, exitCode: 0, organization: null, snapshotId: id, knownGood: null, critical: 0, info: 0, warnings: { new: [], known: [] }, files: { driftMd: null, driftJson: null, binderPdf: null, binderMd: null, failure: null }, hooks: [] });
    await store.writeBinder('# binder 2\n', Buffer.from('%PDF-1.4 2\n'));
    expect(await store.commit('nothing new')).toBe(false);

    // a change: one commit whose patch is the changed field in the kind's file
    const v2 = version(2);
    await store.writeConfigTree(v2);
    expect(await store.commit('second')).toBe(true);
    const patch = git('log', '-1', '-p', '--format=%an|%s');
    expect(patch).toMatch(/^exbinder\|second/);
    expect(patch.match(/^diff --git .*$/gm)).toEqual(['diff --git a/config/databases.json b/config/databases.json']);
    expect(patch).toMatch(/^-\s+"edbFilePath": "E:\\\\DB01-v1\\\\DB01\.edb",?$/m);
    expect(patch).toMatch(/^\+\s+"edbFilePath": "E:\\\\DB01-v2\\\\DB01\.edb",?$/m);

    // a git store keeps committing when a later run (or accept) does not say --git
    const later = await SnapshotStore.open(dir);
    await later.setKnownGood(id);
    expect(await later.commit('accept')).toBe(true);
    expect(await later.tagAccepted(id, '2026-11-03T10:00:00Z')).toBe(`accepted-20261103T100000Z-${id}`);
    expect(git('tag').trim()).toBe(`accepted-20261103T100000Z-${id}`);
  });

  it('stops tracking the binder and run state in a store an older version committed them to', async () => {
    await writeFile(join(dir, 'last-run.json'), '{}\n');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    await (await import('node:fs/promises')).mkdir(join(dir, 'binder'));
    await writeFile(join(dir, 'binder', 'latest.pdf'), '%PDF');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'old'], { cwd: dir });
    const store = await SnapshotStore.open(dir);
    expect(await store.commit('clean up')).toBe(true);
    expect(execFileSync('git', ['ls-files'], { cwd: dir }).toString().trim().split('\n')).toEqual(['.gitignore']);
  });
});

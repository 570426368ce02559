/**
 * Issue 10, the store lock: owner-only release, a dead holder taken over and
 * logged, a live holder never broken, refused runs recorded, accept with the
 * same --break-lock as snapshot.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSnapshotJob } from '../../../src/run/snapshot-job.js';
import { SnapshotStore } from '../../../src/snapshot/store.js';
import { reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { cli } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-i10-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const render = async () => ({ markdown: '# binder\n', pdf: Buffer.from('%PDF-1.4\n') });
const snap = () => reharvest(sampleSnapshot(), '2026-11-01T06:00:00Z');

/** A process that took the store lock (real code) and then died by SIGKILL. */
async function lockOfKilledRun(): Promise<number> {
  const script = `
    const { SnapshotStore } = await import(${JSON.stringify(join(process.cwd(), 'src/snapshot/store.ts'))});
    await (await SnapshotStore.open(process.argv[1])).lock();
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => p.stdout.on('data', () => resolve()));
  p.kill('SIGKILL');
  await new Promise((resolve) => p.on('exit', resolve));
  return p.pid!;
}

describe('issue 10: the store lock after kill -9: a provably dead holder is taken over and logged', () => {
  it('issue 10 case 9: a run after a SIGKILLed run takes over its lock, says so, and stores its snapshot', async () => {
    const dead = await lockOfKilledRun();
    expect(JSON.parse(await readFile(join(dir, 'store.lock'), 'utf8')).pid).toBe(dead);
    const r = await runSnapshotJob({ store: dir, harvestFn: async () => snap(), renderFn: render });
    expect(r.exitCode).toBe(0);
    expect(r.messages[0]).toMatch(new RegExp(`^took over the store lock of pid ${dead} on ${hostname()} started \\S+: that process is gone$`));
    expect(await readdir(dir)).not.toContain('store.lock');
    expect((await readdir(join(dir, 'snapshots'))).length).toBe(1);
  }, 60_000);

  it('issue 10 case 9b: a lock whose pid now belongs to a later process (pid reuse) is dead too', async () => {
    // our own pid, with a start time that is not ours: the holder died and the number was reused
    await writeFile(join(dir, 'store.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-01T00:00:00Z', token: 'x', procStart: '1' }));
    const r = await runSnapshotJob({ store: dir, harvestFn: async () => snap(), renderFn: render });
    expect(r.exitCode).toBe(0);
    expect(r.messages[0]).toMatch(/^took over the store lock of pid \d+ .*: that process is gone$/);
  }, 60_000);
});

describe('issue 10: --break-lock never breaks a live lock; a run releases only its own lock', () => {
  it('issue 10 case 10: --break-lock on a live holder (this process, same host) is refused and the holder keeps its lock', async () => {
    const store = await SnapshotStore.open(dir);
    const release = await store.lock();
    const before = await readFile(join(dir, 'store.lock'), 'utf8');
    const r = await runSnapshotJob({ store: dir, breakLock: true, harvestFn: async () => snap(), renderFn: render });
    expect(r.exitCode).toBe(2);
    expect(r.messages[0]).toMatch(
      /^store is locked by pid \d+ on .*: another exbinder run is writing there; wait for it to finish \(--break-lock never breaks a running holder: stop that process first\)$/,
    );
    expect(await readFile(join(dir, 'store.lock'), 'utf8')).toBe(before);
    expect(await readdir(join(dir, 'snapshots'))).toEqual([]);
    await release();
    expect(await readdir(dir)).not.toContain('store.lock');
  });

  it("issue 10 case 11: A's release does not delete B's lock after B broke A's (another host's) lock", async () => {
    const store = await SnapshotStore.open(dir);
    const releaseA = await store.lock();
    // A's lock as seen from elsewhere: B on another host broke it and holds its own now
    const bLock = JSON.stringify({ pid: 4242, host: 'other-host', startedAt: new Date().toISOString(), token: 'b-token' }) + '\n';
    await writeFile(join(dir, 'store.lock'), bLock);
    await releaseA();
    expect(await readFile(join(dir, 'store.lock'), 'utf8')).toBe(bLock);
    // and C, here, is refused while B runs
    const c = await runSnapshotJob({ store: dir, harvestFn: async () => snap(), renderFn: render });
    expect(c.exitCode).toBe(2);
    expect(c.messages[0]).toMatch(
      /^store is locked by pid 4242 on other-host started .*; its host cannot be checked from here: if no exbinder run is going on other-host, remove .*store\.lock or pass --break-lock to exbinder snapshot$/,
    );
    expect(await readFile(join(dir, 'store.lock'), 'utf8')).toBe(bLock);
  });

  it('issue 10 case 11b: --break-lock removes a lock from another host (cannot be checked) and says so', async () => {
    await writeFile(join(dir, 'store.lock'), JSON.stringify({ pid: 4242, host: 'other-host', startedAt: '2026-11-01T00:00:00Z', token: 'b' }));
    const r = await runSnapshotJob({ store: dir, breakLock: true, harvestFn: async () => snap(), renderFn: render });
    expect(r.exitCode).toBe(0);
    expect(r.messages[0]).toBe('broke the store lock of pid 4242 on other-host started 2026-11-01T00:00:00Z as asked (--break-lock)');
  });
});

describe('issue 10: accept and --break-lock', () => {
  it('issue 10 case 13: accept has --break-lock, and its lock message names an option accept has', async () => {
    const first = await runSnapshotJob({ store: dir, harvestFn: async () => snap(), renderFn: render });
    await writeFile(join(dir, 'store.lock'), JSON.stringify({ pid: 4242, host: 'other-host', startedAt: '2026-11-01T00:00:00Z', token: 'b' }));
    const refused = await cli(['accept', '--store', dir]);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toMatch(/or pass --break-lock to exbinder accept$/);
    const ok = await cli(['accept', '--store', dir, '--break-lock']);
    expect(ok.err).toEqual([
      'broke the store lock of pid 4242 on other-host started 2026-11-01T00:00:00Z as asked (--break-lock)',
      `snapshot ${first.snapshotId} (harvested 2026-11-01T06:00:00Z) is now the known good snapshot`,
    ]);
    expect(ok.code).toBe(0);
    expect(execFileSync('ls', [dir]).toString()).not.toContain('store.lock');
  });
});

/**
 * The job against a real store on disk, with the sample snapshot as harvest
 * output. The real LDAP harvest and renderer run in test/integration/snapshot.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptSnapshot, listHistory, runSnapshotJob, type RenderFn } from '../../../src/run/snapshot-job.js';
import { summaryLine } from '../../../src/render/drift.js';
import { mapLdapError } from '../../../src/source/ldap-errors.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-job-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Test renderer: enough to see which snapshot and drift the job passed on. */
const render: RenderFn = async (s, d) => ({
  markdown: `# ${s.organization.name}\n${s.metadata.harvestedAt}\n${d ? summaryLine(d) : 'no known good'}\n`,
  pdf: Buffer.from(`%PDF-1.4 ${s.metadata.harvestedAt}\n`),
});
const harvestOf = (s: Snapshot) => async () => structuredClone(s);
const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T06:00:00Z`;

async function tree(): Promise<string[]> {
  const out: string[] = [];
  for (const sub of ['', 'snapshots', 'drift', 'binder', 'failures']) {
    for (const n of await readdir(join(dir, sub))) if (!(await stat(join(dir, sub, n))).isDirectory()) out.push(sub ? `${sub}/${n}` : n);
  }
  return out.sort();
}

describe('runSnapshotJob', () => {
  it('first run: stores, renders, and explains how to accept', async () => {
    const r = await runSnapshotJob({ store: dir, harvestFn: harvestOf(reharvest(sampleSnapshot(), day(1))), renderFn: render });
    expect(r.exitCode).toBe(0);
    expect(r.drift).toBeNull();
    expect(r.messages).toContain(`no known good snapshot yet: review ${join(dir, 'binder/latest.pdf')}, then accept this snapshot with 'exbinder accept --store ${dir}'`);
    expect(await tree()).toEqual(['binder/latest.md', 'binder/latest.pdf', 'last-run.json', 'organization.json', `snapshots/20261101T060000Z-${r.snapshotId}.json`]);
  });

  it('accept, unchanged run (exit 0), critical drift (exit 1), info only (exit 0), history', async () => {
    const s1 = reharvest(sampleSnapshot(), day(1));
    const first = await runSnapshotJob({ store: dir, harvestFn: harvestOf(s1), renderFn: render, accept: true });
    expect(first.messages).toContain(`snapshot ${first.snapshotId} is now the known good snapshot`);
    expect((await readFile(join(dir, 'known-good'), 'utf8')).trim()).toBe(first.snapshotId);

    const same = await runSnapshotJob({ store: dir, harvestFn: harvestOf(reharvest(s1, day(2))), renderFn: render });
    expect(same.exitCode).toBe(0);
    expect(same.drift?.changes).toEqual([]);
    expect(same.messages[0]).toMatch(/unchanged since .*; not stored again/);
    expect(await readFile(join(dir, 'binder/latest.md'), 'utf8')).toContain(day(2)); // the binder shows the newest harvest

    const s3 = reharvest(s1, day(3));
    byName(s3.databases, 'DB02').edbFilePath = 'H:\\DB02\\DB02.edb';
    byName(s3.databases, 'DB02').mailboxCount = 999;
    const drift = await runSnapshotJob({ store: dir, harvestFn: harvestOf(s3), renderFn: render });
    expect(drift.exitCode).toBe(1);
    expect([drift.drift?.critical, drift.drift?.info]).toEqual([1, 1]);
    expect(drift.driftFiles?.md).toBe(join(dir, 'drift', `${drift.snapshotId}.md`));
    expect(await readFile(drift.driftFiles!.md, 'utf8')).toContain('`H:\\DB02\\DB02.edb`'); // the path as it is, in a code span
    expect(await readFile(join(dir, 'drift/latest.md'), 'utf8')).toBe(await readFile(drift.driftFiles!.md, 'utf8'));
    expect((await readFile(join(dir, 'known-good'), 'utf8')).trim()).toBe(first.snapshotId); // not accepted

    const accepted = await acceptSnapshot(dir);
    expect(accepted).toEqual({ id: drift.snapshotId, harvestedAt: day(3), previous: first.snapshotId, tag: null, hooks: [] });

    const s4 = reharvest(s3, day(4));
    byName(s4.databases, 'DB01').mailboxCount = 5;
    const info = await runSnapshotJob({ store: dir, harvestFn: harvestOf(s4), renderFn: render });
    expect(info.exitCode).toBe(0);
    expect([info.drift?.critical, info.drift?.info]).toEqual([0, 1]);

    const history = await listHistory(dir);
    expect(history.map((h) => [h.id, h.harvestedAt, h.comparedWith, h.critical, h.info, h.knownGood])).toEqual([
      [first.snapshotId, day(1), null, null, null, false],
      [drift.snapshotId, day(3), first.snapshotId, 1, 1, true],
      [info.snapshotId, day(4), drift.snapshotId, 0, 1, false],
    ]);
  });

  it('a failed harvest leaves only a failure record, without the password (redacted by the LDAP source, as in production)', async () => {
    const s1 = reharvest(sampleSnapshot(), day(1));
    await runSnapshotJob({ store: dir, harvestFn: harvestOf(s1), renderFn: render, accept: true });
    const before = await tree();
    const binder = await readFile(join(dir, 'binder/latest.md'), 'utf8');
    const r = await runSnapshotJob({
      store: dir,
      renderFn: render,
      // what the LDAP source throws when the DC's answer echoes the password: the job itself knows no secrets
      harvestFn: async () => {
        throw mapLdapError(new Error('bind as svc@contoso.com with Pa55word! refused'), {
          where: 'dc1.contoso.com:636', host: 'dc1.contoso.com', port: 636, secure: 'ldaps', phase: 'bind',
          bindDn: 'svc@contoso.com', timeoutMs: 120_000, connectTimeoutMs: 10_000, password: 'Pa55word!',
        });
      },
    });
    expect(r.exitCode).toBe(2);
    expect(r.messages[0]).toBe('harvest failed: LDAP bind on dc1.contoso.com:636 failed: bind as svc@contoso.com with *** refused');
    expect(r.messages.join('\n')).not.toContain('Pa55word!');
    const after = await tree();
    const added = after.filter((f) => !before.includes(f));
    expect(added).toEqual([expect.stringMatching(/^failures\/\d{8}T\d{6}Z-[0-9a-f]{6}\.json$/)]);
    const record = JSON.parse(await readFile(join(dir, added[0]!), 'utf8'));
    expect(record).toMatchObject({ stage: 'harvest', code: 'ldap-error' });
    expect(JSON.stringify(record)).not.toContain('Pa55word!');
    expect(await readFile(join(dir, 'binder/latest.md'), 'utf8')).toBe(binder);
    expect(JSON.parse(await readFile(join(dir, 'last-run.json'), 'utf8'))).toMatchObject({ exitCode: 2 });
    expect(after).not.toContain('store.lock');
  });

  it('a failed render writes no snapshot', async () => {
    const r = await runSnapshotJob({
      store: dir,
      harvestFn: harvestOf(reharvest(sampleSnapshot(), day(1))),
      renderFn: async () => {
        throw new Error('template missing');
      },
    });
    expect(r.exitCode).toBe(2);
    expect(r.messages[0]).toBe('render failed: template missing');
    expect((await tree()).filter((f) => !f.startsWith('failures/'))).toEqual(['last-run.json', 'organization.json']);
  });

  it('a run refused by the lock is a failure with its own record (exit 2), and leaves last-run.json to the holder', async () => {
    const { SnapshotStore } = await import('../../../src/snapshot/store.js');
    const release = await (await SnapshotStore.open(dir)).lock();
    const r = await runSnapshotJob({ store: dir, harvestFn: harvestOf(sampleSnapshot()), renderFn: render });
    await release();
    expect(r.exitCode).toBe(2);
    expect(r.messages[0]).toMatch(/^store is locked by pid \d+ on /);
    const added = await tree();
    expect(added).toEqual([expect.stringMatching(/^failures\/\d{8}T\d{6}Z-[0-9a-f]{6}\.json$/)]);
    expect(JSON.parse(await readFile(join(dir, added[0]!), 'utf8'))).toMatchObject({ stage: 'lock', code: 'store-locked' });
  });

  it('prunes with keep and commits with git', async () => {
    let n = 0;
    for (const d of [1, 2, 3, 4]) {
      const s = reharvest(sampleSnapshot(), day(d));
      byName(s.servers, 'EX2016').installPath = `D:\\V15-${d}`;
      const r = await runSnapshotJob({ store: dir, harvestFn: harvestOf(s), renderFn: render, accept: d === 1, keep: 2, git: true });
      n += r.exitCode;
    }
    expect(n).toBe(3);
    const history = await listHistory(dir);
    expect(history).toHaveLength(2);
    expect(history[0]!.knownGood).toBe(true);
    const { execFileSync } = await import('node:child_process');
    const log = execFileSync('git', ['log', '--format=%an %s'], { cwd: dir }).toString().trim().split('\n');
    expect(log).toHaveLength(4);
    expect(log.at(-1)).toMatch(/^exbinder Contoso Zürich Ärzte: snapshot [0-9a-f]{16} harvested 2026-11-01T06:00:00Z: no known good \(accepted\)$/);
    expect(log[0]).toMatch(/: 1 critical, 0 info vs /);
  }, 30_000); // four job runs, each with git add/commit: over 5 s on a loaded 2-core machine
});

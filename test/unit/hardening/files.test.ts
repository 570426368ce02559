/**
 * Issue 10, data and files: the atomic writer and the file targets of
 * harvest/render/the store. Real file systems where we can make them: a FIFO
 * and a character device node in a temp dir (never the system's /dev/null),
 * a small tmpfs for a full disk, a child process as 'nobody' for EACCES.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSnapshotJob } from '../../../src/run/snapshot-job.js';
import { setAtomicFault, writeFileAtomic } from '../../../src/snapshot/atomic.js';
import { ExbinderError } from '../../../src/errors.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { CONTOSO_LDIF, IS_ROOT, cli, mountTmpfs, tempFilesIn } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-i10-files-'));
});
afterEach(async () => {
  setAtomicFault(null);
  await rm(dir, { recursive: true, force: true });
});

const render = async () => ({ markdown: '# binder\n', pdf: Buffer.from('%PDF-1.4\n') });

function readAll(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject);
  });
}

describe('issue 10: --out to a FIFO or a character device is written in place, never replaced', () => {
  it('issue 10 case 1a: harvest --out FIFO streams the snapshot through the FIFO and the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = readAll(fifo);
    const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', fifo]);
    // the export's warnings come after it (where the recovery needs care)
    expect(r.err.filter((l) => !l.startsWith('warning: ')).at(-1)).toMatch(new RegExp(`^snapshot [0-9a-f]{16} written to ${fifo}$`));
    expect(r.code).toBe(0);
    expect(JSON.parse(await reader).organization.name).toBe('Contoso');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it.runIf(IS_ROOT)('issue 10 case 1b: --out to a character device node (a private /dev/null twin) writes into the device and keeps it a device', async () => {
    const dev = join(dir, 'null');
    execFileSync('mknod', ['-m', '666', dev, 'c', '1', '3']); // major 1 minor 3 = the null device
    const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', dev]);
    expect(r.code).toBe(0);
    const st = await lstat(dev);
    expect(st.isCharacterDevice()).toBe(true);
    expect(await readFile(dev, 'utf8')).toBe(''); // still the null device: reads nothing
  });
});

describe('issue 10: a full disk (real tmpfs) leaves no temp file and says which file and what to do', () => {
  it.runIf(IS_ROOT)('issue 10 case 2: the atomic writer removes its partial temp file when the write hits ENOSPC', async () => {
    const small = join(dir, 'small');
    await mkdir(small);
    const umount = mountTmpfs(small, '64k');
    try {
      const target = join(small, 'snapshot.json');
      const err = await writeFileAtomic(target, Buffer.alloc(1024 * 1024, 0x61)).catch((e: unknown) => e);
      expect(await tempFilesIn(small)).toEqual([]);
      // the disk is free again: a small file still fits
      await writeFileAtomic(join(small, 'after.txt'), 'x'.repeat(32 * 1024));
      expect(err).toBeInstanceOf(ExbinderError);
    } finally {
      umount();
    }
  });

  it.runIf(IS_ROOT)('issue 10 case 3: harvest --out on a full disk is one line naming the target and the fix, not "internal error: ENOSPC"', async () => {
    const small = join(dir, 'small');
    await mkdir(small);
    const umount = mountTmpfs(small, '64k');
    try {
      const target = join(small, 'snapshot.json');
      const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', target]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([`exbinder: cannot write ${target} (no space left on the device): free space there or write somewhere else`]);
      expect(await tempFilesIn(small)).toEqual([]);
    } finally {
      umount();
    }
  });

  it.runIf(IS_ROOT)('issue 10 case 4: a store on a full disk: the job names the file it could not write, also for the failure record, and leaves no temp file', async () => {
    const store = join(dir, 'store');
    await mkdir(store);
    const umount = mountTmpfs(store, '256k');
    try {
      const first = await runSnapshotJob({ store, harvestFn: async () => reharvest(sampleSnapshot(), '2026-11-01T06:00:00Z'), renderFn: render });
      expect(first.exitCode).toBe(0);
      // fill the disk, then free exactly one page: the lock fits, the snapshot does not, and the
      // failure record finds the disk full again
      await writeFile(join(store, 'filler'), Buffer.alloc(1024 * 1024)).catch(() => undefined);
      const size = (await stat(join(store, 'filler'))).size;
      await truncate(join(store, 'filler'), Math.floor(size / 4096) * 4096 - 4096);
      const changed = reharvest(sampleSnapshot(), '2026-11-02T06:00:00Z');
      byName(changed.databases, 'DB01').edbFilePath = 'Z:\\DB01\\DB01.edb';
      const r = await runSnapshotJob({ store, harvestFn: async () => changed, renderFn: render });
      expect(r.exitCode).toBe(2);
      expect(r.messages[0]).toMatch(new RegExp(`^store failed: cannot write ${store}/snapshots/\\S+\\.json \\(no space left on the device\\): free space there or write somewhere else$`));
      expect(r.messages[1]).toMatch(
        new RegExp(`^could not record the failure in ${store}: cannot write ${store}/failures/\\S+\\.json \\(no space left on the device\\): free space there or write somewhere else$`),
      );
      expect(await tempFilesIn(store)).toEqual([]);
      // completely full: even the lock cannot be taken, and the line says which file
      await writeFile(join(store, 'filler2'), Buffer.alloc(64 * 1024)).catch(() => undefined);
      const full = await runSnapshotJob({ store, harvestFn: async () => sampleSnapshot(), renderFn: render });
      expect(full.exitCode).toBe(2);
      expect(full.messages[0]).toBe(`cannot write ${store}/store.lock (no space left on the device): free space there or write somewhere else`);
      expect(full.messages[1]).toMatch(new RegExp(`^could not record the failure in ${store}: cannot write ${store}/failures/\\S+ \\(no space left on the device\\)`));
      expect(await tempFilesIn(store)).toEqual([]);
    } finally {
      umount();
    }
  });

  it('issue 10 case 2b: a failing fsync or rename also removes the temp file (fault seam)', async () => {
    for (const step of ['write', 'sync', 'rename'] as const) {
      setAtomicFault((s) => {
        if (s === step) throw Object.assign(new Error(`${step} failed`), { code: 'EIO' });
      });
      const target = join(dir, `out-${step}.json`);
      await expect(writeFileAtomic(target, 'data')).rejects.toThrow(`cannot write ${target} (input/output error): check the disk`);
      expect(await tempFilesIn(dir)).toEqual([]);
    }
  });
});

describe('issue 10: EACCES, EISDIR, ENOENT, ENOTDIR on --out and the store: one line naming the target and the fix', () => {
  it('issue 10 case 5: --out is a directory (EISDIR)', async () => {
    const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`exbinder: cannot write ${dir} (it is a directory): give the path of a file in it`]);
  });

  it('issue 10 case 6: --out in a folder that does not exist (ENOENT)', async () => {
    const target = join(dir, 'missing', 'snap.json');
    const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', target]);
    expect(r.err).toEqual([`exbinder: cannot write ${target} (the folder ${join(dir, 'missing')} does not exist): create it or fix the path`]);
    expect(r.code).toBe(2);
  });

  it('issue 10 case 7: --out below a regular file (ENOTDIR), for render too', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'snap.json');
    const r = await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', target]);
    expect(r.err).toEqual([`exbinder: cannot write ${target} (${join(dir, 'file')} is not a folder): fix the path`]);
    const snap = join(dir, 'ok.json');
    expect((await cli(['harvest', '--ldif', CONTOSO_LDIF, '--out', snap])).code).toBe(0);
    const rr = await cli(['render', snap, '--format', 'md', '--out', target]);
    expect(rr.err).toEqual([`exbinder: cannot write ${target} (${join(dir, 'file')} is not a folder): fix the path`]);
  });

  it('issue 10 case 7b: a store path below a regular file names the store and the fix', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const store = join(dir, 'file', 'store');
    await expect(runSnapshotJob({ store, harvestFn: async () => sampleSnapshot(), renderFn: render })).rejects.toThrow(
      `cannot create the store ${store} (ENOTDIR): check the path and its permissions`,
    );
  });

  it.runIf(IS_ROOT)('issue 10 case 8: --out in a folder the user may not write (EACCES, real: a child run as nobody)', async () => {
    await chmod(dir, 0o755);
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o755 }); // root's; nobody may not write
    const ldif = join(dir, 'contoso.ldif');
    await writeFile(ldif, await readFile(CONTOSO_LDIF));
    await chmod(ldif, 0o644);
    const target = join(locked, 'snap.json');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [join(process.cwd(), 'dist/cli/main.js'), 'harvest', '--ldif', ldif, '--out', target], {
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += String(d)));
      p.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(stderr.trim()).toBe(`exbinder: cannot write ${target} (permission denied): run as a user who may write to ${locked}, or write somewhere else`);
    expect(code).toBe(2);
    expect((await stat(locked)).isDirectory()).toBe(true);
    expect(await tempFilesIn(dir)).toEqual([]);
  });
});

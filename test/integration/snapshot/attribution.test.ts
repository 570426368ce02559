/**
 * Change attribution against the real Samba DC: harvest, change two
 * attributes of one database with ldapmodify as an admin would, harvest
 * again, diff. Each change must carry the attribute version, a time within
 * seconds of the change and the DC it was made on, in the drift report
 * (JSON, text, Markdown) and in Appendix A of the binder.
 *
 * The DC state is saved before and restored after, so other suites see the
 * fixture unchanged.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { snapshotId } from '../../../src/snapshot/canonical.js';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import { formatDriftMarkdown, formatDriftText } from '../../../src/render/drift.js';
import type { DriftReport } from '../../../src/snapshot/drift.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { openLdap } from '../../../src/source/index.js';
import { SnapshotStore } from '../../../src/snapshot/store.js';
import { runCli } from '../../../src/cli/program.js';
import { type DcContext, restoreState, saveState } from '../../dc/samba.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

const run = promisify(execFile);
let dc: DcContext = inject('dc');
let work: string;
let saved = false;

const DB = 'DB2019-01';
const NEW_EDB = 'E:\\Moved\\DB2019-01\\DB2019-01.edb';
const NEW_LOGS = ['F:\\Logs-interim\\DB2019-01', 'F:\\Logs\\DB2019-01'];

async function harvestNow(replMetadata = true): Promise<Snapshot> {
  const dir = await openLdap({ url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile });
  try {
    return await harvest(dir, { toolVersion: '0.0.0-test', replMetadata });
  } finally {
    await dir.close();
  }
}

/** Changes the directory as Domain Admin (the harvest account cannot write). */
async function ldapmodify(ldif: string): Promise<void> {
  const pw = join(work, 'admin.pw');
  await writeFile(pw, dc.adminPassword, { mode: 0o600 });
  const file = join(work, `change-${Date.now()}.ldif`);
  await writeFile(file, ldif);
  await run('ldapmodify', ['-H', dc.ldapsUrl, '-x', '-D', dc.adminUpn, '-y', pw, '-f', file], { env: { ...process.env, LDAPTLS_CACERT: dc.caFile } });
}

let before: Snapshot;
let after: Snapshot;
let report: DriftReport;
let changeStarted: number;
let changeDone: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'exbinder-attribution-it-'));
  dc = await saveState(dc);
  saved = true;
  before = await harvestNow();
  const db = before.databases.find((d) => d.name === DB)!;
  changeStarted = Date.now();
  // the EDB path once; the log path twice (two originating changes: version + 2)
  await ldapmodify(`dn: ${db.dn}\nchangetype: modify\nreplace: msExchEDBFile\nmsExchEDBFile: ${NEW_EDB}\n-\nreplace: msExchESEParamLogFilePath\nmsExchESEParamLogFilePath: ${NEW_LOGS[0]}\n-\n`);
  await ldapmodify(`dn: ${db.dn}\nchangetype: modify\nreplace: msExchESEParamLogFilePath\nmsExchESEParamLogFilePath: ${NEW_LOGS[1]}\n-\n`);
  changeDone = Date.now();
  // the store names snapshots by harvest time in whole seconds (then id): in the
  // same second the two could list in either order, so harvest in the next one
  await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
  after = await harvestNow();
  report = diffSnapshots(before, after, FIELD_ATTRIBUTES);
}, 120_000);

afterAll(async () => {
  if (saved) dc = await restoreState(dc);
  await rm(work, { recursive: true, force: true });
}, 120_000);

describe('change attribution on the Samba DC', () => {
  const change = (field: string) => report.changes.find((c) => c.name === DB && c.field === field)!;

  it('both changes are critical drift with the new values', () => {
    expect(change('edbFilePath')).toMatchObject({ severity: 'critical', new: NEW_EDB });
    expect(change('logFolderPath')).toMatchObject({ severity: 'critical', new: NEW_LOGS[1] });
  });

  it('each carries the attribute, its version and the jump since the known good', () => {
    // the fixture loads each attribute once (version 1); a reused DC may carry earlier changes
    const db = before.databases.find((d) => d.name === DB)!;
    const known = before.metadata.replication!.objects[db.guid]!;
    const edb = Number(known['msExchEDBFile']!.split(' ')[0]);
    const logs = Number(known['msExchESEParamLogFilePath']!.split(' ')[0]);
    expect(edb).toBeGreaterThanOrEqual(1);
    expect(change('edbFilePath').attribution).toMatchObject({ attribute: 'msExchEDBFile', version: edb + 1, baselineVersion: edb, changesSinceKnownGood: 1 });
    expect(change('logFolderPath').attribution).toMatchObject({
      attribute: 'msExchESEParamLogFilePath', version: logs + 2, baselineVersion: logs, changesSinceKnownGood: 2,
    });
  });

  it('a time within seconds of the change (whole seconds, UTC) and the DC it was made on', () => {
    for (const field of ['edbFilePath', 'logFolderPath']) {
      const a = change(field).attribution!;
      expect(a.changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const t = Date.parse(a.changedAt);
      expect(t).toBeGreaterThanOrEqual(Math.floor(changeStarted / 1000) * 1000 - 2000);
      expect(t).toBeLessThanOrEqual(changeDone + 2000);
      expect(a.dc).toBe(dc.host);
    }
  });

  it('the metadata does not move the snapshot id', () => {
    const stripped = structuredClone(after);
    stripped.metadata.replication = null;
    expect(snapshotId(stripped)).toBe(snapshotId(after));
    expect(report.attribution).toEqual({ status: 'read', note: null });
  });

  it('text and Markdown reports say when (UTC and local), where and which version, and that the user is not in it', () => {
    const a = change('edbFilePath').attribution!;
    const utc = `${a.changedAt.slice(0, 10)} ${a.changedAt.slice(11, 19)} UTC`;
    const text = formatDriftText(report, { timeZone: 'Europe/Zurich' });
    expect(text).toContain(`changed ${utc} (`);
    expect(text).toContain(`Europe/Zurich (GMT+1)) on ${dc.host}; msExchEDBFile version ${a.version}, changed once since the known good`);
    expect(text).toContain(`msExchESEParamLogFilePath version ${change('logFolderPath').attribution!.version}, changed 2 times since the known good`);
    expect(text).toContain('not who changed it');
    const md = formatDriftMarkdown(report, { timeZone: 'Europe/Zurich' });
    // under its change in the Markdown (wrapped: joined again here)
    expect(md.replace(/\n +/g, ' ')).toMatch(new RegExp(`changed ${utc} \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d Europe/Zurich \\(GMT\\+1\\)\\) on ${dc.host.replace(/\./g, '\\.')}; msExchEDBFile version ${a.version}`));
  });

  it('Appendix A of the binder lists when and where for the critical changes', () => {
    const md = renderMarkdown(buildView(after, { supplement: null, drift: report, timeZone: 'Europe/Zurich' }));
    const appendix = md.slice(md.indexOf('# Appendix A'), md.indexOf('# Appendix B'));
    const a = change('logFolderPath').attribution!;
    expect(appendix).toContain('When and where the critical changes were made');
    expect(appendix).toContain(`${a.changedAt.slice(0, 10)} ${a.changedAt.slice(11, 19)} UTC`);
    expect(appendix).toContain(dc.host);
    expect(appendix).toContain(`msExchESEParamLogFilePath version ${a.version}, changed 2 times since the known good`);
  });

  it('exbinder history --object shows the attribute history from the stored snapshots', async () => {
    const storeDir = join(work, 'store');
    const store = await SnapshotStore.open(storeDir);
    await store.writeSnapshot(before);
    await store.writeSnapshot(after);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['node', 'exbinder', 'history', '--store', storeDir, '--object', DB], { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
    expect([code, err]).toEqual([0, []]);
    const text = out.join('\n');
    const a = change('logFolderPath').attribution!;
    expect(text).toContain(`Database ${DB}`);
    expect(text).toContain('in 2 snapshots, 2 with replication metadata');
    expect(text).toContain(`on ${dc.host}, version ${a.version}, 2 changes since the previous state (values in between never harvested): ${NEW_LOGS[1]}`);
    expect(text).toContain(`version ${change('edbFilePath').attribution!.version}: ${NEW_EDB}`);
  });

  it('without the metadata (--no-repl-metadata) the report says so once and does not fail', async () => {
    const bare = await harvestNow(false);
    const r = diffSnapshots(before, bare, FIELD_ATTRIBUTES);
    expect(r.changes.some((c) => c.field === 'edbFilePath')).toBe(true);
    expect(r.changes.every((c) => c.attribution === null)).toBe(true);
    const text = formatDriftText(r);
    expect(text.match(/Change times and DCs: not available/g)).toHaveLength(1);
    expect(text).toContain('--no-repl-metadata');
  });
});

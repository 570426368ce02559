/**
 * The scheduled job against a real Samba AD DC carrying the contoso Exchange
 * organization: harvest over LDAPS (the LDAP source and the harvest),
 * render the binder, store and diff here.
 *
 * The directory is changed the way an admin would (ldapmodify / modrdn as
 * Administrator) and the drift report must list exactly those changes. The
 * DC state is saved before and restored after, so other suites see the
 * fixture unchanged.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { buildView, renderMarkdown, renderPdf } from '../../../src/render/index.js';
import { runSnapshotJob, type RenderFn } from '../../../src/run/snapshot-job.js';
import { snapshotId } from '../../../src/snapshot/canonical.js';
import type { Change } from '../../../src/snapshot/drift.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import type { Directory } from '../../../src/source/directory.js';
import { openLdap } from '../../../src/source/index.js';
import { type DcContext, killDc, restartDc, restoreState, saveState, stopDc } from '../../dc/samba.js';

declare module 'vitest' {
  interface ProvidedContext {
    dc: DcContext;
  }
}

const run = promisify(execFile);
let dc: DcContext = inject('dc');
let work: string;
let store: string;
let saved = false;
/** the EX2007 storage group the test renames */
const RENAMED_SG_DN = (c: DcContext) =>
  `CN=First Storage Group,CN=InformationStore,CN=EX2007,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=${c.org.name},CN=Microsoft Exchange,CN=Services,${c.configDn}`;

/** Harvest over LDAPS as the ordinary reader account; `wrap` lets a test interfere with the directory. */
function harvestFn(opts: { pageSize?: number; wrap?: (d: Directory) => Directory } = {}) {
  return async (): Promise<Snapshot> => {
    const dir = await openLdap({
      url: dc.ldapsUrl,
      bindDn: dc.readerUpn,
      password: dc.readerPassword,
      caFile: dc.caFile,
      ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    });
    try {
      return await harvest(opts.wrap ? opts.wrap(dir) : dir, { toolVersion: '0.1.0-test' });
    } finally {
      await dir.close().catch(() => undefined);
    }
  };
}

/** Engineer D's real renderer: view model → Markdown → PDF. */
const renderFn: RenderFn = async (snapshot, drift) => {
  const view = buildView(snapshot, { supplement: null, drift, generatedAt: snapshot.metadata.harvestedAt });
  const markdown = renderMarkdown(view);
  const pdf = await renderPdf(markdown, {
    paper: 'a4',
    title: 'Exchange recovery binder',
    creationDate: new Date(snapshot.metadata.harvestedAt),
    snapshotLabel: snapshotId(snapshot),
  });
  return { markdown, pdf };
};

/** Changes the directory as Domain Admin (the harvest account cannot write). */
async function ldapmodify(ldif: string): Promise<void> {
  const pw = join(work, 'admin.pw');
  await writeFile(pw, dc.adminPassword, { mode: 0o600 });
  const file = join(work, `change-${Date.now()}.ldif`);
  await writeFile(file, ldif);
  await run('ldapmodify', ['-H', dc.ldapsUrl, '-x', '-D', dc.adminUpn, '-y', pw, '-f', file], {
    env: { ...process.env, LDAPTLS_CACERT: dc.caFile },
  });
}

async function files(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const n of await readdir(d)) {
      const p = join(d, n);
      if ((await stat(p)).isDirectory()) {
        if (n !== '.git') await walk(p);
      } else out.set(p.slice(dir.length + 1), await readFile(p, 'latin1'));
    }
  };
  await walk(dir);
  return out;
}

const summary = (changes: Change[]) =>
  changes.map((c) => `${c.severity} ${c.kind} ${c.collection} ${c.name}${c.field ? ` ${c.field}` : ''}`).sort();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'exbinder-job-it-'));
  store = join(work, 'store');
  dc = await saveState(dc);
  saved = true;
  // AD (and Samba) only rename objects in the configuration partition whose
  // systemFlags carry FLAG_CONFIG_ALLOW_RENAME (0x40000000), and only the
  // system may set systemFlags after creation. Give the storage group the test
  // renames that flag offline (ldbmodify on sam.ldb runs as system), before
  // the first snapshot, so it is part of the baseline.
  await stopDc(dc, { keep: true });
  const ldif = join(work, 'allow-rename.ldif');
  await writeFile(ldif, `dn: ${RENAMED_SG_DN(dc)}\nchangetype: modify\nreplace: systemFlags\nsystemFlags: 1073741824\n`);
  await run('ldbmodify', ['-H', join(dc.workDir, 'private', 'sam.ldb'), ldif]);
  dc = await restartDc(dc);
}, 120_000);

afterAll(async () => {
  if (saved) dc = await restoreState(dc);
  await rm(work, { recursive: true, force: true });
}, 120_000);

describe('snapshot job against a real DC', () => {
  let first: Snapshot;

  it('first run accepted, an unchanged directory gives exit 0 and an empty report', async () => {
    const r1 = await runSnapshotJob({ store, harvestFn: harvestFn(), renderFn, accept: true });
    expect(r1.exitCode, r1.messages.join('\n')).toBe(0);
    first = JSON.parse(await readFile(join(store, 'snapshots', (await readdir(join(store, 'snapshots')))[0]!), 'utf8'));
    expect(first.organization.name).toBe(dc.org.name);
    const { stdout } = await run('pdftotext', ['-layout', join(store, 'binder/latest.pdf'), '-']);
    expect(stdout).toContain(dc.org.name);
    expect(stdout).toContain('EX2016');

    const r2 = await runSnapshotJob({ store, harvestFn: harvestFn(), renderFn });
    expect(r2.exitCode, r2.messages.join('\n')).toBe(0);
    expect(r2.snapshotId).toBe(r1.snapshotId);
    expect(r2.drift?.changes).toEqual([]);
    expect(await readFile(join(store, 'drift/latest.md'), 'utf8')).toContain('No drift');
  }, 180_000);

  it('reports exactly the changes an admin made, with their severities, and exits 1', async () => {
    const db = first.databases.find((d) => d.name === 'DB2010-02')!;
    const sg = first.storageGroups.find((s) => s.dn.toLowerCase() === RENAMED_SG_DN(dc).toLowerCase())!;
    const vdir = first.virtualDirectories.find((v) => v.kind === 'owa' && v.externalUrl !== null) ?? first.virtualDirectories.find((v) => v.externalUrl !== null)!;
    const counted = first.databases.find((d) => d.name === 'DB2010-01')!;
    const ex2016 = first.servers.find((s) => s.name === 'EX2016')!;
    const serversContainer = ex2016.dn.slice(ex2016.dn.indexOf(',') + 1);
    const usersOu = `OU=Mailboxes,${dc.baseDn}`;
    expect([db, sg, vdir, counted].every(Boolean)).toBe(true);

    await ldapmodify(`dn: ${db.dn}
changetype: modify
replace: msExchEDBFile
msExchEDBFile: G:\\Moved\\DB2010-02.edb
-

dn: CN=EXNEW01,${serversContainer}
changetype: add
objectClass: msExchExchangeServer
serialNumber: Version 15.2 (Build 31544.4)
msExchCurrentServerRoles: 16439
msExchInstallPath: D:\\Exchange Server\\V15
networkAddress: ncacn_ip_tcp:exnew01.${dc.realm.toLowerCase()}

dn: ${sg.dn}
changetype: modrdn
newrdn: CN=SG1 Mailboxes
deleteoldrdn: 1

dn: ${vdir.dn}
changetype: modify
replace: msExchExternalHostName
msExchExternalHostName: https://webmail.changed.example/${vdir.kind}

dn: CN=Drift Test User,${usersOu}
changetype: add
objectClass: user
sAMAccountName: drifttest
userPrincipalName: drifttest@${dc.realm.toLowerCase()}
homeMDB: ${counted.dn}
`);

    const r = await runSnapshotJob({ store, harvestFn: harvestFn(), renderFn });
    expect(r.exitCode, r.messages.join('\n')).toBe(1);
    const changes = r.drift!.changes;
    expect(summary(changes)).toEqual(
      [
        `critical changed databases DB2010-02 edbFilePath`,
        `critical added servers EXNEW01`,
        `critical renamed storageGroups SG1 Mailboxes name`,
        `critical changed virtualDirectories ${vdir.name} externalUrl`,
        `info changed databases DB2010-01 mailboxCount`,
      ].sort(),
    );
    expect(changes.find((c) => c.field === 'edbFilePath')).toMatchObject({ old: db.edbFilePath, new: 'G:\\Moved\\DB2010-02.edb' });
    expect(changes.find((c) => c.kind === 'renamed')).toMatchObject({ guid: sg.guid, old: 'First Storage Group', new: 'SG1 Mailboxes' });
    expect(changes.find((c) => c.field === 'externalUrl')).toMatchObject({ guid: vdir.guid, old: vdir.externalUrl, new: `https://webmail.changed.example/${vdir.kind}` });
    expect(changes.find((c) => c.field === 'mailboxCount')).toMatchObject({ old: counted.mailboxCount, new: (counted.mailboxCount ?? 0) + 1 });
    expect([r.drift!.critical, r.drift!.info]).toEqual([4, 1]);
    const md = await readFile(r.driftFiles!.md, 'utf8');
    expect(md).toMatch(/\*\*Drift: 4 critical changes, 1 informational change;/);
    // the known good is still the first snapshot until someone accepts
    expect((await readFile(join(store, 'known-good'), 'utf8')).trim()).toBe(snapshotId(first));
  }, 180_000);

  it('a DC killed in the middle of a harvest leaves the store as it was but for a failure record (exit 2)', async () => {
    const before = await files(store);
    let killedAfter = 0;
    const killMidSearch = (d: Directory): Directory => ({
      description: d.description,
      kind: d.kind,
      rootDse: () => d.rootDse(),
      close: () => d.close(),
      async *search(req) {
        for await (const e of d.search(req)) {
          yield e;
          // the first page has arrived: the DC dies before the next one
          if (killedAfter === 0) {
            killedAfter = 1;
            await killDc(dc);
          }
        }
      },
    });
    try {
      const r = await runSnapshotJob({
        store,
        harvestFn: harvestFn({ pageSize: 5, wrap: killMidSearch }),
        renderFn,
        accept: true,
      });
      expect(killedAfter).toBe(1);
      expect(r.exitCode).toBe(2);
      expect(r.messages[0]).toMatch(/^harvest failed: /);
      expect(r.messages[0]).not.toContain(dc.readerPassword);
    } finally {
      dc = await restartDc(dc);
    }
    const after = await files(store);
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added).toEqual([expect.stringMatching(/^failures\/\d{8}T\d{6}Z-[0-9a-f]{6}\.json$/)]);
    for (const [k, v] of before) if (k !== 'last-run.json') expect(after.get(k), k).toBe(v);
    expect(JSON.parse(after.get('last-run.json')!)).toMatchObject({ exitCode: 2, snapshotId: null });
    const record = JSON.parse(after.get(added[0]!)!);
    expect(record).toMatchObject({ stage: 'harvest' });
    expect(JSON.stringify(record)).not.toContain(dc.readerPassword);
  }, 180_000);
});

/**
 * The nightly job as an operator runs it: the built CLI, a config file with
 * hooks (a real shell script that records its environment), a git store, and
 * the contoso test DC changed with ldapmodify between runs. Then the two
 * fixture organizations from one inventory with --all, and a store fed the
 * wrong organization.
 *
 * The DC change is wrapped in saveState/restoreState so later files see the
 * fixture unchanged.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DcContext, restoreState, saveState } from '../../dc/samba.js';

const CLI = resolve('dist/cli/main.js');
const run = promisify(execFile);
let dc: DcContext = inject('dc');
const dc2: DcContext = inject('dc2');

interface Run { code: number; stdout: string; stderr: string }

let work: string;
let hookLog: string;

function exbinder(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    const child = execFile(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOOK_LOG: hookLog, ...env },
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }));
    child.stdin?.end();
  });
}

/** The hooks that fired so far, in order: event and the EXBINDER_* environment each saw. */
function hooksFired(): { event: string; env: Record<string, string> }[] {
  return readdirSync(hookLog).sort().map((f) => {
    const env: Record<string, string> = {};
    for (const line of readFileSync(join(hookLog, f), 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
    }
    return { event: env['EXBINDER_EVENT'] ?? '?', env };
  });
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir }).toString();

function config(name: string, ctx: DcContext, store: string, extra: string[] = []): string {
  const file = join(work, name);
  writeFileSync(file, [
    `url: ${ctx.ldapsUrl}`, `bindDn: ${ctx.readerUpn}`, `passwordFile: ${ctx.passwordFile}`, `caFile: ${ctx.caFile}`, `store: ${store}`,
    'git: true',
    'hooks:',
    '  drift: sh hook.sh',
    '  warning: sh hook.sh',
    '  failure: sh hook.sh',
    '  accept: sh hook.sh',
    '  timeout: 20',
    ...extra,
  ].join('\n') + '\n');
  return file;
}

async function ldapmodify(ldif: string): Promise<void> {
  const pw = join(work, 'admin.pw');
  writeFileSync(pw, dc.adminPassword, { mode: 0o600 });
  const file = join(work, `change-${Date.now()}.ldif`);
  writeFileSync(file, ldif);
  await run('ldapmodify', ['-H', dc.ldapsUrl, '-x', '-D', dc.adminUpn, '-y', pw, '-f', file], { env: { ...process.env, LDAPTLS_CACERT: dc.caFile } });
}

let saved = false;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm test (it builds first)`);
  work = mkdtempSync(join(tmpdir(), 'exbinder-nightly-'));
  hookLog = join(work, 'hook-log');
  execFileSync('mkdir', [hookLog]);
  // the hook an operator would write, minus the mail: it records what it was told
  writeFileSync(join(work, 'hook.sh'), [
    '#!/bin/sh',
    'n=$(ls "$HOOK_LOG" | wc -l)',
    'env | grep "^EXBINDER_" | sort > "$HOOK_LOG/$(printf %02d "$n")-$EXBINDER_EVENT.env"',
    'echo "notified: $EXBINDER_SUBJECT"',
  ].join('\n') + '\n');
}, 120_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('the nightly sequence against the contoso DC', () => {
  beforeAll(async () => {
    dc = await saveState(dc);
    saved = true;
  }, 120_000);
  // the next describe (and later files) see the fixture as it was
  afterAll(async () => {
    if (saved) dc = await restoreState(dc);
    saved = false;
  }, 120_000);

  let store: string;
  let cfg: string;
  const ids: string[] = [];

  it('snapshot, accept, change in AD, snapshot, snapshot again, accept: exit codes, hooks, warnings, git history', async () => {
    store = join(work, 'contoso-store');
    cfg = config('contoso.yaml', dc, store, ['failOnWarning: new']);
    // EXBINDER_PASSWORD is in the job's environment: a hook must never see it
    const env = { EXBINDER_PASSWORD: dc.readerPassword };

    // 1. first night: no known good yet; the fixture's standing warnings (where the recovery needs care:
    // Scripting Agent enabled, an RSG, a witness not in AD DNS, a 2007 CMS) are new, so failOnWarning new exits 3
    const first = await exbinder(['snapshot', '--config', cfg, '--json'], env);
    expect(first.code, first.stderr).toBe(3);
    const run1 = JSON.parse(first.stdout);
    expect(run1).toMatchObject({ exitCode: 3, organization: { name: 'Contoso' }, knownGood: null, warnings: { known: [] } });
    const standing = run1.warnings.new.map((w: { code: string }) => w.code).sort();
    expect(standing).toEqual(['clustered-mailbox-server', 'recovery-storage-group', 'scripting-agent-enabled', 'witness-not-in-ad-dns']);
    ids.push(run1.snapshotId);
    expect(hooksFired().map((f) => f.event)).toEqual(['warning']);

    // 2. the admin reads the binder and accepts (id prefix of 6)
    const tooShort = await exbinder(['accept', '--config', cfg, '0']);
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toMatch(/^exbinder: snapshot id '0' is too short or not hexadecimal: give at least 6 characters/);
    const accept1 = await exbinder(['accept', '--config', cfg, ids[0]!.slice(0, 6)], env);
    expect(accept1.code, accept1.stderr).toBe(0);
    expect(accept1.stderr).toMatch(new RegExp(`^tagged accepted-\\d{8}T\\d{6}Z-${ids[0]} in the store git repository$`, 'm'));

    // 3. a new Exchange server appears in AD, without computer account or DNS record
    const servers = JSON.parse(readFileSync(readdirSync(join(store, 'snapshots')).map((f) => join(store, 'snapshots', f))[0]!, 'utf8'))
      .servers.find((s: { name: string }) => s.name === 'EX2016').dn.replace(/^CN=EX2016,/, '');
    await ldapmodify(`dn: CN=EXNEW01,${servers}
changetype: add
objectClass: msExchExchangeServer
serialNumber: Version 15.2 (Build 31544.4)
msExchCurrentServerRoles: 16439
msExchInstallPath: D:\\Exchange Server\\V15
networkAddress: ncacn_ip_tcp:exnew01.${dc.realm.toLowerCase()}
`);

    // 4. next night: critical drift (exit 1, drift wins over the new warnings) and both hooks, once
    const second = await exbinder(['snapshot', '--config', cfg], env);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(/^Contoso: Drift: 1 critical/m);
    expect(second.stderr).toMatch(/^warning \(new\): no-computer-account: EXNEW01: /m);
    const last2 = JSON.parse(readFileSync(join(store, 'last-run.json'), 'utf8'));
    ids.push(last2.snapshotId);
    expect(last2).toMatchObject({ exitCode: 1, organization: { name: 'Contoso' }, snapshotId: ids[1], knownGood: ids[0], critical: 1 });
    const newCodes = last2.warnings.new.map((w: { code: string }) => w.code).sort();
    expect(newCodes).toContain('no-computer-account');
    expect(last2.warnings.new.every((w: { message: string }) => w.message.startsWith('EXNEW01'))).toBe(true);
    expect(last2.warnings.known.map((w: { code: string }) => w.code).sort()).toEqual(standing);
    expect(last2.hooks.map((h: { event: string; exitCode: number }) => [h.event, h.exitCode])).toEqual([['drift', 0], ['warning', 0]]);
    const md = readFileSync(join(store, 'drift/latest.md'), 'utf8');
    expect(md).toMatch(/^# Exchange configuration drift: Contoso\n/);
    expect(md).toContain('### New since the known good');
    expect(readFileSync(join(store, 'hooks/drift.log'), 'utf8')).toContain('notified: exbinder Contoso: 1 critical change, the recovery binder is out of date');

    // 5. the night after, nothing new: same exit code, no hook fires again
    const third = await exbinder(['snapshot', '--config', cfg], env);
    expect(third.code, third.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(store, 'last-run.json'), 'utf8')).hooks).toEqual([]);

    // 6. the change was intended: accept it
    const accept2 = await exbinder(['accept', '--config', cfg], env);
    expect(accept2.code, accept2.stderr).toBe(0);

    // 7. and the night after that: the warnings are known now (failOnWarning new does not trip), no drift
    const fourth = await exbinder(['snapshot', '--config', cfg, '--json'], env);
    expect(fourth.code, fourth.stderr).toBe(0);
    const run4 = JSON.parse(fourth.stdout);
    expect(run4.warnings.new).toEqual([]);
    expect(run4.warnings.known.map((w: { code: string }) => w.code).sort()).toEqual([...standing, ...newCodes].sort());
    // ... which --fail-on-warning any still reports as exit 3
    expect((await exbinder(['snapshot', '--config', cfg, '--fail-on-warning', 'any'], env)).code).toBe(3);

    // the hooks, in order, with the contract's environment
    // (the first night's warning hook for the standing warnings left out)
    const fired = hooksFired().slice(1);
    expect(fired.map((f) => f.event)).toEqual(['accept', 'drift', 'warning', 'accept']);
    const guid = run1.organization.guid;
    expect(fired[0]!.env).toMatchObject({ EXBINDER_ORG: 'Contoso', EXBINDER_ORG_GUID: guid, EXBINDER_SNAPSHOT_ID: ids[0], EXBINDER_KNOWN_GOOD_ID: ids[0], EXBINDER_PREVIOUS_KNOWN_GOOD_ID: '', EXBINDER_STORE: store });
    expect(fired[1]!.env).toMatchObject({
      EXBINDER_EVENT: 'drift', EXBINDER_ORG: 'Contoso', EXBINDER_ORG_GUID: guid, EXBINDER_STORE: store,
      EXBINDER_SNAPSHOT_ID: ids[1], EXBINDER_KNOWN_GOOD_ID: ids[0], EXBINDER_CRITICAL: '1', EXBINDER_EXIT_CODE: '1',
      EXBINDER_DRIFT_MD: join(store, 'drift/latest.md'), EXBINDER_DRIFT_JSON: join(store, 'drift/latest.json'),
      EXBINDER_BINDER_PDF: join(store, 'binder/latest.pdf'), EXBINDER_LAST_RUN: join(store, 'last-run.json'),
      EXBINDER_WARNINGS_NEW: String(newCodes.length),
      EXBINDER_SUBJECT: 'exbinder Contoso: 1 critical change, the recovery binder is out of date',
    });
    expect(fired[2]!.env).toMatchObject({ EXBINDER_EVENT: 'warning', EXBINDER_WARNINGS_NEW: String(newCodes.length), EXBINDER_SUBJECT: `exbinder Contoso: ${newCodes.length} new harvest warning${newCodes.length === 1 ? '' : 's'}` });
    expect(fired[3]!.env).toMatchObject({ EXBINDER_EVENT: 'accept', EXBINDER_SNAPSHOT_ID: ids[1], EXBINDER_PREVIOUS_KNOWN_GOOD_ID: ids[0] });
    for (const f of fired) expect(Object.keys(f.env)).not.toContain('EXBINDER_PASSWORD');
    expect(JSON.stringify(fired)).not.toContain(dc.readerPassword);

    // git: a commit per change of snapshot or known good, none for the unchanged nights; accepts tagged
    const log = git(store, 'log', '--format=%s').trim().split('\n').reverse();
    expect(log).toEqual([
      expect.stringMatching(new RegExp(`^Contoso: snapshot ${ids[0]} harvested .*: no known good$`)),
      expect.stringMatching(new RegExp(`^Contoso: accept ${ids[0]} \\(harvested .*\\) as known good$`)),
      expect.stringMatching(new RegExp(`^Contoso: snapshot ${ids[1]} harvested .*: 1 critical, 0 info vs ${ids[0]}$`)),
      expect.stringMatching(new RegExp(`^Contoso: accept ${ids[1]} \\(harvested .*\\) as known good$`)),
    ]);
    expect(git(store, 'tag').trim().split('\n').map((t) => t.replace(/^accepted-\d{8}T\d{6}Z-/, ''))).toEqual([ids[0], ids[1]]);
    const change = git(store, 'show', '--format=', '--stat', 'HEAD~1');
    expect(change).toMatch(/config\/servers\.json/);
    expect(change).not.toMatch(/binder|latest\.pdf|last-run/);
    expect(git(store, 'show', 'HEAD~1', '--', 'config/servers.json')).toMatch(/^\+\s+"name": "EXNEW01",$/m);
    expect(git(store, 'ls-files')).not.toMatch(/\.pdf|snapshots\//);
  }, 600_000);

  it('a stale lock left by a dead process is taken over and the run says so', async () => {
    // a pid that surely is not running: a child that already exited
    const dead = execFileSync(process.execPath, ['-e', 'console.log(process.pid)']).toString().trim();
    writeFileSync(join(store, 'store.lock'), JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), startedAt: new Date().toISOString() }) + '\n');
    const r = await exbinder(['snapshot', '--config', cfg]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^took over the store lock of pid ${dead} on .*: that process is gone$`, 'm'));
    expect(existsSync(join(store, 'store.lock'))).toBe(false);
  }, 180_000);

  it('a config pointing the fabrikam DC at the contoso store is refused in one line, recorded, and changes nothing', async () => {
    const before = git(store, 'rev-parse', 'HEAD');
    const known = readFileSync(join(store, 'known-good'), 'utf8');
    const pdf = readFileSync(join(store, 'binder/latest.pdf'));
    const hooksBefore = hooksFired().length;
    const wrong = config('wrong.yaml', dc2, store);
    const r = await exbinder(['snapshot', '--config', wrong]);
    expect(r.code).toBe(2);
    const [line, record] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`^the store ${store} belongs to organization Contoso \\(objectGUID [0-9a-f-]{36}\\), but this run read Fabrikam \\(objectGUID [0-9a-f-]{36}\\) from ldaps://`));
    expect(record).toMatch(/^failure recorded in .*\/failures\/\d{8}T\d{6}Z-[0-9a-f]{6}\.json; the known good snapshot and the latest binder are unchanged$/);
    expect(readFileSync(join(store, 'known-good'), 'utf8')).toBe(known);
    expect(readFileSync(join(store, 'binder/latest.pdf')).equals(pdf)).toBe(true);
    expect(git(store, 'rev-parse', 'HEAD')).toBe(before);
    const last = JSON.parse(readFileSync(join(store, 'last-run.json'), 'utf8'));
    expect(last).toMatchObject({ exitCode: 2, organization: { name: 'Fabrikam' }, snapshotId: null });
    const failure = hooksFired().slice(hooksBefore);
    expect(failure.map((f) => [f.event, f.env['EXBINDER_FAILURE_STAGE'], f.env['EXBINDER_FAILURE_CODE'], f.env['EXBINDER_EXIT_CODE']])).toEqual([['failure', 'organization', 'store-foreign-org', '2']]);
    expect(failure[0]!.env['EXBINDER_FAILURE_FILE']).toBe(last.files.failure);
  }, 180_000);
});

describe('an inventory of both fixture organizations with --all', () => {
  it('runs each into its own store, one line per organization, a summary, exit code the worst', async () => {
    const inv = join(work, 'inventory.yaml');
    const conn = (ctx: DcContext) => [`    url: ${ctx.ldapsUrl}`, `    bindDn: ${ctx.readerUpn}`, `    passwordFile: ${ctx.passwordFile}`, `    caFile: ${ctx.caFile}`];
    writeFileSync(inv, [
      'root: stores',
      'parallel: 2',
      'defaults:',
      '  keep: 10',
      'organizations:',
      '  - name: contoso', ...conn(dc),
      '  - name: fabrikam', ...conn(dc2),
    ].join('\n') + '\n');
    const r = await exbinder(['snapshot', '--all', '--inventory', inv, '--accept']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      // contoso's standing warnings (recovery needs care) are new in a fresh store
      expect.stringMatching(/^contoso {3}ok {7}exit 0 {2}Contoso: 0 critical, 0 info, 4 new warnings$/),
      expect.stringMatching(/^fabrikam {2}ok {7}exit 0 {2}Fabrikam: 0 critical, 0 info, \d+ new warnings?$/),
      '2 organizations: 2 ok, 0 with drift, 0 with warnings, 0 failed; exit 0',
    ]);
    for (const [name, org] of [['contoso', 'Contoso'], ['fabrikam', 'Fabrikam']]) {
      expect(JSON.parse(readFileSync(join(work, 'stores', name!, 'organization.json'), 'utf8')).name).toBe(org);
      expect(readFileSync(join(work, 'stores', name!, 'known-good'), 'utf8')).toMatch(/^[0-9a-f]{16}\n$/);
    }

    // a third organization whose DC is unreachable makes the whole run exit 2; the others still run
    writeFileSync(inv, readFileSync(inv, 'utf8') + ['  - name: broken', '    url: ldaps://127.0.0.1:1', `    bindDn: x@y`, `    passwordFile: ${dc.passwordFile}`].join('\n') + '\n');
    const again = await exbinder(['snapshot', '--all', '--inventory', inv, '--json']);
    expect(again.code).toBe(2);
    const summary = again.stderr.trim().split('\n');
    expect(summary[0]).toMatch(/^contoso {3}ok {7}exit 0 {2}Contoso: No drift|^contoso {3}ok {7}exit 0 {2}Contoso: 0 critical/);
    expect(summary[2]).toMatch(/^broken {4}FAILED {3}exit 2 {2}harvest failed: /);
    expect(summary[3]).toBe('3 organizations: 2 ok, 0 with drift, 0 with warnings, 1 failed; exit 2');
    const runs = JSON.parse(again.stdout);
    expect(runs.map((x: { name: string; exitCode: number }) => [x.name, x.exitCode])).toEqual([['contoso', 0], ['fabrikam', 0], ['broken', 2]]);
    expect(existsSync(join(work, 'stores', 'broken', 'failures'))).toBe(true);
  }, 600_000);
});

/**
 * Hooks: when they fire (pure decision), and a real shell process per hook:
 * its environment, its output, its timeout.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dueHooks, HOOK_ENV, hookEnv, hookSubject, runHook } from '../../../src/run/hooks.js';
import { acceptSnapshot, runSnapshotJob, type RenderFn } from '../../../src/run/snapshot-job.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-hooks-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('dueHooks', () => {
  const facts = { critical: 2, knownGood: 'aaaa', snapshotId: 'bbbb', newWarnings: [] as string[] };

  it('fires drift once per drift state, again when the state changes, and forgets a settled state', () => {
    const first = dueHooks({}, facts, 'change', '2026-11-02T05:15:00Z');
    expect(first.due).toEqual([{ event: 'drift', key: 'aaaa..bbbb' }]);
    const state = { drift: { key: 'aaaa..bbbb', firedAt: '2026-11-02T05:15:00Z' } };
    expect(dueHooks(state, facts, 'change', '2026-11-03T05:15:00Z').due).toEqual([]);
    expect(dueHooks(state, { ...facts, snapshotId: 'cccc' }, 'change', '2026-11-03T05:15:00Z').due).toEqual([{ event: 'drift', key: 'aaaa..cccc' }]);
    const settled = dueHooks(state, { ...facts, critical: 0 }, 'change', '2026-11-03T05:15:00Z');
    expect(settled).toEqual({ due: [], next: {} });
  });

  it('repeat: daily fires again on the next UTC day only', () => {
    const state = { drift: { key: 'aaaa..bbbb', firedAt: '2026-11-02T05:15:00Z' } };
    expect(dueHooks(state, facts, 'daily', '2026-11-02T23:59:00Z').due).toEqual([]);
    expect(dueHooks(state, facts, 'daily', '2026-11-03T00:01:00Z').due).toEqual([{ event: 'drift', key: 'aaaa..bbbb' }]);
  });

  it('fires warning per set of new warnings, in any order', () => {
    const a = dueHooks({}, { ...facts, critical: 0, newWarnings: ['x', 'y'] }, 'change', '2026-11-02T05:15:00Z');
    expect(a.due.map((d) => d.event)).toEqual(['warning']);
    const state = { warning: { key: a.due[0]!.key, firedAt: '2026-11-02T05:15:00Z' } };
    expect(dueHooks(state, { ...facts, critical: 0, newWarnings: ['y', 'x'] }, 'change', '2026-11-03T05:15:00Z').due).toEqual([]);
    expect(dueHooks(state, { ...facts, critical: 0, newWarnings: ['y', 'x', 'z'] }, 'change', '2026-11-03T05:15:00Z').due.map((d) => d.event)).toEqual(['warning']);
  });
});

describe('hookSubject (the mail subject)', () => {
  it('counts in words and names the organization', () => {
    expect(hookSubject('drift', 'Contoso', { critical: 1 })).toBe('exbinder Contoso: 1 critical change, the recovery binder is out of date');
    expect(hookSubject('drift', 'Contoso', { critical: 3 })).toBe('exbinder Contoso: 3 critical changes, the recovery binder is out of date');
    expect(hookSubject('warning', null, { warningsNew: 1 })).toBe('exbinder unknown organization: 1 new harvest warning');
    expect(hookSubject('warning', 'Contoso', { warningsNew: 2 })).toBe('exbinder Contoso: 2 new harvest warnings');
    // a count the caller left out reads as none, never as "undefined critical changes"
    expect(hookSubject('drift', 'Contoso', {})).toBe('exbinder Contoso: 0 critical changes, the recovery binder is out of date');
  });
});

describe('runHook (a real shell)', () => {
  it('passes the contract variables, never EXBINDER_PASSWORD, and captures the output', async () => {
    const saved = process.env['EXBINDER_PASSWORD'];
    process.env['EXBINDER_PASSWORD'] = 'Pa55word!';
    try {
      const r = await runHook('drift', 'echo "org=$EXBINDER_ORG pw=${EXBINDER_PASSWORD-unset} info=[$EXBINDER_INFO]"; env | grep -c "^EXBINDER_"; exit 4', hookEnv({ EXBINDER_EVENT: 'drift', EXBINDER_ORG: 'Contoso' }), 10_000, dir);
      expect(r.exitCode).toBe(4);
      expect(r.timedOut).toBe(false);
      expect(r.output).toBe(`org=Contoso pw=unset info=[]\n${HOOK_ENV.length}\n`);
    } finally {
      if (saved === undefined) delete process.env['EXBINDER_PASSWORD'];
      else process.env['EXBINDER_PASSWORD'] = saved;
    }
  });

  it('kills a hook (and its children) at the timeout', async () => {
    const started = Date.now();
    const r = await runHook('failure', 'echo started; sleep 30; echo never', hookEnv({}), 500, dir);
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.output).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('the job fires hooks', () => {
  const render: RenderFn = async (s) => ({ markdown: `# ${s.organization.name}\n`, pdf: Buffer.from('%PDF-1.4\n') });
  const harvestOf = (s: Snapshot) => async () => structuredClone(s);
  const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T06:00:00Z`;

  it('a failing drift hook is reported and tried again the next night; a succeeding one is not repeated', async () => {
    const flag = join(dir, 'hook-ok');
    const hooks = { drift: `echo "$EXBINDER_SUBJECT" | tee -a ${join(dir, 'sent')}; test -f ${flag}` };
    const s1 = reharvest(sampleSnapshot(), day(1));
    await runSnapshotJob({ store: join(dir, 'store'), harvestFn: harvestOf(s1), renderFn: render, accept: true, hooks });
    const s2 = reharvest(s1, day(2));
    byName(s2.databases, 'DB02').edbFilePath = 'H:\\DB02\\DB02.edb';
    const night = async (d: number) => runSnapshotJob({ store: join(dir, 'store'), harvestFn: harvestOf(reharvest(s2, day(d))), renderFn: render, hooks, now: () => new Date(day(d)) });

    const failed = await night(2);
    expect(failed.exitCode).toBe(1);
    expect(failed.messages).toContain(`hook drift failed (exit 1); its output is in ${join(dir, 'store', 'hooks', 'drift.log')}`);
    expect(await readFile(join(dir, 'store', 'hooks', 'drift.log'), 'utf8')).toMatch(/^# 2026-11-02T06:00:00.000Z hook drift: echo .*\n# exit 1 after \d+ ms\nexbinder Contoso Zürich Ärzte: 1 critical change, the recovery binder is out of date\n$/);
    await writeFile(flag, '');
    expect((await night(3)).lastRun.hooks.map((h) => [h.event, h.exitCode])).toEqual([['drift', 0]]);
    expect((await night(4)).lastRun.hooks).toEqual([]);
    expect((await readFile(join(dir, 'sent'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('warnings: new ones against the known good, exit 3 only when asked, drift wins over warnings', async () => {
    const store = join(dir, 'store');
    const s1 = reharvest(sampleSnapshot(), day(1));
    s1.metadata.warnings = [];
    await runSnapshotJob({ store, harvestFn: harvestOf(s1), renderFn: render, accept: true });
    const s2 = reharvest(s1, day(2));
    s2.metadata.warnings = [{ code: 'cert-expiring', message: 'EX2016 certificate expires on 2026-12-01, within 30 days', dn: 'CN=EX2016' }];
    const plain = await runSnapshotJob({ store, harvestFn: harvestOf(s2), renderFn: render });
    expect(plain.exitCode).toBe(0);
    expect(plain.messages).toContain('warning (new): cert-expiring: EX2016 certificate expires on 2026-12-01, within 30 days');
    expect(plain.lastRun.warnings).toEqual({ new: s2.metadata.warnings, known: [] });
    expect(plain.drift?.warnings).toEqual({ new: s2.metadata.warnings, known: [], resolved: [] });
    expect(await readFile(join(store, 'drift', 'latest.md'), 'utf8')).toContain('### New since the known good\n\n- `cert-expiring`: EX2016 certificate expires on 2026-12-01, within 30 days\n');
    expect((await runSnapshotJob({ store, harvestFn: harvestOf(s2), renderFn: render, failOnWarning: 'new' })).exitCode).toBe(3);
    // accepted as the CLI does it, after the night that saw the warning
    await acceptSnapshot(store);
    expect(JSON.parse(await readFile(join(store, 'known-good-warnings.json'), 'utf8'))).toEqual(s2.metadata.warnings);
    expect((await runSnapshotJob({ store, harvestFn: harvestOf(s2), renderFn: render, failOnWarning: 'new' })).exitCode).toBe(0);
    expect((await runSnapshotJob({ store, harvestFn: harvestOf(s2), renderFn: render, failOnWarning: 'any' })).exitCode).toBe(3);
    const s3 = reharvest(s2, day(3));
    byName(s3.databases, 'DB02').edbFilePath = 'H:\\DB02\\DB02.edb';
    s3.metadata.warnings.push({ code: 'no-fqdn', message: 'EX2003: no FQDN', dn: 'CN=EX2003' });
    expect((await runSnapshotJob({ store, harvestFn: harvestOf(s3), renderFn: render, failOnWarning: 'new' })).exitCode).toBe(1);
  });

  it('refuses another organization, records why, and leaves the store as it was', async () => {
    const store = join(dir, 'store');
    const s1 = reharvest(sampleSnapshot(), day(1));
    await runSnapshotJob({ store, harvestFn: harvestOf(s1), renderFn: render, accept: true });
    const other = reharvest(s1, day(2));
    other.organization = { ...other.organization, name: 'Fabrikam', guid: '00000000-0000-0000-0000-000000000001' };
    const r = await runSnapshotJob({ store, harvestFn: harvestOf(other), renderFn: render, accept: true, hooks: { failure: 'echo "$EXBINDER_FAILURE_STAGE $EXBINDER_ORG"' } });
    expect(r.exitCode).toBe(2);
    expect(r.messages[0]).toBe(
      `the store ${store} belongs to organization Contoso Zürich Ärzte (objectGUID ${s1.organization.guid}), but this run read Fabrikam (objectGUID 00000000-0000-0000-0000-000000000001) from ${s1.metadata.source.description}: point this organization at its own store (--store, or store in its config)`,
    );
    expect(await readFile(join(store, 'hooks', 'failure.log'), 'utf8')).toMatch(/\norganization Fabrikam\n$/);
    expect(JSON.parse(await readFile(join(store, 'organization.json'), 'utf8')).name).toBe('Contoso Zürich Ärzte');
  });
});

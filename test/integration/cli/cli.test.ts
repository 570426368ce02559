/**
 * The real command line, end to end: the built CLI (dist/cli/main.js, as
 * `npm test` builds it) against the contoso test DC. Exit codes, one-line
 * errors, atomic outputs, and that passwords never travel on argv.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const CLI = resolve('dist/cli/main.js');
const dc = inject('dc');

interface Run { code: number; stdout: string; stderr: string }

function exbinder(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    const child = execFile(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }));
    child.stdin?.end();
  });
}

const connect = () => ['--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.readerUpn, '--password-file', dc.passwordFile];
const lines = (s: string) => s.trim().split('\n').filter(Boolean);

let dir: string;
let snap: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm test (it builds first) or npx tsc -p tsconfig.json`);
  dir = mkdtempSync(join(tmpdir(), 'exbinder-cli-'));
  snap = join(dir, 'contoso.json');
  const r = await exbinder(['harvest', ...connect(), '--out', snap]);
  expect(r.stderr).toMatch(/^harvested Contoso: 8 servers, 6 storage groups, 12 databases, 1 DAGs/m);
  expect(r.code).toBe(0);
});

describe('exbinder harvest', () => {
  it('writes a valid snapshot of the live DC over LDAPS', () => {
    const s = JSON.parse(readFileSync(snap, 'utf8'));
    expect(s.schemaVersion).toBe(5);
    expect(s.organization.name).toBe('Contoso');
    expect(s.metadata.source).toEqual({ kind: 'ldap', description: dc.ldapsUrl, domainController: dc.host });
    expect(JSON.stringify(s)).not.toContain(dc.readerPassword);
  });

  it('over StartTLS (ldap:// defaults to it) gives the same body', async () => {
    const out = join(dir, 'starttls.json');
    const r = await exbinder(['harvest', ...connect().map((a) => (a === dc.ldapsUrl ? dc.ldapUrl : a)), '--out', out]);
    expect(r.code).toBe(0);
    const body = (f: string) => { const { metadata: _m, ...b } = JSON.parse(readFileSync(f, 'utf8')); return b; };
    expect(body(out)).toEqual(body(snap));
  });

  it('takes the password from EXBINDER_PASSWORD', async () => {
    const out = join(dir, 'env.json');
    const args = connect().slice(0, 6);
    const r = await exbinder(['harvest', ...args, '--out', out], { EXBINDER_PASSWORD: dc.readerPassword });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('has no way to pass a password on the command line', async () => {
    const r = await exbinder(['harvest', ...connect(), '--password', 'x', '--out', join(dir, 'no.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--password'/);
  });

  it('a failed harvest is one line, exit 2, and leaves the existing snapshot untouched (no temp files)', async () => {
    const out = join(dir, 'keep.json');
    writeFileSync(out, 'previous snapshot\n');
    const bad = join(dir, 'wrong-password');
    writeFileSync(bad, 'not-the-password\n', { mode: 0o600 });
    const r = await exbinder(['harvest', '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.readerUpn, '--password-file', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^exbinder: bind as .* failed: invalid credentials .*52e/);
    expect(readFileSync(out, 'utf8')).toBe('previous snapshot\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('without the CA file the certificate is not trusted and the error says how to fix it', async () => {
    const r = await exbinder(['harvest', '--url', dc.ldapsUrl, '--bind-dn', dc.readerUpn, '--password-file', dc.passwordFile, '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^exbinder: TLS certificate of .* is not trusted .*--ca-file FILE/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('--no-starttls is refused by the hardened DC with a one-line hint', async () => {
    const args = connect().map((a) => (a === dc.ldapsUrl ? dc.ldapUrl : a));
    const r = await exbinder(['harvest', ...args, '--no-starttls', '--out', join(dir, 'plain.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^exbinder: warning: plain LDAP to .*unencrypted$/m);
    expect(r.stderr).toMatch(/^exbinder: .*refuses a simple bind over an unencrypted connection.*use ldaps:\/\/, or ldap:\/\/ without --no-starttls \(StartTLS\)/m);
  });

  it('malformed LDIF names file and line', async () => {
    const f = join(dir, 'bad.ldf');
    writeFileSync(f, 'dn: CN=x,DC=y\nthis line is wrong\n');
    const r = await exbinder(['harvest', '--ldif', f, '--out', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^exbinder: .*bad\.ldf:2: /);
  });
});

describe('exbinder render and diff', () => {
  it('renders Markdown and PDF of the harvested snapshot', async () => {
    for (const format of ['md', 'pdf']) {
      const out = join(dir, `binder.${format}`);
      const r = await exbinder(['render', snap, '--format', format, '--out', out, '--paper', 'letter']);
      expect(r.code).toBe(0);
      const head = readFileSync(out).subarray(0, 5).toString('latin1');
      expect(head).toBe(format === 'pdf' ? '%PDF-' : '<!-- ');
    }
    expect(readFileSync(join(dir, 'binder.md'), 'utf8')).toContain('EX2016');
  });

  it('diff exits 0 on identical snapshots and 1 on critical drift, with each format', async () => {
    expect((await exbinder(['diff', snap, snap])).code).toBe(0);
    const changed = join(dir, 'changed.json');
    const s = JSON.parse(readFileSync(snap, 'utf8'));
    const db = s.databases.find((d: { name: string }) => d.name === 'DB2016-01');
    db.edbFilePath = 'Z:\\Moved\\DB2016-01.edb';
    writeFileSync(changed, JSON.stringify(s));
    const text = await exbinder(['diff', snap, changed]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Z:\\Moved\\DB2016-01.edb');
    const json = await exbinder(['diff', snap, changed, '--format', 'json']);
    expect(JSON.parse(json.stdout).changes).toEqual([
      expect.objectContaining({ severity: 'critical', kind: 'changed', collection: 'databases', name: 'DB2016-01', field: 'edbFilePath', new: 'Z:\\Moved\\DB2016-01.edb' }),
    ]);
    const md = await exbinder(['diff', snap, changed, '--format', 'md']);
    expect(md.stdout).toMatch(/\| *critical|Critical/);
  });

  it('diff of a file that is not a snapshot is an error (exit 2)', async () => {
    const r = await exbinder(['diff', snap, join(dir, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^exbinder: cannot read snapshot .*missing\.json \(no such file\): check the path/);
  });
});

describe('exbinder snapshot / accept / history with a config file', () => {
  it('first run asks to accept; accepted run then shows no drift (exit 0)', async () => {
    const store = join(dir, 'store');
    const config = join(dir, 'exbinder.yaml');
    writeFileSync(config, [
      `url: ${dc.ldapsUrl}`, `bindDn: ${dc.readerUpn}`, `passwordFile: ${dc.passwordFile}`, `caFile: ${dc.caFile}`, `store: ${store}`,
    ].join('\n') + '\n');
    const first = await exbinder(['snapshot', '--config', config]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/no known good snapshot yet: .*exbinder accept --store/);
    const accept = await exbinder(['accept', '--store', store]);
    expect(accept.code).toBe(0);
    const second = await exbinder(['snapshot', '--config', config]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^Contoso: No drift: known good /m);
    const history = await exbinder(['history', '--store', store]);
    expect(lines(history.stdout).filter((l) => l.startsWith('*'))).toHaveLength(1);
    expect(existsSync(join(store, 'binder', 'latest.pdf'))).toBe(true);
  });

  it('a password key in the config file is refused', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, `url: ${dc.ldapsUrl}\npassword: hunter2\nstore: ${join(dir, 's2')}\n`);
    const r = await exbinder(['snapshot', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key 'password' is not allowed/);
  });
});

describe('exbinder check', () => {
  it('binds as the reader, says what it would document and writes nothing', async () => {
    const store = join(dir, 'check-store');
    const r = await exbinder(['check', ...connect(), '--store', store]);
    // exit 3: the fixture's standing warnings (recovery needs care), none about read rights
    expect(r.code, r.stderr).toBe(3);
    const out = lines(r.stderr);
    expect(out[0]).toMatch(new RegExp(`^bound and read ${dc.ldapsUrl.replace(/[.]/g, '\\.')} \\(\\d+ searches, \\d+ ms\\); nothing was written$`));
    expect(out[1]).toMatch(/^organization Contoso \(objectGUID [0-9a-f-]{36}\)$/);
    expect(out[2]).toBe('would document: 8 servers, 6 storage groups, 12 databases, 1 DAGs, 35 virtual directories, 10 receive connectors, 3 send connectors, 2 accepted domains, 1 domain controllers');
    expect(out).toContain('read rights: everything the harvest asks for was readable');
    expect(out.at(-1)).toBe(`store ${store}: does not exist yet; the first snapshot binds it to Contoso`);
    expect(existsSync(store)).toBe(false);
  });

  it('as an account denied read on the Exchange container: one line, exit 2', async () => {
    const r = await exbinder(['check', '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.deniedUpn], { EXBINDER_PASSWORD: dc.deniedPassword });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^exbinder: CN=Microsoft Exchange,.* exists but this account cannot read an Exchange organization under it: /)]);
  });
});

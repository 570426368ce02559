/**
 * The package as a user gets it: `npm pack` (prepack compiles) in a copy of
 * the sources, the tarball installed into an empty prefix, and the installed
 * `exbinder` run: --help, demo (its data ships in the package) and a harvest
 * from the contoso test DC. The README's relative links must resolve inside
 * the installed package.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const dc = inject('dc');
const ROOT = resolve('.');

let work: string;
let prefix: string;
let installed: string;
const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function exbinder(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(join(prefix, 'bin', 'exbinder'), args, { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOME: work }, cwd: work, timeout: 180_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'exbinder-pack-'));
  // a copy of what the package is made from, so prepack's build writes only here
  const src = join(work, 'src-copy');
  mkdirSync(src);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'LICENSE', 'src', 'scripts/precompile-templates.mjs', ...pkg.files.filter((f) => f !== 'dist' && !f.startsWith('src/'))]) {
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(ROOT, f), join(src, f), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: src, env: npmEnv, maxBuffer: 64 << 20 });
  const tarball = join(work, (JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[])[0]!.filename);
  prefix = join(work, 'prefix');
  mkdirSync(prefix);
  // an empty prefix: everything the tool needs must come with the tarball and its dependencies
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--omit=dev', tarball], { cwd: work, env: npmEnv, maxBuffer: 64 << 20 });
  installed = join(prefix, 'lib', 'node_modules', 'exbinder');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball, installed into an empty prefix', () => {
  it('ships the licence, the docs, the demo data and compiled code, and of src/ and test/ only the two READMEs the README links to', () => {
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    for (const f of ['dist/cli/main.js', 'dist/templates.precompiled.json', 'docs/scheduling.md', 'templates', 'fixtures/exports/contoso.ldif', 'fixtures/supplement.example.yaml']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'docs', 'fixtures', 'node_modules', 'package.json', 'src', 'templates', 'test']);
    expect([readdirSync(join(installed, 'src')), readdirSync(join(installed, 'src', 'harvest')), readdirSync(join(installed, 'test', 'dc'))]).toEqual([['harvest'], ['README.md'], ['README.md']]);
  });

  it("every relative link in the README resolves inside the installed package", () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((l) => !existsSync(join(installed, l)));
    expect(missing).toEqual([]);
  });

  it('exbinder --help', async () => {
    const r = await exbinder(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: exbinder \[options\] \[command\]/);
    expect(r.stdout).toContain('EXIT STATUS');
  });

  it('exbinder demo writes the demo binder from the data in the package', async () => {
    const out = join(work, 'demo');
    const r = await exbinder(['demo', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'contoso.snapshot.json'), 'utf8')).organization.name).toBe('Contoso');
    expect(readFileSync(join(out, 'contoso-binder.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readFileSync(join(out, 'contoso-binder.md'), 'utf8')).toContain('EX2016');
  }, 180_000);

  it('harvests the contoso test DC over LDAPS', async () => {
    const out = join(work, 'dc.json');
    const r = await exbinder(['harvest', '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.readerUpn, '--password-file', dc.passwordFile, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^harvested Contoso: 8 servers, 6 storage groups, 12 databases, 1 DAGs/m);
    expect(JSON.parse(readFileSync(out, 'utf8')).metadata.source.description).toBe(dc.ldapsUrl);
  }, 180_000);
});

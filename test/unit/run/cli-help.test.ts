/** CLI norms that need no DC: help sections, completion, id prefixes, stdin/stdout, flags that do not combine. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../../src/cli/program.js';
import { serialize } from '../../../src/snapshot/canonical.js';
import { sampleSnapshot } from '../snapshot/sample.js';

function capture(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const raw: (string | Uint8Array)[] = [];
  return {
    out, err, raw,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), write: (d: string | Uint8Array) => raw.push(d), readStdin: async () => stdin, isTTY: false, stderrTTY: false },
  };
}
const cli = (args: string[], stdin = '') => {
  const c = capture(stdin);
  return runCli(['node', 'exbinder', ...args], c.io).then((code) => ({ code, ...c }));
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-cli-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('help', () => {
  const commands = buildProgram(capture().io, () => undefined).commands.map((c) => c.name());

  it.each(commands)('%s --help has examples and an EXIT STATUS section', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/\nExamples:\n {2}\$ exbinder /);
    expect(text).toMatch(/\nEXIT STATUS\n {2}0 {2}/);
  });

  it('the top-level help documents the precedence of flags, environment and config', async () => {
    const r = await cli(['--help']);
    expect(r.out.join('\n')).toContain('in this order of precedence: command-line flags, then the\nenvironment');
  });

  it('no command suggests --starttls, an option that does not exist', async () => {
    for (const name of commands) expect((await cli([name, '--help'])).out.join('\n')).not.toMatch(/--starttls\b/);
  });
});

describe('completion', () => {
  it('bash: a script bash accepts, completing the commands and each command\'s options', async () => {
    const r = await cli(['completion', 'bash']);
    const script = String(r.raw.join(''));
    await writeFile(join(dir, 'c.bash'), script);
    const words = (line: string) =>
      execFileSync('bash', ['-c', `source ${join(dir, 'c.bash')}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _exbinder; echo "\${COMPREPLY[@]}"`]).toString().trim().split(' ');
    expect(words('exbinder sn')).toEqual(['snapshot']);
    expect(words('exbinder snapshot --fail')).toEqual(['--fail-on-warning']);
    expect(words('exbinder history --')).toEqual(expect.arrayContaining(['--store', '--config', '--json', '--quiet', '--verbose', '--help']));
  });
});

describe('ids, streams and flags', () => {
  it('refuses a snapshot id shorter than 6 characters', async () => {
    const r = await cli(['accept', '--store', dir, '0']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`exbinder: snapshot id '0' is too short or not hexadecimal: give at least 6 characters of an id from 'exbinder history --store ${dir}'`]);
  });

  it("render - reads the snapshot from stdin and --out - writes the binder to stdout", async () => {
    const r = await cli(['render', '-', '--format', 'md', '--out', '-'], serialize(sampleSnapshot()));
    expect(r.code).toBe(0);
    expect(String(r.raw.join(''))).toContain('EX2016');
    expect(r.err).toEqual(['binder for Contoso Zürich Ärzte written to standard output']);
  });

  it('harvest --out - writes the snapshot to stdout, the summary to stderr', async () => {
    const r = await cli(['harvest', '--ldif', 'fixtures/exports/contoso.ldif', '--out', '-']);
    expect(r.code).toBe(0);
    expect(JSON.parse(String(r.raw.join(''))).organization.name).toBe('Contoso');
    expect(r.err[1]).toMatch(/^snapshot [0-9a-f]{16} written to standard output$/);
  });

  it('-q keeps the job quiet but for warnings; history --json is JSON', async () => {
    const store = join(dir, 'store');
    const r = await cli(['-q', 'snapshot', '--ldif', 'fixtures/exports/contoso.ldif', '--store', store]);
    expect(r.code).toBe(0);
    // the export's only output: its warnings (where the recovery needs care)
    expect(r.err.length).toBeGreaterThan(0);
    expect(r.err.every((l) => l.startsWith('warning'))).toBe(true);
    const h = await cli(['history', '--store', store, '--json']);
    expect(JSON.parse(h.out.join('\n'))).toEqual([expect.objectContaining({ knownGood: false, comparedWith: null })]);
    const text = await cli(['history', '--store', store]);
    expect(text.out[0]).toMatch(/^ {2}ID {16}HARVESTED \(UTC\) {7}DRIFT/);
    expect(text.out.at(-1)).toMatch(/^Legend: \* marks the known good snapshot/);
  }, 60_000);

  it('--all takes its organizations from the inventory only', async () => {
    const r = await cli(['snapshot', '--all', '--inventory', join(dir, 'inv.yaml'), '--url', 'ldaps://dc1']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(["exbinder: --url does not go with --all: each organization's settings are in the inventory"]);
  });

  it('check reads and writes nothing', async () => {
    const r = await cli(['check', '--ldif', 'fixtures/exports/contoso.ldif', '--store', join(dir, 'nowhere')]);
    // exit 3: the export has warnings (Scripting Agent enabled, RSG, witness not in AD DNS, a 2007 CMS), none about rights
    expect(r.code).toBe(3);
    expect(r.err).toContain('warning: scripting-agent-enabled: the Scripting Agent is enabled: RecoverServer can fail; disable it (Disable-CmdletExtensionAgent "Scripting Agent") before setup and enable it again afterwards');
    expect(r.err[0]).toMatch(/^bound and read .*contoso\.ldif .*; nothing was written$/);
    expect(r.err).toContain('read rights: everything the harvest asks for was readable');
    expect(r.err.at(-1)).toBe(`store ${join(dir, 'nowhere')}: does not exist yet; the first snapshot binds it to Contoso`);
    await expect(readFile(join(dir, 'nowhere', 'known-good'))).rejects.toThrow(/ENOENT/);
  }, 30_000);
});

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { promptHidden, resolvePassword } from '../../../src/source/credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'exbinder-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function pwFile(name: string, content: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
}

async function failure(p: Promise<unknown>): Promise<ExbinderError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ExbinderError);
  return e as ExbinderError;
}

describe('resolvePassword', () => {
  it('reads a file and strips exactly one trailing newline', async () => {
    const warnings: string[] = [];
    expect(await resolvePassword({ passwordFile: pwFile('a', 'S3cret!\n'), env: 'env-pw', onWarning: (m) => warnings.push(m) })).toBe('S3cret!');
    expect(await resolvePassword({ passwordFile: pwFile('b', 'S3cret! \r\n'), env: undefined })).toBe('S3cret! ');
    expect(await resolvePassword({ passwordFile: pwFile('c', 'two\n\n'), env: undefined })).toBe('two\n');
    expect(warnings).toEqual([]);
  });

  it('warns about a group/world-readable file but uses it', async () => {
    const warnings: string[] = [];
    const p = pwFile('loose', 'pw\n', 0o644);
    expect(await resolvePassword({ passwordFile: p, onWarning: (m) => warnings.push(m) })).toBe('pw');
    expect(warnings).toEqual([`password file ${p} is readable by group or others (mode 0644): chmod 600 ${p}`]);
  });

  it('refuses a missing or empty file with a one-line error', async () => {
    const missing = join(dir, 'missing');
    const e1 = await failure(resolvePassword({ passwordFile: missing }));
    expect(e1.message).toBe(`cannot read password file ${missing} (no such file): check --password-file`);
    expect(e1.code).toBe('password-file');
    const e2 = await failure(resolvePassword({ passwordFile: pwFile('empty', '\n') }));
    expect(e2.message).toMatch(/is empty/);
    const e3 = await failure(resolvePassword({ passwordFile: dir }));
    expect(e3.message).toMatch(/not a regular file/);
  });

  it('falls back to the environment, then to a prompt on a TTY', async () => {
    expect(await resolvePassword({ env: 'from-env', isTTY: true, prompt: async () => 'typed' })).toBe('from-env');
    let asked = '';
    const typed = await resolvePassword({
      env: undefined,
      isTTY: true,
      user: 'reader@contoso.test',
      prompt: async (q) => {
        asked = q;
        return 'typed';
      },
    });
    expect(typed).toBe('typed');
    expect(asked).toBe('Password for reader@contoso.test: ');
  });

  it('without file, environment or terminal: says how to pass one', async () => {
    const e = await failure(resolvePassword({ env: '', isTTY: false }));
    expect(e.message).toBe('no password: use --password-file FILE or EXBINDER_PASSWORD (passwords are never taken on the command line)');
    expect(e.exitCode).toBe(2);
  });
});

describe('promptHidden', () => {
  it('reads a line without echoing it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const answer = promptHidden('Password: ', input, output);
    input.write('hunter2\n');
    expect(await answer).toBe('hunter2');
    expect(shown).toBe('Password: \n');
    expect(shown).not.toContain('hunter2');
  });

  it('input closed before a line: a clear error', async () => {
    const input = new PassThrough();
    const answer = promptHidden('Password: ', input, new PassThrough());
    input.end();
    const e = await failure(answer);
    expect(e.code).toBe('no-password');
  });
});

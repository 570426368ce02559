import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/run/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-config-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string) {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('config file', () => {
  it('reads YAML and resolves paths next to the file', async () => {
    const p = await file('job.yaml', [
      'url: ldaps://dc1.contoso.com',
      'bindDn: svc-exbinder@contoso.com',
      'passwordFile: secrets/bind.txt',
      'caFile: /etc/ssl/contoso-ca.pem',
      'store: ./store',
      'keep: 30',
      'git: true',
      'paper: A4',
    ].join('\n'));
    expect(await loadConfig(p)).toEqual({
      url: 'ldaps://dc1.contoso.com', bindDn: 'svc-exbinder@contoso.com', passwordFile: join(dir, 'secrets/bind.txt'),
      caFile: '/etc/ssl/contoso-ca.pem', store: join(dir, 'store'), keep: 30, git: true, paper: 'A4', baseDir: dir,
    });
  });

  it('reads JSON', async () => {
    const p = await file('job.json', '{"url": "ldap://dc1:389", "startTls": true}');
    expect(await loadConfig(p)).toEqual({ url: 'ldap://dc1:389', startTls: true, baseDir: dir });
  });

  it('refuses a password key and says where the password goes', async () => {
    const p = await file('pw.yaml', 'url: ldaps://dc1\npassword: hunter2\n');
    const err = await loadConfig(p).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `config ${p}: key 'password' is not allowed (config files get copied and committed): put the password in a file and name it with passwordFile, or set EXBINDER_PASSWORD`,
    );
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('names the file and the key of a bad value or an unknown key', async () => {
    const bad = await file('bad.yaml', 'keep: many\n');
    await expect(loadConfig(bad)).rejects.toThrow(new RegExp(`^config ${bad}: key 'keep': .*expected number`));
    const unknown = await file('unknown.yaml', 'stroe: /x\n');
    await expect(loadConfig(unknown)).rejects.toThrow(`config ${unknown}: key 'stroe': unknown key; known keys are url, bindDn,`);
    const url = await file('url.yaml', 'url: dc1.contoso.com\n');
    await expect(loadConfig(url)).rejects.toThrow(`config ${url}: key 'url': expected ldap://host[:port] or ldaps://host[:port]`);
    const syntax = await file('syntax.yaml', 'url: [\n');
    await expect(loadConfig(syntax)).rejects.toThrow(new RegExp(`^config ${syntax} is not valid YAML`));
    await expect(loadConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read config .*missing.yaml \(no such file\): check the --config path/);
  });
});


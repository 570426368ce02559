import { describe, expect, it } from 'vitest';
import { mergeSettings } from '../../../src/run/snapshot-command.js';

const config = {
  url: 'ldaps://dc1.contoso.com',
  bindDn: 'svc@contoso.com',
  passwordFile: '/etc/exbinder/pw',
  caFile: '/etc/exbinder/ca.pem',
  startTls: true,
  store: '/var/lib/exbinder',
  keep: 30,
  paper: 'Letter' as const,
};

describe('snapshot settings: command line beats config file beats default', () => {
  it('takes the config file when nothing was given on the command line', () => {
    // commander fills defaults (starttls true, timeout 120) that are not "given"
    const s = mergeSettings({ connection: { startTls: true, timeoutSeconds: 120 }, explicit: [] }, config);
    expect(s.connection).toMatchObject({ url: config.url, bindDn: config.bindDn, passwordFile: config.passwordFile, caFile: config.caFile, startTls: true });
    expect(s).toMatchObject({ store: '/var/lib/exbinder', keep: 30, git: false, paper: 'letter' });
  });

  it('lets explicit flags win, including a negated --no-starttls', () => {
    const s = mergeSettings(
      { connection: { url: 'ldap://dc2.contoso.com', startTls: false }, explicit: ['url', 'starttls'], store: '/tmp/s', keep: 3, paper: 'a4' },
      config,
    );
    expect(s.connection.url).toBe('ldap://dc2.contoso.com');
    expect(s.connection.startTls).toBe(false);
    expect(s.connection.bindDn).toBe(config.bindDn);
    expect(s).toMatchObject({ store: '/tmp/s', keep: 3, paper: 'a4' });
  });

  it('ignores a commander default that the config file overrides', () => {
    const s = mergeSettings({ connection: { startTls: true }, explicit: [] }, { ...config, startTls: false });
    expect(s.connection.startTls).toBe(false);
  });

  it('needs a store from somewhere', () => {
    expect(() => mergeSettings({ connection: {}, explicit: [] }, {})).toThrow(/no store: give --store DIR or set store in the --config file/);
  });
});

/** Kerberos, discovery and failover settings: config keys and the usage errors before any traffic. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/run/config.js';
import { openDirectory, type ConnectionSettings } from '../../../src/run/connection.js';

const io = { warn: () => undefined, isTTY: false };
const usage = (s: ConnectionSettings) => openDirectory(s, io).catch((e: { message: string; exitCode: number }) => `${e.exitCode} ${e.message}`);

describe('config keys', () => {
  it('takes a list of URLs, a domain with site and DNS servers, and Kerberos with a keytab relative to the file', () => {
    const c = parseConfig(
      'url: [ldaps://dc1.contoso.com, ldaps://dc2.contoso.com]\nauth: kerberos\nkeytab: exbinder.keytab\nprincipal: svc-exbinder@CONTOSO.COM\n',
      '/etc/exbinder/config.yaml',
    );
    expect(c).toMatchObject({ url: ['ldaps://dc1.contoso.com', 'ldaps://dc2.contoso.com'], auth: 'kerberos', keytab: '/etc/exbinder/exbinder.keytab', principal: 'svc-exbinder@CONTOSO.COM' });
    expect(parseConfig('domain: contoso.com\nsite: Zurich\ndnsServers: [10.0.0.10]\ntransport: ldap\n', '/x/c.yaml')).toMatchObject({
      domain: 'contoso.com',
      site: 'Zurich',
      dnsServers: ['10.0.0.10'],
      transport: 'ldap',
    });
    expect(() => parseConfig('auth: ntlm\n', '/x/c.yaml')).toThrow(/key 'auth'/);
    expect(() => parseConfig('url: [dc1]\n', '/x/c.yaml')).toThrow("config /x/c.yaml: key 'url.0': expected ldap://host[:port] or ldaps://host[:port]");
  });
});

describe('usage errors', () => {
  it('says which options go together', async () => {
    expect(await usage({ url: 'ldaps://dc1.contoso.com', domain: 'contoso.com' })).toBe('2 give either --url or --domain, not both');
    expect(await usage({ url: 'ldaps://dc1.contoso.com', site: 'Zurich', bindDn: 'x' })).toBe('2 --site, --dns-server and --transport go with --domain');
    expect(await usage({ url: 'ldaps://dc1.contoso.com', auth: 'kerberos', bindDn: 'x@contoso.com' })).toMatch(/^2 --auth kerberos takes no --bind-dn/);
    expect(await usage({ url: 'ldaps://dc1.contoso.com', auth: 'kerberos', passwordFile: '/p' })).toMatch(/^2 --auth kerberos takes no password file/);
    expect(await usage({ url: 'ldaps://dc1.contoso.com', keytab: '/k', bindDn: 'x' })).toBe('2 --keytab and --principal go with --auth kerberos');
    expect(await usage({ domain: 'contoso', auth: 'kerberos' })).toMatch(/^2 invalid --domain "contoso"/);
    expect(await usage({ url: 'ldaps://dc1.contoso.com', auth: 'kerberos', principal: 'svc-exbinder' })).toMatch(/^2 invalid --principal "svc-exbinder": use user@REALM/);
  });
});

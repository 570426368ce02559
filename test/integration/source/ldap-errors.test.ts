/**
 * Every failure an admin can meet, produced for real: closed ports, a
 * silent server, untrusted and mismatched certificates, a wrong password,
 * a DC refusing clear-text binds, a denied account, a connection cut or
 * stalled in the middle of a paged search. Each must be one line, name the
 * input and the fix, and never show the password.
 */
import { describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { searchAll } from '../../../src/source/directory.js';
import { openLdap } from '../../../src/source/ldap.js';
import { closedPort, contoso, fabrikam, failure, reader, silentServer, startRelay } from './helpers.js';

describe('connection failures', () => {
  it('closed port: connection refused', async () => {
    const dc = contoso();
    const port = await closedPort(dc.ip);
    const e = await failure(reader(dc, { url: `ldaps://${dc.host}:${port}` }));
    expect(e.code).toBe('ldap-unreachable');
    expect(e.message).toBe(`cannot reach ${dc.host}:${port} (connection refused): check --url and that the DC listens on LDAPS/${port}`);
  }, 30_000);

  it('closed port with StartTLS', async () => {
    const dc = contoso();
    const port = await closedPort(dc.ip);
    const e = await failure(reader(dc, { url: `ldap://${dc.host}:${port}`, startTls: true }));
    expect(e.code).toBe('ldap-unreachable');
    expect(e.message).toBe(`cannot reach ${dc.host}:${port} (connection refused): check --url and that the DC listens on LDAP/${port}`);
  }, 30_000);

  it('unknown host name', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: 'ldaps://no-such-dc.invalid' }));
    expect(e.code).toBe('ldap-unreachable');
    expect(e.message).toMatch(/^cannot reach no-such-dc\.invalid:636 \((host not found|host name lookup failed)\): check --url/);
  }, 30_000);

  it('a server that accepts TCP but never answers: connect timeout', async () => {
    const dc = contoso();
    const silent = await silentServer(dc.ip);
    try {
      const t0 = Date.now();
      const e = await failure(reader(dc, { url: `ldaps://${dc.host}:${silent.port}`, connectTimeoutMs: 700 }));
      expect(e.code).toBe('ldap-unreachable');
      expect(e.message).toBe(
        `cannot reach ${dc.host}:${silent.port} (no answer within 0.7s): check --url, firewalls, and that the DC listens on LDAPS/${silent.port}`,
      );
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('a silent server with StartTLS: the connect timeout covers the StartTLS exchange', async () => {
    const dc = contoso();
    const silent = await silentServer(dc.ip);
    try {
      const t0 = Date.now();
      const e = await failure(reader(dc, { url: `ldap://${dc.host}:${silent.port}`, startTls: true, connectTimeoutMs: 700 }));
      expect(e.code).toBe('ldap-unreachable');
      expect(e.message).toBe(
        `cannot reach ${dc.host}:${silent.port} (no answer within 0.7s): check --url, firewalls, and that the DC listens on LDAP/${silent.port}`,
      );
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('LDAPS to the plain LDAP port: TLS handshake failure', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: `ldaps://${dc.host}:389` }));
    expect(e.code).toBe('tls-handshake');
    expect(e.message).toBe(`TLS handshake with ${dc.host}:389 failed (connection reset by the server): is this an LDAPS port? for port 389 use ldap:// (StartTLS is the default)`);
  }, 30_000);
});

describe('TLS verification', () => {
  it('untrusted certificate without --ca-file', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { caFile: undefined }));
    expect(e.code).toBe('tls-verify');
    expect(e.message).toMatch(
      new RegExp(
        `^TLS certificate of ${dc.host.replace(/\./g, '\\.')} is not trusted \\(.+\\): pass the issuing CA with --ca-file FILE, or --insecure to skip verification \\(not recommended\\)$`,
      ),
    );
  }, 30_000);

  it('untrusted certificate with StartTLS', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { caFile: undefined, url: dc.ldapUrl, startTls: true }));
    expect(e.code).toBe('tls-verify');
  }, 30_000);

  it('host name mismatch: connecting by IP address', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: `ldaps://${dc.ip}` }));
    expect(e.code).toBe('tls-hostname');
    expect(e.message).toBe(
      `TLS certificate of ${dc.ip} does not match the name "${dc.ip}" (it names DNS:${dc.host}): connect with a host name the certificate holds, not an IP address or alias`,
    );
  }, 30_000);

  it('host name mismatch with StartTLS', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: `ldap://${dc.ip}`, startTls: true }));
    expect(e.code).toBe('tls-hostname');
  }, 30_000);
});

describe('bind and access', () => {
  it('wrong password, with AD\'s sub-code explained', async () => {
    const dc = contoso();
    const wrong = 'Wrong-Password-123';
    const e = await failure(reader(dc, { password: wrong }));
    expect(e.code).toBe('ldap-credentials');
    expect(e.message).toBe(
      `bind as ${dc.readerUpn} to ${dc.host}:636 failed: invalid credentials (AD data 52e: wrong password): check the user (DN, user@domain or DOMAIN\\user) and the password`,
    );
    expect(e.message).not.toContain(wrong);
  }, 30_000);

  it('unknown user', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { bindDn: `nobody@${dc.host.split('.').slice(1).join('.')}` }));
    expect(e.code).toBe('ldap-credentials');
  }, 30_000);

  it('plain ldap:// simple bind without StartTLS: the DC demands an encrypted connection', async () => {
    const dc = contoso();
    const warnings: string[] = [];
    const e = await failure(reader(dc, { url: dc.ldapUrl, insecurePlain: true, onWarning: (m) => warnings.push(m) }));
    expect(e.code).toBe('ldap-strong-auth');
    expect(e.message).toMatch(new RegExp(`^${dc.host.replace(/\./g, '\\.')}:389 refuses a simple bind over an unencrypted connection \\([^)]*[a-z][^)]*\\): use ldaps://, or ldap:// without --no-starttls \\(StartTLS\\)$`));
    expect(e.message).not.toMatch(/Code: 0x/);
    expect(warnings).toEqual([`plain LDAP to ${dc.host}:389: the password and all data cross the network unencrypted`]);
  }, 30_000);

  it('plain ldap:// without the explicit opt-in is refused before connecting', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: dc.ldapUrl }));
    expect(e.code).toBe('ldap-plain');
  }, 30_000);

  it('the denied account sees nothing of the organization the reader sees', async () => {
    const dc = contoso();
    const req = { base: `CN=Microsoft Exchange,CN=Services,${dc.configDn}`, scope: 'sub' as const, filter: '(objectClass=msExchOrganizationContainer)', attributes: ['cn'] };
    const ok = await openLdap(reader(dc));
    try {
      expect((await searchAll(ok, req)).length).toBe(1);
    } finally {
      await ok.close();
    }
    const denied = await openLdap(reader(dc, { bindDn: dc.deniedUpn, password: dc.deniedPassword }));
    try {
      // AD and Samba hide unreadable objects (no entries) or refuse with
      // insufficientAccess; either way no org entry leaks to the harvest
      const got = await searchAll(denied, req).catch((e: unknown) => e);
      if (got instanceof ExbinderError) {
        expect(got.code).toBe('ldap-access');
        expect(got.message).toMatch(/insufficient access.*grant the account read access/);
      } else {
        expect(got).toEqual([]);
      }
    } finally {
      await denied.close();
    }
  }, 60_000);
});

describe('bad search input', () => {
  it('a malformed filter or base fails like in the LDIF source, before any traffic', async () => {
    const dc = contoso();
    const d = await openLdap(reader(dc));
    try {
      const before = d.pageCount;
      const e1 = await searchAll(d, { base: dc.baseDn, scope: 'sub', filter: '(cn=unbalanced', attributes: ['cn'] }).catch((x: unknown) => x);
      expect((e1 as ExbinderError).code).toBe('filter-syntax');
      expect((e1 as Error).message).toMatch(/^invalid search filter \(cn=unbalanced: /);
      const e2 = await searchAll(d, { base: 'CN=a,,DC=b', scope: 'sub', filter: '(cn=*)', attributes: ['cn'] }).catch((x: unknown) => x);
      expect((e2 as ExbinderError).code).toBe('dn-syntax');
      expect(d.pageCount).toBe(before);
      // the connection is still usable afterwards
      expect((await searchAll(d, { base: dc.baseDn, scope: 'base', filter: '(objectClass=*)', attributes: ['dc'] })).length).toBe(1);
    } finally {
      await d.close();
    }
  }, 30_000);
});

describe('failures during a search', () => {
  it('connection cut in the middle of a paged search', async () => {
    const dc = fabrikam();
    const relay = await startRelay(dc.ip, dc.ip, 636);
    try {
      const o = reader(dc, { url: `ldaps://${dc.host}:${relay.port}`, pageSize: 50 });
      let seen = 0;
      const e = await failure(o, async (d) => {
        const start = relay.bytesDown;
        // cut once a few pages have crossed the relay
        relay.onBytesDown(start + 30_000, () => relay.cut());
        for await (const _ of d.search({ base: dc.baseDn, scope: 'sub', filter: '(objectClass=user)', attributes: ['cn', 'description', 'homeMDB'] })) seen++;
      });
      expect(seen).toBeGreaterThan(0);
      expect(e.code).toBe('ldap-connection-lost');
      expect(e.message).toMatch(new RegExp(`^connection to ${dc.host.replace(/\./g, '\\.')}:${relay.port} lost during search: .+: check the network and the DC, then run again$`));
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('a DC that stops answering: operation timeout', async () => {
    const dc = contoso();
    const relay = await startRelay(dc.ip, dc.ip, 636);
    try {
      const o = reader(dc, { url: `ldaps://${dc.host}:${relay.port}`, timeoutMs: 1500 });
      const t0 = Date.now();
      const e = await failure(o, async (d) => {
        relay.stall();
        await d.rootDse();
      });
      expect(e.code).toBe('ldap-timeout');
      expect(e.message).toBe(`${dc.host}:${relay.port} did not answer the rootdse within 1.5s: retry, or raise --timeout for a slow or loaded DC`);
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      await relay.close();
    }
  }, 30_000);

  it('after a lost connection nothing is sent again (no silent unauthenticated reconnect)', async () => {
    const dc = contoso();
    const relay = await startRelay(dc.ip, dc.ip, 636);
    try {
      const d = await openLdap(reader(dc, { url: `ldaps://${dc.host}:${relay.port}` }));
      try {
        relay.cut();
        await new Promise((r) => setTimeout(r, 200));
        const e = await d.rootDse().catch((x: unknown) => x);
        expect(e).toBeInstanceOf(ExbinderError);
        expect((e as ExbinderError).code).toBe('ldap-connection-lost');
        const e2 = await searchAll(d, { base: dc.baseDn, scope: 'base', filter: '(objectClass=*)', attributes: ['dc'] }).catch((x: unknown) => x);
        expect((e2 as ExbinderError).code).toBe('ldap-connection-lost');
      } finally {
        await d.close();
      }
    } finally {
      await relay.close();
    }
  }, 30_000);
});

/**
 * Kerberos (SASL GSSAPI) binds against the real Samba DC and its KDC: with a
 * keytab and no kinit, over LDAPS (no SASL layer) and over plain LDAP with
 * sign+seal (a recording relay sees no directory content), and each failure
 * a person can meet, produced for real.
 *
 * MIT krb5 reads KRB5_CONFIG and KRB5CCNAME from the process environment:
 * vitest runs each file in its own process, so setting them here is local.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { searchAll } from '../../../src/source/directory.js';
import { type LdapOptions, openLdap } from '../../../src/source/ldap.js';
import { restartDc } from '../../dc/samba.js';
import { contoso, type Dc, failure, startRelay } from './helpers.js';
import { writeRandomKeytab } from './keytab.js';

let tmp: string;
const saved = { ...process.env };

function kerberos(dc: Dc, over: Partial<LdapOptions> = {}): LdapOptions {
  return { url: dc.ldapsUrl, auth: 'kerberos', keytab: dc.readerKeytab, principal: dc.readerPrincipal, caFile: dc.caFile, ...over };
}

/** Exchange server names the org holds: what must never cross the wire in clear. */
async function exchangeServers(dir: Awaited<ReturnType<typeof openLdap>>, dc: Dc): Promise<string[]> {
  const entries = await searchAll(dir, { base: dc.org.dn, scope: 'sub', filter: '(objectClass=msExchExchangeServer)', attributes: ['cn'] });
  return entries.map((e) => e.text.get('cn')![0]!).sort();
}

beforeAll(() => {
  const dc = contoso();
  tmp = mkdtempSync(join(tmpdir(), 'exbinder-krb-'));
  process.env['KRB5_CONFIG'] = dc.krb5Conf;
  // an empty private cache: nothing from the machine's own tickets leaks in
  process.env['KRB5CCNAME'] = `FILE:${join(tmp, 'no-such-ccache')}`;
  delete process.env['KRB5_CLIENT_KTNAME'];
});
afterEach(() => {
  const dc = contoso();
  process.env['KRB5_CONFIG'] = dc.krb5Conf;
  process.env['KRB5CCNAME'] = `FILE:${join(tmp, 'no-such-ccache')}`;
  delete process.env['KRB5_CLIENT_KTNAME'];
});
afterAll(() => {
  for (const k of ['KRB5_CONFIG', 'KRB5CCNAME', 'KRB5_CLIENT_KTNAME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('Kerberos bind on the Samba DC', () => {
  it('keytab without kinit, over LDAPS (no SASL layer inside TLS)', async () => {
    const dc = contoso();
    const t = performance.now();
    const dir = await openLdap(kerberos(dc));
    const bindMs = performance.now() - t;
    try {
      expect(dir.description).toBe(`ldaps://${dc.host}:636`);
      expect((await dir.rootDse()).dnsHostName?.toLowerCase()).toBe(dc.host);
      // the org is readable only by authenticated users (Authenticated Users ACE): the bind is the reader's
      expect(await exchangeServers(dir, dc)).toContain('EX2016');
    } finally {
      await dir.close();
    }
    console.log(`[kerberos] LDAPS bind with keytab (AS + TGS + SASL): ${bindMs.toFixed(0)} ms`);
  });

  it('over ldap:// port 389 with sign+seal: a recording relay sees no directory content', async () => {
    const dc = contoso();
    // the relay listens on the DC's own address: the client still connects by the DC's name (SPN ldap/<fqdn>)
    const relay = await startRelay(dc.ip, dc.ip, 389);
    try {
      const t = performance.now();
      const dir = await openLdap(kerberos(dc, { url: `ldap://${dc.host}:${relay.port}` }));
      const bindMs = performance.now() - t;
      let servers: string[];
      try {
        expect(dir.description).toBe(`ldap://${dc.host}:${relay.port} (Kerberos sign+seal)`);
        servers = await exchangeServers(dir, dc);
        await dir.rootDse();
      } finally {
        await dir.close();
      }
      expect(servers).toEqual(expect.arrayContaining(['EX2003', 'EX2007', 'EX2016', 'EX2019']));
      const wire = relay.recorded();
      expect(wire.length).toBeGreaterThan(2000);
      const text = wire.toString('latin1');
      for (const plain of [...servers, dc.org.name, 'Microsoft Exchange', 'msExchExchangeServer', 'configurationNamingContext', dc.configDn]) {
        expect(text, `"${plain}" crossed the wire in clear`).not.toContain(plain);
      }
      console.log(`[kerberos] LDAP sign+seal bind: ${bindMs.toFixed(0)} ms; ${wire.length} bytes on the wire, no plaintext names`);
    } finally {
      await relay.close();
    }
  });

  it('the same relay does see names in clear without the layer (the check can fail)', async () => {
    const dc = contoso();
    const relay = await startRelay(dc.ip, dc.ip, 389);
    try {
      // an anonymous root DSE read on plain LDAP: what an unprotected session looks like on the wire
      const { Client } = await import('ldapts');
      const client = new Client({ url: `ldap://${dc.host}:${relay.port}` });
      await client.search('', { scope: 'base', attributes: ['configurationNamingContext'] });
      await client.unbind();
      expect(relay.recorded().toString('latin1')).toContain(dc.configDn);
    } finally {
      await relay.close();
    }
  });

  it('ticket cache filled from KRB5_CLIENT_KTNAME (no --keytab, no kinit)', async () => {
    const dc = contoso();
    process.env['KRB5CCNAME'] = 'MEMORY:exbinder-test';
    process.env['KRB5_CLIENT_KTNAME'] = dc.readerKeytab;
    const dir = await openLdap({ url: dc.ldapsUrl, auth: 'kerberos', caFile: dc.caFile });
    try {
      expect(await exchangeServers(dir, dc)).toContain('EX2019');
    } finally {
      await dir.close();
    }
  });
});

describe('Kerberos failures: one line each', () => {
  it('no ticket and no keytab', async () => {
    const dc = contoso();
    const e = await failure({ url: dc.ldapsUrl, auth: 'kerberos', caFile: dc.caFile });
    expect(e.code).toBe('kerberos-no-credentials');
    expect(e.message).toMatch(/^no Kerberos ticket: run kinit \(or give --keytab FILE --principal user@REALM\)/);
  });

  it('a keytab file that does not exist', async () => {
    const dc = contoso();
    const missing = join(tmp, 'missing.keytab');
    const e = await failure(kerberos(dc, { keytab: missing }));
    expect(e.code).toBe('kerberos-no-credentials');
    expect(e.message).toContain(`no usable key in keytab ${missing} for ${dc.readerPrincipal}`);
  });

  it('a principal the KDC does not know', async () => {
    const dc = contoso();
    const keytab = join(tmp, 'ghost.keytab');
    const ghost = `ghost-exbinder@${dc.realm}`;
    writeRandomKeytab(keytab, ghost);
    const e = await failure(kerberos(dc, { keytab, principal: ghost }));
    expect(e.code).toBe('kerberos-principal-unknown');
    expect(e.message).toMatch(new RegExp(`^the KDC does not know ${ghost}: check --principal`));
  });

  it('an out-of-date keytab (key the KDC does not accept)', async () => {
    const dc = contoso();
    const keytab = join(tmp, 'stale.keytab');
    writeRandomKeytab(keytab, dc.readerPrincipal, 7);
    const e = await failure(kerberos(dc, { keytab }));
    expect(e.code).toBe('kerberos-bad-key');
    expect(e.message).toContain('the keytab is out of date');
  });

  it('KDC unreachable', async () => {
    const dc = contoso();
    const conf = join(tmp, 'krb5-nokdc.conf');
    // the refused address of the failover site: nothing listens on port 88 there
    writeFileSync(conf, readFileSync(dc.krb5Conf, 'utf8').replace(`kdc = ${dc.ip}`, `kdc = ${dc.failover.refusedIp}`));
    process.env['KRB5_CONFIG'] = conf;
    const e = await failure(kerberos(dc));
    expect(e.code).toBe('kerberos-kdc-unreachable');
    expect(e.message).toMatch(/^cannot reach a Kerberos KDC for .*: check krb5\.conf/);
  });

  it('a name with no SPN (alias instead of the DC name)', async () => {
    const dc = contoso();
    // localhost reaches the DC through a relay; the KDC has no ldap/localhost
    const relay = await startRelay('127.0.0.1', dc.ip, 389);
    try {
      const e = await failure(kerberos(dc, { url: `ldap://localhost:${relay.port}` }));
      expect(e.code).toBe('kerberos-unknown-spn');
      expect(e.message).toMatch(/^the KDC knows no service principal ldap\/localhost: connect by the DC's full DNS name/);
    } finally {
      await relay.close();
    }
  });

  it('a clock 2 hours off (the CLI under libfaketime): one line, exit 2, no snapshot', () => {
    const dc = contoso();
    const conf = join(tmp, 'krb5-skew.conf');
    // without kdc_timesync MIT would quietly adopt the KDC's time; a client set up that way (or one whose
    // service ticket is refused by a skewed DC) must get a message that names the clock
    writeFileSync(conf, readFileSync(dc.krb5Conf, 'utf8').replace('[libdefaults]', '[libdefaults]\n  kdc_timesync = 0'));
    const out = join(tmp, 'skew.json');
    const cli = resolve(import.meta.dirname, '../../../dist/cli/main.js');
    const r = spawnSync(
      process.execPath,
      [cli, 'harvest', '--url', dc.ldapsUrl, '--auth', 'kerberos', '--keytab', dc.readerKeytab, '--principal', dc.readerPrincipal, '--ca-file', dc.caFile, '--out', out],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          KRB5_CONFIG: conf,
          LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
          FAKETIME: '+2h',
          // only the wall clock moves: timers keep working
          FAKETIME_DONT_FAKE_MONOTONIC: '1',
        },
      },
    );
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^exbinder: clock skew too great between this machine and the domain \\(KDC, ${dc.host}\\): synchronise the clock`));
    expect(existsSync(out)).toBe(false);
  });

  it('an IP address instead of a name is refused before any traffic', async () => {
    const dc = contoso();
    const e = await failure(kerberos(dc, { url: `ldaps://${dc.ip}` }));
    expect(e.code).toBe('ldap-url');
    expect(e.message).toContain("Kerberos needs the DC's DNS name");
  });

  it('a DC that refuses SASL inside TLS', async () => {
    const dc = contoso();
    const conf = join(dc.workDir, 'etc', 'smb.conf');
    const original = readFileSync(conf, 'utf8');
    // Samba's default (and an AD hardened the same way): SASL binds must sign/seal, never inside TLS
    writeFileSync(conf, original.replace(/ldap server require strong auth = .*/, 'ldap server require strong auth = yes'));
    try {
      await restartDc(dc as never);
      const e = await failure(kerberos(dc));
      expect(e.code).toBe('kerberos-sasl-over-tls');
      expect(e.message).toMatch(new RegExp(`^${dc.host}:636 refuses a Kerberos \\(SASL\\) bind inside TLS .*: use ldap://${dc.host} with --auth kerberos`));
    } finally {
      writeFileSync(conf, original);
      await restartDc(dc as never);
    }
  });
});

/**
 * DC discovery and failover on the Samba DC: its DNS answers the SRV records
 * AD registers, plus a site `Failover` (test/dc/samba.ts) listing, in
 * priority order, an address where nothing listens, one where our own
 * listener accepts and stays silent, and the real DC.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { harvest } from '../../../src/harvest/index.js';
import { discoverDcs } from '../../../src/source/dc-discovery.js';
import { openLdap } from '../../../src/source/ldap.js';
import { contoso, type Dc, reader, startRelay } from './helpers.js';

/** Accepts TCP on ip:port and never answers: a hung DC. Counts the connections it got. */
async function listener(ip: string, port: number): Promise<{ connections: number; close(): Promise<void> }> {
  const socks: Socket[] = [];
  const state = { connections: 0 };
  const server: Server = createServer((s) => {
    state.connections++;
    socks.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, ip, () => res());
  });
  return {
    get connections() {
      return state.connections;
    },
    close: () => {
      for (const s of socks) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}

let silent: Awaited<ReturnType<typeof listener>>;

beforeAll(async () => {
  silent = await listener(contoso().failover.silentIp, 636);
});
afterAll(async () => {
  await silent.close();
});

describe('DC discovery by DNS SRV records', () => {
  it('finds the DC from the domain name alone (the DC as DNS server)', async () => {
    const dc = contoso();
    const domain = dc.host.split('.').slice(1).join('.');
    const t = performance.now();
    const found = await discoverDcs({ domain, dnsServers: [dc.ip] });
    const ms = performance.now() - t;
    expect(found).toEqual([{ host: dc.host, port: 389, address: dc.ip }]);
    const dir = await openLdap(reader(dc, { url: undefined, domain, dnsServers: [dc.ip] }));
    try {
      expect(dir.server).toBe(`${dc.host}:636`);
      expect((await dir.rootDse()).dnsHostName?.toLowerCase()).toBe(dc.host);
    } finally {
      await dir.close();
    }
    console.log(`[discovery] SRV lookup + address: ${ms.toFixed(0)} ms`);
  });

  it('the CLI harvests from --domain alone with Kerberos, and the snapshot names the DC that answered', () => {
    const dc = contoso();
    const domain = dc.host.split('.').slice(1).join('.');
    const dir = mkdtempSync(join(tmpdir(), 'exbinder-discovery-'));
    try {
      const out = join(dir, 'snap.json');
      const cli = resolve(import.meta.dirname, '../../../dist/cli/main.js');
      const r = spawnSync(
        process.execPath,
        [cli, 'harvest', '--domain', domain, '--dns-server', dc.ip, '--auth', 'kerberos', '--keytab', dc.readerKeytab, '--principal', dc.readerPrincipal, '--ca-file', dc.caFile, '--out', out],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, KRB5_CONFIG: dc.krb5Conf, KRB5CCNAME: `FILE:${join(dir, 'none')}` } },
      );
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/^harvested Contoso: 8 servers/);
      // only the fixture's standing warnings (where the recovery needs care), nothing about the connection
      expect(r.stderr.split('\n').filter((l) => l.startsWith('warning')).map((l) => l.split(':')[1]!.trim()).sort())
        .toEqual(['clustered-mailbox-server', 'recovery-storage-group', 'scripting-agent-enabled', 'witness-not-in-ad-dns']);
      const snap = JSON.parse(readFileSync(out, 'utf8')) as { metadata: { source: { description: string; domainController: string } }; servers: unknown[] };
      expect(snap.metadata.source.description).toBe(`ldaps://${dc.host}:636`);
      expect(snap.metadata.source.domainController.toLowerCase()).toBe(dc.host);
      expect(snap.servers.length).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('site records first, in priority order', async () => {
    const dc = contoso();
    const domain = dc.host.split('.').slice(1).join('.');
    const f = dc.failover;
    const found = await discoverDcs({ domain, site: f.site, dnsServers: [dc.ip] });
    expect(found.map((d) => [d.host, d.address])).toEqual([
      [f.refusedHost, f.refusedIp],
      [f.silentHost, f.silentIp],
      [dc.host, dc.ip],
    ]);
  });

  it('an unknown domain: one line naming the DNS server and the fix', async () => {
    const dc = contoso();
    const err = await discoverDcs({ domain: 'nowhere.invalid', dnsServers: [dc.ip] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as ExbinderError).message).toBe(
      `no domain controller of nowhere.invalid found via DNS server ${dc.ip} (_ldap._tcp.dc._msdcs.nowhere.invalid: no such record): check --domain, or give --dns-server IP of an AD DNS server`,
    );
  });

  it("the DC's DNS never forwards off this machine (no dns forwarder in smb.conf)", () => {
    const dc = contoso() as Dc & { workDir: string };
    const conf = readFileSync(join(dc.workDir, 'etc', 'smb.conf'), 'utf8');
    expect(conf).toMatch(/server services = .*dns/);
    expect(conf).not.toMatch(/dns forwarder/i);
  });
});

describe('failover', () => {
  it('refused address, then a silent listener, then the real DC: one warning line each', async () => {
    const dc = contoso();
    const f = dc.failover;
    const domain = dc.host.split('.').slice(1).join('.');
    const warnings: string[] = [];
    const before = silent.connections;
    const t = performance.now();
    const dir = await openLdap(reader(dc, { url: undefined, domain, site: f.site, dnsServers: [dc.ip], connectTimeoutMs: 1500, onWarning: (w) => warnings.push(w) }));
    const ms = performance.now() - t;
    try {
      expect(dir.server).toBe(`${dc.host}:636`);
      expect(dir.description).toBe(`ldaps://${dc.host}:636`);
      expect((await dir.rootDse()).dnsHostName?.toLowerCase()).toBe(dc.host);
    } finally {
      await dir.close();
    }
    expect(warnings).toEqual([
      `DC ${f.refusedHost}:636 failed: cannot reach ${f.refusedHost}:636 (connection refused): check --url and that the DC listens on LDAPS/636; trying ${f.silentHost}:636`,
      `DC ${f.silentHost}:636 failed: cannot reach ${f.silentHost}:636 (no answer within 1.5s): check --url, firewalls, and that the DC listens on LDAPS/636; trying ${dc.host}:636`,
    ]);
    expect(silent.connections).toBe(before + 1);
    console.log(`[failover] refused + silent (1.5 s connect timeout) + real DC: ${ms.toFixed(0)} ms`);
  });

  it('Kerberos fails over the same way (the ticket is for the DC that answers)', async () => {
    const dc = contoso();
    const f = dc.failover;
    process.env['KRB5_CONFIG'] = dc.krb5Conf;
    const warnings: string[] = [];
    const dir = await openLdap({
      domain: dc.host.split('.').slice(1).join('.'),
      site: f.site,
      dnsServers: [dc.ip],
      auth: 'kerberos',
      keytab: dc.readerKeytab,
      principal: dc.readerPrincipal,
      caFile: dc.caFile,
      connectTimeoutMs: 1500,
      onWarning: (w) => warnings.push(w),
    });
    try {
      expect(dir.server).toBe(`${dc.host}:636`);
    } finally {
      await dir.close();
    }
    expect(warnings).toHaveLength(2);
  });

  it('--url given several times: tried in order', async () => {
    const dc = contoso();
    const warnings: string[] = [];
    const dir = await openLdap(reader(dc, { url: undefined, urls: ['ldaps://localhost:1', dc.ldapsUrl], onWarning: (w) => warnings.push(w) }));
    try {
      expect(dir.server).toBe(`${dc.host}:636`);
    } finally {
      await dir.close();
    }
    expect(warnings).toEqual([expect.stringMatching(/^DC localhost:1 failed: cannot reach localhost:1 \(connection refused\).*; trying /)]);
  });

  it('a wrong password is tried on one DC only (never on the next: account lockout)', async () => {
    const dc = contoso();
    // the second "DC" is our listener: any connection to it would be a second bind attempt
    const second = await listener(dc.failover.silentIp, 3636);
    try {
      const warnings: string[] = [];
      const err = await openLdap(
        reader(dc, { url: undefined, urls: [dc.ldapsUrl, `ldaps://${dc.failover.silentHost}:3636`], password: 'Wrong-Password-1', onWarning: (w) => warnings.push(w) }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExbinderError);
      expect((err as ExbinderError).code).toBe('ldap-credentials');
      expect((err as ExbinderError).message).toMatch(new RegExp(`^bind as ${dc.readerUpn} to ${dc.host}:636 failed: invalid credentials`));
      expect(warnings).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      expect(second.connections).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('every DC failing: the last reason, and how many were tried', async () => {
    const dc = contoso();
    const warnings: string[] = [];
    const err = await openLdap(
      reader(dc, { url: undefined, urls: [`ldaps://localhost:1`, `ldaps://localhost:2`], onWarning: (w) => warnings.push(w) }),
    ).catch((e: unknown) => e);
    expect((err as ExbinderError).code).toBe('ldap-unreachable');
    expect((err as ExbinderError).message).toMatch(/^none of the 2 domain controllers answered; the last: cannot reach localhost:2 \(connection refused\)/);
    expect(warnings).toHaveLength(1);
  });

  it('a DC lost mid-harvest: the harvest fails, it never goes on with the next DC', async () => {
    const dc = contoso();
    const relay = await startRelay(dc.ip, dc.ip, 636);
    try {
      const warnings: string[] = [];
      const dir = await openLdap(reader(dc, { url: undefined, urls: [`ldaps://${dc.host}:${relay.port}`, dc.ldapsUrl], onWarning: (w) => warnings.push(w) }));
      const start = relay.bytesDown;
      relay.onBytesDown(start + 30_000, () => relay.cut());
      const err = await harvest(dir, { toolVersion: 'test' }).catch((e: unknown) => e);
      await dir.close();
      expect(err).toBeInstanceOf(ExbinderError);
      expect((err as ExbinderError).code).toBe('ldap-connection-lost');
      expect(dir.server).toBe(`${dc.host}:${relay.port}`);
      expect(warnings).toEqual([]);
    } finally {
      await relay.close();
    }
  });
});

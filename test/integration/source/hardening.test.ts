/**
 * Issue 10, messages and network faults against the real test DC: hints that
 * name only options that exist, ldap:// to the LDAPS port, a CA file with a
 * garbage body, a settable connect timeout and a frozen DC reported as a
 * timeout; and a sweep of the fault proxy (test/fault/proxy.ts) cutting with
 * FIN or RST, or stalling, at many byte offsets of a harvest.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { openLdap } from '../../../src/source/ldap.js';
import { runCli } from '../../../src/cli/program.js';
import { startProxy, type ProxyMode } from '../../fault/proxy.js';
import { contoso, failure, reader } from './helpers.js';

async function cli(args: string[]) {
  const err: string[] = [];
  const code = await runCli(['node', 'exbinder', ...args], { out: () => undefined, err: (l) => err.push(l), isTTY: false });
  return { code, err };
}

/** samba and every process it started (prefork workers), for SIGSTOP/SIGCONT */
function sambaTree(workDir: string): number[] {
  const root = Number(readFileSync(join(workDir, ...findPidFile(workDir)), 'utf8').trim());
  const all = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (all.has(ppid) && !all.has(Number(p))) {
          all.add(Number(p));
          grew = true;
        }
      } catch {
        // gone meanwhile
      }
    }
  }
  return [...all];
}

function findPidFile(workDir: string): string[] {
  const out = execFileSync('find', [workDir, '-name', 'samba.pid']).toString().trim().split('\n')[0]!;
  return [out.slice(workDir.length + 1)];
}

describe('issue 10: hints name only options that exist; precise transport hints', () => {
  it('issue 10 case 18: no hint names --starttls (LDAPS to port 389, --no-starttls refused, TLS closed in the handshake)', async () => {
    const dc = contoso();
    const toPlainPort = await failure(reader(dc, { url: `ldaps://${dc.host}:389` }));
    const cleartext = await failure(reader(dc, { url: `ldap://${dc.host}`, startTls: false, insecurePlain: true }));
    const proxy = await startProxy({ listenHost: dc.ip, targetHost: dc.ip, targetPort: 636, mode: 'fin', at: 0 });
    try {
      const closedInHandshake = await failure(reader(dc, { url: `ldaps://${dc.host}:${proxy.port}`, connectTimeoutMs: 3000 }));
      for (const e of [toPlainPort, cleartext, closedInHandshake]) expect(e.message).not.toMatch(/--starttls/);
      expect(toPlainPort.message).toMatch(/for port 389 use ldap:\/\/ \(StartTLS is the default\)$/);
      expect(cleartext.message).toMatch(/use ldaps:\/\/, or ldap:\/\/ without --no-starttls \(StartTLS\)$/);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('issue 10 case 19: ldap:// to port 636 says it is the LDAPS port, not "check the network"', async () => {
    const dc = contoso();
    const e = await failure(reader(dc, { url: `ldap://${dc.host}:636`, startTls: true, connectTimeoutMs: 3000 }));
    expect(e.code).toBe('ldap-wrong-port');
    expect(e.message).toMatch(new RegExp(`^${dc.host.replace(/\./g, '\\.')}:636 is an LDAPS port but the URL says ldap:// \\(.+\\): use ldaps://${dc.host.replace(/\./g, '\\.')}:636, or ldap:// to port 389$`));
  }, 30_000);

  it('issue 10 case 20: a CA file with PEM markers and a garbage body: "holds no valid certificate", not a trust error', async () => {
    const dc = contoso();
    const dir = mkdtempSync(join(tmpdir(), 'exbinder-i10-ca-'));
    const bad = join(dir, 'ca.pem');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\nAAAA!!!!garbage\n-----END CERTIFICATE-----\n');
    const e = await failure(reader(dc, { caFile: bad }));
    expect(e.code).toBe('ca-file');
    expect(e.message).toBe(`CA file ${bad} holds no valid certificate (1 PEM block that do not decode as X.509): export the CA certificate again as Base-64 (PEM)`);
  }, 30_000);
});

describe('issue 10: connect timeout settable; a frozen DC is a timeout', () => {
  it('issue 10 case 21: --connect-timeout 1 against a frozen (SIGSTOPped) DC: one line "no answer within 1s" in about a second', async () => {
    const dc = contoso();
    const pids = sambaTree(dc.workDir);
    const dir = mkdtempSync(join(tmpdir(), 'exbinder-i10-frozen-'));
    for (const p of pids) process.kill(p, 'SIGSTOP');
    let r: { code: number; err: string[] };
    const t0 = Date.now();
    try {
      r = await cli(['harvest', '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.readerUpn, '--password-file', dc.passwordFile, '--connect-timeout', '1', '--out', join(dir, 'x.json')]);
    } finally {
      for (const p of pids) process.kill(p, 'SIGCONT');
    }
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`exbinder: cannot reach ${dc.host}:636 (no answer within 1s): check --url, firewalls, and that the DC listens on LDAPS/636`]);
  }, 60_000);

  it('issue 10 case 21b: a DC that freezes in the middle of the harvest is reported as a timeout, not "the connection was closed"', async () => {
    const dc = contoso();
    // let the bind and a few pages through, then nothing more
    const proxy = await startProxy({ listenHost: dc.ip, targetHost: dc.ip, targetPort: 636, mode: 'stall', at: 40_000 });
    try {
      const e = await failure(reader(dc, { url: `ldaps://${dc.host}:${proxy.port}`, timeoutMs: 1500 }), (d) => harvest(d, { toolVersion: 'test' }));
      expect(proxy.fired).toBe(true);
      expect(e.code).toBe('ldap-timeout');
      expect(e.message).toMatch(/did not answer the (search|rootdse) within 1\.5s: retry, or raise --timeout for a slow or loaded DC$/);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('issue 10: fault proxy sweep over a harvest (FIN, RST, stall at many byte offsets)', () => {
  it('every cut or stall ends in one typed line within the timeouts, never an internal error', async () => {
    const dc = contoso();
    // how many bytes a whole harvest takes
    const probe = await startProxy({ listenHost: dc.ip, targetHost: dc.ip, targetPort: 636, mode: 'forward' });
    const d = await openLdap(reader(dc, { url: `ldaps://${dc.host}:${probe.port}` }));
    await harvest(d, { toolVersion: 'test' });
    await d.close();
    const total = probe.bytesDown;
    await probe.close();
    expect(total).toBeGreaterThan(10_000);
    const offsets = [0, 1, 7, 100, 1000, 3000, Math.floor(total / 4), Math.floor(total / 2), total - 100];
    const seen: string[] = [];
    for (const mode of ['fin', 'rst', 'stall'] as ProxyMode[]) {
      for (const at of offsets) {
        const proxy = await startProxy({ listenHost: dc.ip, targetHost: dc.ip, targetPort: 636, mode, at });
        const t0 = Date.now();
        try {
          const e = await failure(reader(dc, { url: `ldaps://${dc.host}:${proxy.port}`, timeoutMs: 1500, connectTimeoutMs: 1500 }), (x) => harvest(x, { toolVersion: 'test' }));
          const where = `${mode} at ${at}/${total}: ${e.code}: ${e.message}`;
          seen.push(where);
          expect(['ldap-unreachable', 'ldap-connection-lost', 'ldap-timeout', 'tls-handshake'], where).toContain(e.code);
          expect(e.message, where).not.toMatch(/internal|undefined|\[object/);
          expect(Date.now() - t0, where).toBeLessThan(20_000);
        } finally {
          await proxy.close();
        }
      }
    }
    expect(seen).toHaveLength(offsets.length * 3);
  }, 600_000);
});

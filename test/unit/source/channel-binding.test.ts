/**
 * tls-server-end-point (RFC 5929) against openssl's own fingerprints of
 * certificates openssl makes: SHA-256 for an RSA/SHA-256 and for a SHA-1
 * signed certificate (RFC 5929 §4.1 upgrades SHA-1), SHA-384 for ECDSA/SHA-384.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endPointHash, tlsServerEndPoint } from '../../../src/source/channel-binding.js';

const dir = mkdtempSync(join(tmpdir(), 'exbinder-cbt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cert(name: string, keyArgs: string[], digest: string): { der: Buffer; fingerprint: (alg: string) => string } {
  const key = join(dir, `${name}.key`);
  const pem = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', `-${digest}`, '-days', '1', '-subj', `/CN=${name}.contoso.test`, '-keyout', key, '-out', pem], { stdio: 'ignore' });
  const der = execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER']);
  return {
    der,
    fingerprint: (alg) =>
      execFileSync('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', `-${alg}`], { encoding: 'utf8' })
        .trim()
        .replace(/^.*=/, '')
        .replace(/:/g, '')
        .toLowerCase(),
  };
}

describe('tls-server-end-point', () => {
  it('RSA signed with SHA-256: the certificate SHA-256 fingerprint', () => {
    const c = cert('rsa256', ['-newkey', 'rsa:2048'], 'sha256');
    expect(endPointHash(c.der)).toBe('sha256');
    const cb = tlsServerEndPoint(c.der);
    expect(cb.subarray(0, 21).toString('ascii')).toBe('tls-server-end-point:');
    expect(cb.subarray(21).toString('hex')).toBe(c.fingerprint('sha256'));
    expect(readFileSync(join(dir, 'rsa256.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('ECDSA signed with SHA-384: SHA-384', () => {
    const c = cert('ec384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'sha384');
    expect(endPointHash(c.der)).toBe('sha384');
    expect(tlsServerEndPoint(c.der).subarray(21).toString('hex')).toBe(c.fingerprint('sha384'));
  });

  it('signed with SHA-1: upgraded to SHA-256', () => {
    const c = cert('rsa1', ['-newkey', 'rsa:2048'], 'sha1');
    expect(endPointHash(c.der)).toBe('sha256');
    expect(tlsServerEndPoint(c.der).subarray(21).toString('hex')).toBe(c.fingerprint('sha256'));
  });
});

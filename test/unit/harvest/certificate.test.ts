import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCertificate, expiryState, parseSubjectAltNames, windowsDn } from '../../../src/harvest/decode/certificate.js';

/**
 * Real certificates made with openssl, as an Exchange server's self-signed
 * one is: keyUsage without keyCertSign (which makes OpenSSL's issuer check
 * fail, so selfSigned must not rely on it), and a CA-issued one.
 */
let dir: string;
let selfSigned: Buffer;
let issued: Buffer;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'exbinder-cert-'));
  writeFileSync(
    join(dir, 'ex.cnf'),
    [
      '[req]', 'distinguished_name=dn', 'prompt=no', '[dn]', 'C=CH', 'O=Contoso', 'CN=mail.contoso.test',
      '[ext]', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:mail.contoso.test,DNS:autodiscover.contoso.test,IP:10.0.1.41',
    ].join('\n'),
  );
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ex.key', '-out', 'ex.der', '-outform', 'DER',
    '-config', 'ex.cnf', '-extensions', 'ext', '-set_serial', '0x1A2B3C', '-days', '30']);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Contoso Root CA', '-days', '30']);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=ex2019.contoso.test']);
  openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '77', '-days', '30', '-outform', 'DER', '-out', 'srv.der']);
  selfSigned = readFileSync(join(dir, 'ex.der'));
  issued = readFileSync(join(dir, 'srv.der'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificate', () => {
  it('decodes an Exchange-style self-signed certificate', () => {
    const c = decodeCertificate(selfSigned);
    expect(c.subject).toBe('CN=mail.contoso.test, O=Contoso, C=CH');
    expect(c.issuer).toBe(c.subject);
    expect(c.serialNumber).toBe('1A2B3C');
    expect(c.subjectAltNames).toEqual(['DNS:mail.contoso.test', 'DNS:autodiscover.contoso.test', 'IP:10.0.1.41']);
    expect(c.selfSigned).toBe(true);
    // thumbprint = SHA-1 of the DER, upper-case hex, no separators (Get-ExchangeCertificate)
    const sha1 = execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha1'], { input: selfSigned }).toString();
    expect(c.thumbprint).toBe(sha1.split('=')[1]!.trim().replace(/:/g, ''));
    expect(c.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(Date.parse(c.notAfter) - Date.parse(c.notBefore)).toBe(30 * 86_400_000);
  });

  it('a CA-issued certificate is not self-signed', () => {
    const c = decodeCertificate(issued);
    expect(c.subject).toBe('CN=ex2019.contoso.test');
    expect(c.issuer).toBe('CN=Contoso Root CA');
    expect(c.serialNumber).toBe('4D');
    expect(c.subjectAltNames).toEqual([]);
    expect(c.selfSigned).toBe(false);
  });

  it('rejects bytes that are not a certificate', () => {
    expect(() => decodeCertificate(Buffer.from('not a certificate'))).toThrow(/not a DER X.509 certificate/);
  });

  it('expiry relative to the harvest time: 60-day warning window', () => {
    const c = decodeCertificate(selfSigned);
    const notAfter = Date.parse(c.notAfter);
    expect(expiryState(c, new Date(notAfter - 61 * 86_400_000))).toBe('valid');
    expect(expiryState(c, new Date(notAfter - 60 * 86_400_000))).toBe('expiring');
    expect(expiryState(c, new Date(notAfter - 1000))).toBe('expiring');
    expect(expiryState(c, new Date(notAfter))).toBe('expired');
  });
});

describe('subjectAltName text', () => {
  it('splits plain entries and keeps quoted ones whole', () => {
    expect(parseSubjectAltNames('DNS:a.test, DNS:"odd, name.test", IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1')).toEqual([
      'DNS:a.test', 'DNS:odd, name.test', 'IP:10.0.0.1', 'IP:2001:DB8:0:0:0:0:0:1',
    ]);
    expect(parseSubjectAltNames(undefined)).toEqual([]);
  });
  it('DN in the Windows order', () => {
    expect(windowsDn('C=CH\nO=Contoso\nCN=mail')).toBe('CN=mail, O=Contoso, C=CH');
  });
});

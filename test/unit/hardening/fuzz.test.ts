/**
 * Issue 10, decoders: property tests (fast-check) for every parser and
 * decoder, bounded for npm test (scripts/fuzz.ts runs them long). Plus the
 * two inputs the adversarial run found, as named regression tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateError, decodeCertificate } from '../../../src/harvest/decode/certificate.js';
import { SecurityDescriptorError, parseDacl } from '../../../src/harvest/decode/security-descriptor.js';
import { certificateOf } from '../../../src/harvest/certificates.js';
import { Warnings } from '../../../src/harvest/warnings.js';
import { TARGETS, fuzzTarget } from '../../fuzz/targets.js';

describe('issue 10: the two decoder crashes the mutation fuzzer found', () => {
  it('issue 10 case 22: an object ACE of size 8 is a SecurityDescriptorError, not a RangeError', () => {
    const sd = Buffer.from('010004800000000000000000000000001400000004001000010000000500080000010000', 'hex');
    let err: unknown;
    try {
      parseDacl(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecurityDescriptorError);
    expect((err as Error).message).toBe('object ACE of 8 bytes has no room for its flags');
  });

  it('issue 10 case 23: FAB-MBX2.der with byte 82 changed 0x30 -> 0x6d ("Bad time value") is a CertificateError, and the warning quotes no Node internals', () => {
    const der = Buffer.from(readFileSync(join(process.cwd(), 'fixtures/orgs/certs/FAB-MBX2.der')));
    expect(der[82]).toBe(0x30);
    der[82] = 0x6d;
    expect(() => decodeCertificate(der)).toThrow(CertificateError);
    const w = new Warnings();
    expect(certificateOf(der, 'internal transport certificate of FAB-MBX2', 'CN=FAB-MBX2', new Date('2026-12-01T00:00:00Z'), w)).toBeNull();
    const [warning] = w.list;
    expect(warning?.message).toMatch(/^internal transport certificate of FAB-MBX2 is not a readable certificate: certificate not(Before|After) is not a valid time \("Bad time value"\)$/);
    expect(warning?.message).not.toMatch(/RangeError|Invalid time value|toISOString|error:[0-9A-F]{8}/);
  });
});

describe('issue 10: property tests: every decoder gives a value or its typed error, in bounded time', () => {
  for (const t of TARGETS) {
    it(`issue 10 case 24 (fuzz): ${t.name}`, () => {
      const r = fuzzTarget(t, Number(process.env['EXBINDER_FUZZ_RUNS'] ?? 300), 1000);
      expect(r.failure, `${t.name}: ${r.failure}`).toBeNull();
      expect(r.inputs).toBeGreaterThanOrEqual(300);
    }, 120_000);
  }
});

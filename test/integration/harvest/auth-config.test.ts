/**
 * The Auth Configuration certificate harvested from the real test DCs over
 * LDAPS (class msExchAuthAuthConfig, multi-valued tagged
 * msExchAuthCertificateThumbprint in the Exchange schema slice), against the
 * SHA-1 of the fixture certificates computed here from their DER files.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contoso, fabrikam, harvestLive } from './helpers.js';

const thumbprintOf = (file: string) =>
  createHash('sha1').update(readFileSync(join(import.meta.dirname, '../../../fixtures/orgs/certs', `${file}.der`))).digest('hex').toUpperCase();

describe('Auth Configuration over LDAPS', () => {
  it('contoso: the current certificate and the staged next one', async () => {
    const s = await harvestLive(contoso());
    expect(s.organization.authCertificate).toEqual({ current: thumbprintOf('contoso-auth'), previous: null, next: thumbprintOf('contoso-auth-next') });
    // read from an object of its own: no unknown-object warning, no raw attribute on the organization
    expect(s.metadata.warnings.filter((w) => w.dn?.startsWith('CN=Auth Configuration,'))).toEqual([]);
  });

  it('fabrikam: rotated once, the old certificate is the previous one', async () => {
    const s = await harvestLive(fabrikam());
    expect(s.organization.authCertificate).toEqual({ current: thumbprintOf('fabrikam-auth'), previous: thumbprintOf('fabrikam-auth-previous'), next: null });
  });
});

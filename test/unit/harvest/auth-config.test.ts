/**
 * The Auth Configuration certificate (msExchAuthCertificateThumbprint on
 * CN=Auth Configuration, class msExchAuthAuthConfig): the tagged values
 * decode as Exchange's AuthConfigSchema does, the demo exports carry the
 * thumbprints of the fixture certificates, and the organization chapter
 * prints the current one with Microsoft's republishing steps.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapAuthConfig } from '../../../src/harvest/forest.js';
import { harvest } from '../../../src/harvest/index.js';
import { openLdif } from '../../../src/source/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import type { Entry } from '../../../src/source/directory.js';
import { unwrap } from '../render/helpers.js';

const REPO = join(import.meta.dirname, '../../..');
/** SHA-1 of a kept fixture certificate, computed here from the DER (not from the LDIF the harvest reads). */
const thumbprintOf = (file: string) => createHash('sha1').update(readFileSync(join(REPO, 'fixtures/orgs/certs', `${file}.der`))).digest('hex').toUpperCase();
const authEntry = (...values: string[]): Entry => ({
  dn: 'CN=Auth Configuration,CN=Contoso',
  text: new Map([['objectclass', ['msExchAuthAuthConfig']], ['msexchauthcertificatethumbprint', values]]),
  binary: new Map(),
});

describe('msExchAuthCertificateThumbprint', () => {
  it('tags 0: current, 1: previous, 2: next; one untagged value is the current one; no object is null', () => {
    expect(mapAuthConfig(authEntry('2:BBBB', '0:AAAA'))).toEqual({ current: 'AAAA', previous: null, next: 'BBBB' });
    expect(mapAuthConfig(authEntry('0:AAAA', '1:CCCC'))).toEqual({ current: 'AAAA', previous: 'CCCC', next: null });
    expect(mapAuthConfig(authEntry('AAAA'))).toEqual({ current: 'AAAA', previous: null, next: null });
    expect(mapAuthConfig(authEntry('1:CCCC'))).toEqual({ current: null, previous: 'CCCC', next: null });
    expect(mapAuthConfig(authEntry())).toEqual({ current: null, previous: null, next: null });
    expect(mapAuthConfig(undefined)).toBeNull();
  });

  it.each([
    ['contoso', { current: thumbprintOf('contoso-auth'), previous: null, next: thumbprintOf('contoso-auth-next') }],
    ['fabrikam', { current: thumbprintOf('fabrikam-auth'), previous: thumbprintOf('fabrikam-auth-previous'), next: null }],
  ])('%s export: the organization carries the fixture certificates\' thumbprints', async (org, expected) => {
    const s = await harvest(await openLdif([join(REPO, 'fixtures/exports', `${org}.ldif`)]), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
    expect(s.organization.authCertificate).toEqual(expected);
    expect(expected.current).toMatch(/^[0-9A-F]{40}$/);
  }, 30_000);

  it('the organization chapter prints the current thumbprint and how to publish a certificate again', async () => {
    const s = await harvest(await openLdif([join(REPO, 'fixtures/exports/contoso.ldif')]), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
    const md = renderMarkdown(buildView(s, { supplement: null, drift: null }), { templatesDir: join(REPO, 'templates') });
    const chapter = unwrap(md.slice(md.indexOf('# Organization and forest'))); // wrapped prose joined again
    expect(chapter).toContain(`| Current auth certificate thumbprint | ${thumbprintOf('contoso-auth')} |`);
    expect(chapter).toContain(`| Next auth certificate (staged) | ${thumbprintOf('contoso-auth-next')} |`);
    expect(chapter).toContain('Set-AuthConfig -PublishCertificate');
    expect(chapter).toContain('"Maintain the Exchange Server OAuth certificate"');
    // an organization without Auth Configuration (2007/2010 only) prints no such section
    const none = renderMarkdown(buildView({ ...s, organization: { ...s.organization, authCertificate: null } }, { supplement: null, drift: null }), { templatesDir: join(REPO, 'templates') });
    expect(none).not.toContain('Auth Configuration');
  }, 30_000); // two harvests and two renders: more than vitest's 5 s on a loaded 2-core machine
});

/**
 * POP3 / IMAP4 settings (CN=POP3 / CN=IMAP4 under a server's CN=Protocols,
 * classes protocolCfgPOPServer / protocolCfgIMAPServer): the mapper reads the
 * attributes as Exchange's PopImapAdConfigurationSchema names them, the
 * contoso export carries the fixture's four objects, and the binder prints
 * the certificate names among the names the replacement certificate must cover.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapPopImapSettings } from '../../../src/harvest/client-access.js';
import { harvest } from '../../../src/harvest/index.js';
import { Warnings } from '../../../src/harvest/warnings.js';
import { openLdif } from '../../../src/source/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { DnIndex } from '../../../src/dn.js';
import type { Entry } from '../../../src/source/directory.js';
import { unwrap } from '../render/helpers.js';

const REPO = join(import.meta.dirname, '../../..');
const SERVER = 'CN=EX1,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test';
const entry = (dn: string, attrs: Record<string, string[]>): Entry => ({
  dn,
  text: new Map([...Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v] as [string, string[]])]),
  binary: new Map([['objectguid', [Buffer.alloc(16, 1)]]]),
});
const servers = new DnIndex([entry(SERVER, { objectClass: ['msExchExchangeServer'], cn: ['EX1'] })], (e) => e.dn);

describe('mapPopImapSettings', () => {
  it('POP3 with a certificate name, Exchange\'s default bindings and an external setting as ProtocolConnectionSettings writes it (host:port:encryption)', () => {
    const w = new Warnings();
    const pop = mapPopImapSettings(entry(`CN=POP3,CN=Protocols,${SERVER}`, {
      objectClass: ['top', 'protocolCfg', 'protocolCfgPOP', 'protocolCfgPOPServer'], cn: ['POP3'],
      msExchPopImapX509CertificateName: ['mail.contoso.com'],
      msExchServerBindings: ['[::]:110', '0.0.0.0:110'], msExchSecureBindings: ['[::]:995', '0.0.0.0:995'],
      msExchPOPIMAPExternalConnectionSettings: ['mail.contoso.com:995:SSL'],
    }), servers, w);
    expect(pop).toMatchObject({
      name: 'POP3', server: SERVER, protocol: 'POP3', x509CertificateName: 'mail.contoso.com',
      unencryptedOrTlsBindings: ['[::]:110', '0.0.0.0:110'], sslBindings: ['[::]:995', '0.0.0.0:995'],
      internalConnectionSettings: [], externalConnectionSettings: ['mail.contoso.com:995:SSL'],
    });
    expect(w.list).toEqual([]);
  });

  it('IMAP4 by its class; no certificate name (Exchange\'s default, an empty string) is null', () => {
    const imap = mapPopImapSettings(entry(`CN=IMAP4,CN=Protocols,${SERVER}`, {
      objectClass: ['protocolCfgIMAPServer'], cn: ['IMAP4'], msExchPopImapX509CertificateName: [' '], msExchServerBindings: ['0.0.0.0:143'],
    }), servers, new Warnings());
    expect(imap).toMatchObject({ protocol: 'IMAP4', x509CertificateName: null, unencryptedOrTlsBindings: ['0.0.0.0:143'], sslBindings: [] });
  });

  it('settings under no readable server are left out with a warning, not attached to a wrong server', () => {
    const w = new Warnings();
    const dn = 'CN=POP3,CN=Protocols,CN=GONE,CN=Servers,CN=Other';
    expect(mapPopImapSettings(entry(dn, { objectClass: ['protocolCfgPOPServer'] }), servers, w)).toBeNull();
    expect(w.list.map((x) => [x.code, x.dn])).toEqual([['orphan-object', dn]]);
  });

  it('contoso export: EX2016 with certificate names, EX2019 without; the binder lists the names to cover', async () => {
    const s = await harvest(await openLdif([join(REPO, 'fixtures/exports/contoso.ldif')]), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
    const got = s.popImapSettings.map((p) => [/^CN=[^,]+,CN=Protocols,CN=([^,]+)/.exec(p.dn)![1], p.protocol, p.x509CertificateName, p.externalConnectionSettings.join(' ')]).sort();
    expect(got).toEqual([
      ['EX2016', 'IMAP4', 'imap.contoso.com', 'imap.contoso.com:993:SSL'],
      ['EX2016', 'POP3', 'mail.contoso.com', 'mail.contoso.com:995:SSL'],
      ['EX2019', 'IMAP4', null, ''],
      ['EX2019', 'POP3', null, ''],
    ]);
    // mapped now, so no longer reported as an unknown child of the server
    expect(s.metadata.warnings.filter((w) => /CN=(POP3|IMAP4),CN=Protocols/.test(w.dn ?? ''))).toEqual([]);
    const md = renderMarkdown(buildView(s, { supplement: null, drift: null }), { templatesDir: join(REPO, 'templates') });
    const chapter = (name: string) => unwrap(md.slice(md.indexOf(`# Server ${name}`), md.indexOf('\n# ', md.indexOf(`# Server ${name}`) + 3)));
    const ex2016 = chapter('EX2016');
    expect(ex2016).toContain('| IMAP4 | `imap.contoso.com` | `0.0.0.0:143`, `[::]:143` | `0.0.0.0:993`, `[::]:993` | `imap.contoso.com:993:SSL` |');
    // imap.contoso.com is no web name of EX2016: only the POP/IMAP certificate name puts it on the list
    const names = ex2016.slice(ex2016.indexOf('Names the replacement SSL certificate must cover'));
    expect(names).toContain('- `imap.contoso.com` (certificate name of IMAP4)');
    expect(names).toContain('- `mail.contoso.com` (certificate name of POP3)');
    expect(chapter('EX2019')).toContain('| POP3 | not set |');
    expect(chapter('EX2019')).not.toContain('(certificate name of');
  }, 30_000); // a harvest and a render: more than vitest's 5 s on a loaded 2-core machine
});

/**
 * POP3 / IMAP4 settings harvested from the real contoso test DC over LDAPS
 * (classes protocolCfgPOPServer / protocolCfgIMAPServer and the
 * msExchPopImap* / msExchServerBindings / msExchSecureBindings attributes in
 * the Exchange schema slice), and the EdgeSync Send connector of EDGE01.
 */
import { describe, expect, it } from 'vitest';
import { contoso, harvestLive } from './helpers.js';

describe('POP3 and IMAP4 settings over LDAPS', () => {
  it('contoso: EX2016 carries certificate names, EX2019 none; EDGE01 is the source of its EdgeSync connector', async () => {
    const s = await harvestLive(contoso());
    const byServer = (name: string) => s.popImapSettings.filter((p) => p.server.startsWith(`CN=${name},`)).sort((a, b) => (a.protocol < b.protocol ? -1 : 1));
    expect(byServer('EX2016').map((p) => [p.protocol, p.x509CertificateName, p.sslBindings, p.externalConnectionSettings])).toEqual([
      ['IMAP4', 'imap.contoso.com', ['0.0.0.0:993', '[::]:993'], ['imap.contoso.com:993:SSL']],
      ['POP3', 'mail.contoso.com', ['0.0.0.0:995', '[::]:995'], ['mail.contoso.com:995:SSL']],
    ]);
    expect(byServer('EX2019').map((p) => [p.protocol, p.x509CertificateName, p.unencryptedOrTlsBindings])).toEqual([
      ['IMAP4', null, ['0.0.0.0:143', '[::]:143']],
      ['POP3', null, ['0.0.0.0:110', '[::]:110']],
    ]);
    const edgeSync = s.sendConnectors.find((c) => c.name.startsWith('EdgeSync - '));
    expect(edgeSync?.addressSpaces).toEqual(['SMTP:*;100']);
    expect(edgeSync?.sourceServers.map((d) => d.split(',')[0])).toEqual(['CN=EDGE01']);
  }, 60_000);
});

/**
 * Every warning code the harvest can emit, each from a small export that has
 * exactly that oddity: nothing unexpected is a crash or silently dropped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { harvest } from '../../../src/harvest/index.js';
import type { Warning } from '../../../src/snapshot/model.js';
import { A_RECORD_10_0_1_10, AG, CONFIG, dnsNode, domainHead, EX1, ex1Computer, EXCH, exchangeOrg, ldif, ORG, schemaVersion, siteDc } from './ldif-fixtures.js';

const forestParts = '\n' + ldif(siteDc({ ntds: ['options: 1'] }), schemaVersion());

const base = forestParts + '\n' + ldif(exchangeOrg('objectVersion: 16763'), domainHead(), ex1Computer(), dnsNode('ex1', A_RECORD_10_0_1_10));

const server = (extra = '', cn = 'EX1') => `
dn: CN=${cn},CN=Servers,${AG}
objectClass: msExchExchangeServer
serialNumber: Version 15.1 (Build 32507.6)
msExchCurrentServerRoles: 16439
networkAddress: ncacn_ip_tcp:${cn.toLowerCase()}.contoso.test
${extra}

dn: CN=InformationStore,CN=${cn},CN=Servers,${AG}
objectClass: msExchInformationStore
`;

const dir = mkdtempSync(join(tmpdir(), 'exbinder-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function warningsOf(ldif: string, now = new Date('2026-11-25T12:00:00Z'), from = base): Promise<Warning[]> {
  const file = join(dir, `w${n++}.ldif`);
  writeFileSync(file, (from + ldif).replace(/\n{3,}/g, '\n\n').trimStart());
  const s = await harvest(await openLdif([file]), { toolVersion: 't', now: () => now });
  return s.metadata.warnings;
}

describe('warning codes', () => {
  it('a healthy server has none', async () => {
    expect(await warningsOf(server())).toEqual([]);
  });

  it('unknown-auth-bit (virtual directory and receive connector)', async () => {
    const w = await warningsOf(server() + `
dn: CN=owa (Default Web Site),CN=HTTP,CN=Protocols,${EX1}
objectClass: msExchOWAVirtualDirectory
msExchInternalAuthenticationMethods: 65541

dn: CN=Default EX1,CN=SMTP Receive Connectors,CN=Protocols,${EX1}
objectClass: msExchSmtpReceiveConnector
msExchSMTPReceiveInboundSecurityFlag: 129
`);
    expect(w.filter((x) => x.code === 'unknown-auth-bit').map((x) => x.message)).toEqual([
      // canonical order: by DN
      'receive connector Default EX1: msExchSMTPReceiveInboundSecurityFlag 129 has unknown bits 128',
      'owa (Default Web Site): msExchInternalAuthenticationMethods 65541 has unknown bits 65536',
    ]);
    // an export without the connector's security descriptor
    expect(w.filter((x) => x.code === 'permissions-unreadable').map((x) => x.dn)).toEqual([`CN=Default EX1,CN=SMTP Receive Connectors,CN=Protocols,${EX1}`]);
  });

  it('unknown-schema-version', async () => {
    const w = await warningsOf(server() + '\n' + schemaVersion(99999));
    expect(w.map((x) => [x.code, x.message])).toEqual([['unknown-schema-version', 'Exchange schema version (rangeUpper) 99999 is not in the table of known releases']]);
  });

  it('no-fqdn and no-computer-account for a server without networkAddress nor computer', async () => {
    const w = await warningsOf(`
dn: CN=EX5,CN=Servers,${AG}
objectClass: msExchExchangeServer
serialNumber: Version 15.1 (Build 32507.6)

dn: CN=InformationStore,CN=EX5,CN=Servers,${AG}
objectClass: msExchInformationStore
`);
    expect(w.map((x) => x.code).sort()).toEqual(['no-computer-account', 'no-fqdn']);
  });

  it('an Edge Transport server (not a domain member) is not reported for a missing computer account', async () => {
    const w = await warningsOf(`
dn: CN=EDGE1,CN=Servers,${AG}
objectClass: msExchExchangeServer
serialNumber: Version 15.2 (Build 31748.10)
msExchCurrentServerRoles: 64
networkAddress: ncacn_ip_tcp:edge1.perimeter.example

dn: CN=InformationStore,CN=EDGE1,CN=Servers,${AG}
objectClass: msExchInformationStore
`);
    // its address is not in AD DNS either: that one is worth writing in by hand
    expect(w.map((x) => x.code)).toEqual(['not-in-ad-dns']);
  });

  it('dns-record-unreadable', async () => {
    const w = await warningsOf(server() + '\n' + dnsNode('ex1', 'dnsRecord:: BAABAAXwAAAB'));
    expect(w.map((x) => x.code)).toContain('dns-record-unreadable');
  });

  it('cert-expiring within 60 days of the harvest, cert-expired after, nothing before', async () => {
    // the fabrikam test certificate: notAfter Mar  1 00:00:00 2024 GMT, SHA-1 14:B4:87:…:C2 (openssl x509 -enddate -fingerprint)
    const der = readFileSync(join(process.cwd(), 'fixtures/orgs/certs/FAB-MBX2.der')).toString('base64');
    const ldifWithCert = server(`msExchServerInternalTLSCert:: ${der}`);
    const expiring = await warningsOf(ldifWithCert, new Date('2024-02-01T00:00:00Z'));
    expect(expiring.map((x) => [x.code, x.dn])).toEqual([['cert-expiring', EX1]]);
    expect(expiring[0]!.message).toContain('thumbprint 14B4875FD7C4D923A312AC1CB7C5F0770D5D99C2');
    expect(expiring[0]!.message).toContain('expires on 2024-03-01, within 60 days');
    expect(await warningsOf(ldifWithCert, new Date('2023-12-01T00:00:00Z'))).toEqual([]);
    expect((await warningsOf(ldifWithCert, new Date('2024-03-02T00:00:00Z'))).map((x) => x.code)).toEqual(['cert-expired']);
  });

  it('cert-unreadable', async () => {
    const w = await warningsOf(server(`msExchServerInternalTLSCert:: ${Buffer.from('not a certificate').toString('base64')}`));
    expect(w.map((x) => [x.code, x.dn])).toEqual([['cert-unreadable', EX1]]);
  });

  it('unreadable-container: a server without any readable child object', async () => {
    const w = await warningsOf(`
dn: ${EX1}
objectClass: msExchExchangeServer
serialNumber: Version 15.1 (Build 32507.6)
networkAddress: ncacn_ip_tcp:ex1.contoso.test
`);
    expect(w.map((x) => [x.code, x.dn])).toEqual([['unreadable-container', EX1]]);
  });

  it('multiple-organizations', async () => {
    const w = await warningsOf(server() + `
dn: CN=Leftover,${EXCH}
objectClass: msExchOrganizationContainer
`);
    expect(w.map((x) => [x.code, x.message])).toEqual([['multiple-organizations', `2 organization objects found; documenting ${ORG}`]]);
  });

  it('missing-data: an export without CN=Sites and the schema version object', async () => {
    const w = await warningsOf(server(), undefined, base.replace(forestParts, ''));
    expect(w.map((x) => [x.code, x.dn])).toEqual([
      ['missing-data', `CN=ms-Exch-Schema-Version-Pt,CN=Schema,${CONFIG}`],
      ['missing-data', `CN=Sites,${CONFIG}`],
    ]);
    expect(w[1]!.message).toBe(`no domain controller found under CN=Sites,${CONFIG}: the export or the account's rights leave it out, so the binder lists no DCs`);
  });

  it('orphan-object: a database copy whose database cannot be read', async () => {
    const w = await warningsOf(server() + `
dn: CN=EX1,CN=DB9,CN=Databases,${AG}
objectClass: msExchMDBCopy
msExchHostServerLink: ${EX1}
`);
    expect(w.map((x) => x.code)).toEqual(['orphan-object']);
  });
});

/**
 * Proves the test DCs are what the other integration tests assume: verified
 * TLS both ways, no plain binds, AD paging and ranged retrieval, the Exchange
 * schema slice, the access-denied account, and process control that works.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client, StrongAuthRequiredError } from 'ldapts';
import { describe, expect, inject, test } from 'vitest';
import { exportLdif } from '../dc/export.js';
import { currentPid, killDc, restartDc, restoreState, saveState, type DcContext } from '../dc/samba.js';

const sh = promisify(execFile);
const contoso = inject('dc');
const fabrikam = inject('dc2');
const AG = (dc: DcContext) => `CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${dc.org.dn}`;
const BIG_DB = `CN=FAB-DB01,CN=Databases,${AG(fabrikam)}`;

async function ldaps(dc: DcContext, upn = dc.readerUpn, password = dc.readerPassword): Promise<Client> {
  const client = new Client({ url: dc.ldapsUrl, tlsOptions: { ca: [readFileSync(dc.caFile)] }, timeout: 30_000 });
  await client.bind(upn, password);
  return client;
}

/** ldapsearch as the reader over LDAPS, password from the 0600 file; returns the LDIF. */
async function ldapsearch(dc: DcContext, base: string, scope: string, filter: string, attrs: string[], extra: string[] = []): Promise<string> {
  const { stdout } = await sh('ldapsearch', ['-LLL', '-o', 'ldif-wrap=no', '-H', dc.ldapsUrl, '-D', dc.readerUpn, '-y', dc.passwordFile,
    ...extra, '-b', base, '-s', scope, filter, ...attrs], { env: { ...process.env, LDAPTLS_CACERT: dc.caFile, LDAPTLS_REQCERT: 'demand' }, maxBuffer: 64 << 20 });
  return stdout;
}
const countLines = (ldif: string, prefix: string) => ldif.split('\n').filter((l) => l.startsWith(prefix)).length;

describe('fixtures', () => {
  test('the committed schema and org LDIF are exactly what the generators make (nobody edited them by hand)', async () => {
    const { generatedSchemaFiles } = await import('../../scripts/dc-gen-schema.js');
    const { generatedOrgFiles } = await import('../../scripts/dc-gen-orgs.js');
    for (const { file, text } of [...generatedSchemaFiles(), ...generatedOrgFiles()]) {
      expect(readFileSync(file, 'utf8'), file).toBe(text);
    }
  });
});

describe('transport security', () => {
  test('LDAPS verifies against the CA file and names the DC', async () => {
    const client = await ldaps(contoso);
    const { searchEntries } = await client.search('', { scope: 'base', attributes: ['dnsHostName', 'configurationNamingContext'] });
    expect(searchEntries[0]?.dnsHostName).toBe(contoso.host);
    expect(searchEntries[0]?.configurationNamingContext).toBe(contoso.configDn);
    await client.unbind();
  });

  test('StartTLS on 389 verifies against the CA file', async () => {
    const client = new Client({ url: contoso.ldapUrl, timeout: 30_000 });
    await client.startTLS({ ca: [readFileSync(contoso.caFile)], servername: contoso.host });
    await client.bind(contoso.readerUpn, contoso.readerPassword);
    const { searchEntries } = await client.search('', { scope: 'base', attributes: ['defaultNamingContext'] });
    expect(searchEntries[0]?.defaultNamingContext).toBe(contoso.baseDn);
    await client.unbind();
  });

  test('LDAPS without trusting the CA fails certificate verification', async () => {
    const client = new Client({ url: contoso.ldapsUrl, timeout: 10_000 });
    await expect(client.bind(contoso.readerUpn, contoso.readerPassword)).rejects.toThrow(/certificate/i);
    await client.unbind().catch(() => undefined);
  });

  test('a simple bind without TLS is refused with strongerAuthRequired', async () => {
    const client = new Client({ url: contoso.ldapUrl, timeout: 10_000 });
    await expect(client.bind(contoso.readerUpn, contoso.readerPassword)).rejects.toBeInstanceOf(StrongAuthRequiredError);
    await client.unbind().catch(() => undefined);
  });
});

describe('AD behaviour the harvester relies on', () => {
  test('homeMDBBL of the big database has >1500 values, fetched by range', async () => {
    const all = await ldapsearch(fabrikam, BIG_DB, 'base', '(objectClass=*)', ['homeMDBBL;range=0-*']);
    expect(countLines(all, 'homeMDBBL;range=0-*:')).toBe(1600);
    const first = await ldapsearch(fabrikam, BIG_DB, 'base', '(objectClass=*)', ['homeMDBBL;range=0-1499']);
    expect(countLines(first, 'homeMDBBL;range=0-1499:')).toBe(1500);
    const rest = await ldapsearch(fabrikam, BIG_DB, 'base', '(objectClass=*)', ['homeMDBBL;range=1500-*']);
    expect(countLines(rest, 'homeMDBBL;range=1500-*:')).toBe(100);
  });

  test('1614 mailbox users (more than AD MaxPageSize 1000) come back through a paged search', async () => {
    const client = await ldaps(fabrikam);
    const { searchEntries } = await client.search(fabrikam.baseDn, {
      scope: 'sub', filter: '(homeMDB=*)', attributes: ['homeMDB'], paged: { pageSize: 500 },
    });
    expect(searchEntries.length).toBe(1614);
    await client.unbind();
  });

  test('the Exchange schema slice is loaded with the expected shapes', async () => {
    const client = await ldaps(contoso);
    const { searchEntries } = await client.search(`CN=Schema,${contoso.configDn}`, {
      scope: 'one',
      filter: '(|(lDAPDisplayName=homeMDB)(lDAPDisplayName=homeMDBBL)(lDAPDisplayName=msExchSmtpReceiveBindings)(lDAPDisplayName=msExchServerInternalTLSCert)(lDAPDisplayName=msExchExchangeServer)(lDAPDisplayName=msExchMDBCopy)(lDAPDisplayName=ms-Exch-Schema-Version-Pt)(cn=ms-Exch-Schema-Version-Pt))',
      attributes: ['lDAPDisplayName', 'linkID', 'isSingleValued', 'attributeSyntax', 'subClassOf', 'rangeUpper'],
    });
    const by = new Map(searchEntries.map((e) => [String(e.lDAPDisplayName), e]));
    expect(by.get('homeMDB')).toMatchObject({ linkID: '32', isSingleValued: 'TRUE', attributeSyntax: '2.5.5.1' });
    expect(by.get('homeMDBBL')).toMatchObject({ linkID: '33', isSingleValued: 'FALSE' });
    expect(by.get('msExchSmtpReceiveBindings')).toMatchObject({ isSingleValued: 'FALSE', attributeSyntax: '2.5.5.12' });
    expect(by.get('msExchServerInternalTLSCert')).toMatchObject({ attributeSyntax: '2.5.5.10' });
    expect(by.get('msExchExchangeServer')).toMatchObject({ subClassOf: 'server' });
    expect(by.get('msExchMDBCopy')).toBeDefined();
    expect(by.get('msExchSchemaVersionPt')).toMatchObject({ rangeUpper: '17003' });
    await client.unbind();
  });

  test('back links are maintained: DAG members and server sites', async () => {
    const client = await ldaps(contoso);
    const { searchEntries } = await client.search(`CN=DAG1,CN=Database Availability Groups,${AG(contoso)}`, {
      scope: 'base', attributes: ['msExchMDBAvailabilityGroupBL'],
    });
    const members = [searchEntries[0]?.msExchMDBAvailabilityGroupBL].flat().map(String).sort();
    expect(members).toEqual([`CN=EX2010A,CN=Servers,${AG(contoso)}`, `CN=EX2010B,CN=Servers,${AG(contoso)}`]);
    await client.unbind();
  });

  test('the denied account sees nothing of the Exchange organization', async () => {
    const client = await ldaps(contoso, contoso.deniedUpn, contoso.deniedPassword);
    const result = await client
      .search(contoso.org.dn, { scope: 'sub', filter: '(objectClass=msExchExchangeServer)', attributes: ['cn'] })
      .then((r) => r.searchEntries.length, (e: Error) => e.name);
    expect([0, 'NoSuchObjectError', 'InsufficientAccessError']).toContain(result);
    const asReader = await ldaps(contoso);
    const { searchEntries } = await asReader.search(contoso.org.dn, { scope: 'sub', filter: '(objectClass=msExchExchangeServer)', attributes: ['cn'] });
    expect(searchEntries.length).toBe(12); // 8 servers + Frontend/Mailbox of EX2016 and EX2019
    await Promise.all([client.unbind(), asReader.unbind()]);
  });

  test('relay connector ACL carries the permission-group SIDs', async () => {
    const relay = `CN=Relay EX2019,CN=SMTP Receive Connectors,CN=Protocols,CN=EX2019,CN=Servers,${AG(contoso)}`;
    // SD flags control asking for the DACL only (what an ordinary user may read)
    const out = await ldapsearch(contoso, relay, 'base', '(objectClass=*)', ['nTSecurityDescriptor'], ['-E', '1.2.840.113556.1.4.801=::MAMCAQQ=']);
    const sd = Buffer.from(/^nTSecurityDescriptor:: (.+)$/m.exec(out)?.[1] ?? '', 'base64');
    expect(sd.length).toBeGreaterThan(20);
    expect(sd.includes(Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 7, 0, 0, 0]))).toBe(true); // S-1-5-7 ANONYMOUS LOGON
  });
});

describe('export (test/dc/export.ts)', () => {
  test('the reader exports the org, the ranged back links and the connector ACLs', async () => {
    const ldif = await exportLdif(fabrikam);
    expect(ldif).toContain(`\ndn: ${BIG_DB}\n`);
    expect(countLines(ldif, 'homeMDBBL:')).toBe(1614); // every mailbox of every database
    expect(countLines(ldif, 'nTSecurityDescriptor::')).toBe(12); // 3 default connectors on each of 4 servers
    expect(ldif).toMatch(/^dn: DC=fab-mbx1,DC=fabrikam\.test,CN=MicrosoftDNS,DC=DomainDnsZones,DC=fabrikam,DC=test$/m);
    expect(ldif).toMatch(/^rangeUpper: 17003$/m);
    expect(ldif).toMatch(/^configurationNamingContext: CN=Configuration,DC=fabrikam,DC=test$/m);
  });
});

describe('process control', () => {
  test('killDc stops LDAPS, restartDc brings the same data back', async () => {
    await killDc(contoso);
    expect(currentPid(contoso)).toBeNull();
    const client = new Client({ url: contoso.ldapsUrl, tlsOptions: { ca: [readFileSync(contoso.caFile)] }, connectTimeout: 2_000, timeout: 2_000 });
    await expect(client.bind(contoso.readerUpn, contoso.readerPassword)).rejects.toThrow();
    const again = await restartDc(contoso);
    expect(currentPid(again)).toBe(again.pid);
    const out = await ldapsearch(contoso, contoso.org.dn, 'base', '(objectClass=*)', ['objectVersion']);
    expect(out).toContain('objectVersion: 16763');
  });

  test('saveState/restoreState puts back a change made with ldapmodify', async () => {
    const ctx = await saveState(contoso);
    const server = `CN=EX2016,CN=Servers,${AG(contoso)}`;
    const change = `dn: ${server}\nchangetype: modify\nreplace: msExchInstallPath\nmsExchInstallPath: E:\\Moved\n-\n`;
    const child = execFile('ldapmodify', ['-H', ctx.ldapsUrl, '-D', ctx.adminUpn, '-w', ctx.adminPassword], { env: { ...process.env, LDAPTLS_CACERT: ctx.caFile } });
    child.stdin!.end(change);
    await new Promise((res, rej) => child.on('exit', (code) => (code === 0 ? res(null) : rej(new Error(`ldapmodify exited ${code}`)))));
    expect(await ldapsearch(ctx, server, 'base', '(objectClass=*)', ['msExchInstallPath'])).toContain('msExchInstallPath: E:\\Moved');
    const back = await restoreState(ctx);
    expect(await ldapsearch(back, server, 'base', '(objectClass=*)', ['msExchInstallPath'])).toContain(
      'msExchInstallPath: C:\\Program Files\\Microsoft\\Exchange Server\\V15',
    );
  }, 120_000);
});

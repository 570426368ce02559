/**
 * The harvest end to end on a small hand-written export (parsed by the real
 * LDIF source): relations, tricky names, what must NOT be taken for a server,
 * and the warnings for everything unexpected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { harvest } from '../../../src/harvest/index.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { guidToBytes } from '../../../src/harvest/decode/guid.js';
import { ExbinderError } from '../../../src/errors.js';
import { AG, CONFIG, dnsNode, domainHead, EX1, EXCH, ldif, ORG, ROOT, rootDse, schemaVersion, siteDc } from './ldif-fixtures.js';

const EX7 = `CN=EX7,CN=Servers,${AG}`;
const SG = `CN=SG2\\, Finance,CN=InformationStore,${EX7}`;

const guid = (n: number): string => `objectGUID:: ${guidToBytes(`00000000-0000-0000-0000-${n.toString().padStart(12, '0')}`).toString('base64')}`;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
/** A record 10.0.1.<last>, TTL 3600, static ([MS-DNSP] 2.3.2.2). */
const aRecord = (last: number): string => {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(4, 0);
  b.writeUInt16LE(1, 2);
  b[4] = 5;
  b[5] = 0xf0;
  b.writeUInt32BE(3600, 12);
  Buffer.from([10, 0, 1, last]).copy(b, 24);
  return `dnsRecord:: ${b.toString('base64')}`;
};

const LDIF = `
${rootDse(`DC=DomainDnsZones,${ROOT}`)}
dn: ${EXCH}
objectClass: top
objectClass: container
objectClass: msExchConfigurationContainer
cn: Microsoft Exchange
${guid(1)}

dn: ${ORG}
objectClass: msExchOrganizationContainer
cn: Contoso
objectVersion: 16763
${guid(2)}

dn: ${AG}
objectClass: msExchAdminGroup
cn: Exchange Administrative Group (FYDIBOHF23SPDLT)
${guid(3)}

dn: ${EX1}
objectClass: top
objectClass: server
objectClass: msExchExchangeServer
cn: EX1
serialNumber: Version 15.1 (Build 32507.6)
msExchCurrentServerRoles: 16439
msExchInstallPath: D:\\Exchange Server\\V15
networkAddress: ncacn_ip_tcp:ex1.contoso.test
networkAddress: netbios:EX1
${guid(10)}

dn: CN=Transport Configuration,${EX1}
objectClass: msExchExchangeTransportCfgContainer
cn: Transport Configuration

dn: CN=Frontend,CN=Transport Configuration,${EX1}
objectClass: top
objectClass: server
objectClass: msExchExchangeServer
objectClass: msExchExchangeTransportServer
cn: Frontend
${guid(11)}

dn: CN=Monitoring Settings,${EX1}
objectClass: top
objectClass: msExchMonitoringSettings
cn: Monitoring Settings

dn: ${EX7}
objectClass: msExchExchangeServer
cn: EX7
serialNumber: Version 8.3 (Build 30083.6)
msExchCurrentServerRoles: 38
networkAddress: ncacn_ip_tcp:ex7.contoso.test
${guid(20)}

dn: CN=EX9,CN=Servers,${AG}
objectClass: msExchExchangeServer
cn: EX9
serialNumber: Version 15.2 (Build 32562.17)
msExchCurrentServerRoles: 16439
networkAddress: ncacn_ip_tcp:ex9.child.contoso.test
${guid(30)}

dn: CN=InformationStore,CN=EX9,CN=Servers,${AG}
objectClass: msExchInformationStore
cn: InformationStore

dn: CN=InformationStore,${EX7}
objectClass: msExchInformationStore
cn: InformationStore

dn: ${SG}
objectClass: msExchStorageGroup
cn: SG2, Finance
msExchESEParamLogFilePath: L:\\Logs\\SG2, Finance
msExchESEParamSystemPath: L:\\Logs\\SG2, Finance
msExchESEParamBaseName: E01
msExchESEParamCircularLog: 1
${guid(21)}

dn:: ${b64(`CN=Zürich Ärzte,${SG}`)}
objectClass: msExchPrivateMDB
cn:: ${b64('Zürich Ärzte')}
msExchEDBFile:: ${b64('F:\\Zürich\\Zürich Ärzte.edb')}
msExchEDBOffline: TRUE
msExchPatchMDB: TRUE
homeMDBBL: CN=u1,OU=Mailboxes,${ROOT}
homeMDBBL: CN=u2,OU=Mailboxes,${ROOT}
${guid(22)}

dn: CN=EX1,CN=Computers,${ROOT}
objectClass: computer
cn: EX1
sAMAccountName: EX1$
dNSHostName: ex1.contoso.test
operatingSystem: Windows Server 2016 Standard
operatingSystemVersion: 10.0 (14393)

${ldif(
  dnsNode('ex1', aRecord(40), aRecord(9)),
  dnsNode('ex7', 'dNSTombstoned: TRUE', aRecord(20)),
  domainHead('msDS-Behavior-Version: 7'),
  siteDc({ server: ['dNSHostName: dc1.contoso.test'], ntds: ['options: 1', `msDS-HasDomainNCs: ${ROOT}`] }),
  dnsNode('dc1', aRecord(2)),
  schemaVersion(15334),
)}`;

let dir: string;
let snap: Snapshot;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exbinder-harvest-'));
  writeFileSync(join(dir, 'export.ldif'), LDIF.trimStart());
  const source = await openLdif([join(dir, 'export.ldif')]);
  snap = await harvest(source, { toolVersion: '0.0.0-test', now: () => new Date('2026-11-25T12:00:00Z') });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codes = (s: Snapshot): string[] => s.metadata.warnings.map((w) => `${w.code} ${w.dn ?? ''}`);

describe('harvest of a small export', () => {
  it('takes real servers only, never the Transport Configuration children', () => {
    expect(snap.servers.map((s) => s.name)).toEqual(['EX1', 'EX7', 'EX9']);
  });

  it('maps a 2016 server with its computer account and DNS addresses', () => {
    const ex1 = snap.servers.find((s) => s.name === 'EX1')!;
    expect(ex1.guid).toBe('00000000-0000-0000-0000-000000000010');
    expect(ex1.fqdn).toBe('ex1.contoso.test');
    expect(ex1.version?.label).toBe('Exchange Server 2016 CU23 (15.1.2507.6)');
    expect(ex1.roles).toEqual(['Mailbox']);
    expect(ex1.installPath).toBe('D:\\Exchange Server\\V15');
    expect(ex1.adminGroup).toBe('Exchange Administrative Group (FYDIBOHF23SPDLT)');
    expect(ex1.computer).toEqual({
      dn: `CN=EX1,CN=Computers,${ROOT}`, dnsHostName: 'ex1.contoso.test', operatingSystem: 'Windows Server 2016 Standard',
      operatingSystemVersion: '10.0 (14393)', operatingSystemServicePack: null,
    });
    // canonical.ts sorts every array as text: deterministic, not numeric
    expect(ex1.ipAddresses).toEqual(['10.0.1.40', '10.0.1.9']);
    expect(ex1.raw['networkaddress']).toEqual(['ncacn_ip_tcp:ex1.contoso.test', 'netbios:EX1']);
    expect(ex1.raw['objectguid']).toBeUndefined();
  });

  it('keeps names with escaped commas and non-ASCII letters intact', () => {
    expect(snap.storageGroups).toHaveLength(1);
    const sg = snap.storageGroups[0]!;
    expect(sg.name).toBe('SG2, Finance');
    expect(sg.server).toBe(EX7);
    expect(sg.logFolderPath).toBe('L:\\Logs\\SG2, Finance');
    expect(sg.logFilePrefix).toBe('E01');
    expect(sg.circularLogging).toBe(true);
    const db = snap.databases[0]!;
    expect(db.name).toBe('Zürich Ärzte');
    expect(db.storageGroup).toBe(SG);
    expect(db.server).toBe(EX7);
    expect(db.edbFilePath).toBe('F:\\Zürich\\Zürich Ärzte.edb');
    expect(db.mountAtStartup).toBe(false);
    expect(db.allowFileRestore).toBe(true);
    expect(db.mailboxCount).toBe(2);
    expect(db.kind).toBe('mailbox');
    expect(db.raw['homemdbbl']).toBeUndefined();
  });

  it('turns every oddity into a warning', () => {
    expect(codes(snap)).toEqual(
      expect.arrayContaining([
        `unknown-object-class CN=Monitoring Settings,${EX1}`,
        `no-computer-account ${EX7}`,
        // EX7's only DNS node is tombstoned
        `not-in-ad-dns ${EX7}`,
        `no-computer-account CN=EX9,CN=Servers,${AG}`,
        `not-in-ad-dns CN=EX9,CN=Servers,${AG}`,
      ]),
    );
    expect(snap.metadata.warnings).toHaveLength(5);
    const noComputer = (dn: string) => snap.metadata.warnings.find((w) => w.code === 'no-computer-account' && w.dn === dn)!.message;
    // a server of another domain: the message says why its account was not found
    expect(noComputer(`CN=EX9,CN=Servers,${AG}`)).toContain('it is not in contoso.test, the domain read');
    expect(noComputer(EX7)).not.toContain('the domain read');
    expect(snap.metadata.warnings.find((w) => w.code === 'unknown-object-class')!.message).toContain('msExchMonitoringSettings');
  });

  it('forest facts and metadata', () => {
    expect(snap.organization.name).toBe('Contoso');
    expect(snap.organization.objectVersionRelease).toBe('Exchange Server 2019 CU15 or Exchange Server SE RTM');
    expect(snap.forest.domains).toEqual([
      { dn: ROOT, dnsName: 'contoso.test', functionalLevel: 7, functionalLevelName: 'Windows Server 2016', exchangeSystemObjectsVersion: null },
    ]);
    expect(snap.forest.exchangeSchemaRelease).toBe('Exchange Server 2016 CU21–CU23');
    expect(snap.forest.domainControllers.map((x) => [x.name, x.fqdn, x.site, x.domain, x.isGlobalCatalog, x.isReadOnly, x.ipAddresses])).toEqual([
      ['DC1', 'dc1.contoso.test', 'Default-First-Site-Name', ROOT, true, false, ['10.0.1.2']],
    ]);
    expect(snap.metadata.source).toEqual({ kind: 'ldif', description: 'export.ldif', domainController: null });
    expect(snap.metadata.harvestedAt).toBe('2026-11-25T12:00:00.000Z');
    // exchange, schema version, partitions, sites, domain, 3 DNS partitions
    expect(snap.metadata.searches).toBe(9); // incl. the schema search that names replPropertyMetaData ids
  });
});

describe('no organization', () => {
  it('fails with one line naming the container and the fix', async () => {
    const file = join(dir, 'empty.ldif');
    writeFileSync(file, `dn: ${ROOT}\nobjectClass: domainDNS\n\ndn: CN=Services,${CONFIG}\nobjectClass: container\n`);
    const err = await harvest(await openLdif([file]), { toolVersion: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as ExbinderError).code).toBe('no-exchange-org');
    expect((err as ExbinderError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      `no Exchange organization under ${EXCH}: is Exchange installed in this forest, and can this account read the configuration partition?`,
    );
  });

  it('an Exchange container without a readable organization is an access problem', async () => {
    const file = join(dir, 'noorg.ldif');
    writeFileSync(file, `dn: ${ROOT}\nobjectClass: domainDNS\n\ndn: ${EXCH}\nobjectClass: msExchConfigurationContainer\n`);
    const err = await harvest(await openLdif([file]), { toolVersion: 't' }).catch((e: unknown) => e);
    expect((err as ExbinderError).code).toBe('insufficient-access');
    expect((err as Error).message).toContain(`${EXCH} exists but this account cannot read an Exchange organization under it`);
  });
});

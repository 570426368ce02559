/**
 * A forest with a child domain: a server whose FQDN is in the child domain
 * has its computer account there. The harvest looks it up in that domain
 * (one more search) when the export holds it, and says why when not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { harvest } from '../../../src/harvest/index.js';
import { A_RECORD_10_0_1_10, AG, CONFIG, dnsNode, domainHead, exchangeOrg, ldif, ROOT, rootDse as sharedRootDse, schemaVersion, siteDc } from './ldif-fixtures.js';

const CHILD = `DC=emea,${ROOT}`;
const EX9 = `CN=EX9,CN=Servers,${AG}`;

const rootDse = (withChild: boolean) => sharedRootDse(...(withChild ? [CHILD] : []));

const forest = '\n' + ldif(
  exchangeOrg(),
  `dn: ${EX9}
objectClass: msExchExchangeServer
serialNumber: Version 15.2 (Build 31748.10)
networkAddress: ncacn_ip_tcp:ex9.emea.contoso.test

dn: CN=InformationStore,${EX9}
objectClass: msExchInformationStore

dn: CN=Partitions,${CONFIG}
objectClass: crossRefContainer
msDS-Behavior-Version: 7

dn: CN=CONTOSO,CN=Partitions,${CONFIG}
objectClass: crossRef
nCName: ${ROOT}
dnsRoot: contoso.test
systemFlags: 3

dn: CN=EMEA,CN=Partitions,${CONFIG}
objectClass: crossRef
nCName: ${CHILD}
dnsRoot: emea.contoso.test
systemFlags: 3
msDS-Behavior-Version: 7
`,
  domainHead('msDS-Behavior-Version: 7'),
  siteDc(),
  schemaVersion(),
  dnsNode('ex9.emea', A_RECORD_10_0_1_10),
);

const childDomain = `
dn: ${CHILD}
objectClass: domainDNS

dn: CN=Microsoft Exchange System Objects,${CHILD}
objectClass: msExchSystemObjectsContainer
objectVersion: 13243

dn: CN=EX9,CN=Computers,${CHILD}
objectClass: computer
sAMAccountName: EX9$
dNSHostName: ex9.emea.contoso.test
operatingSystem: Windows Server 2019 Standard
`;

const dir = mkdtempSync(join(tmpdir(), 'exbinder-multidomain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return harvest(await openLdif([file]), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
}

describe('servers in a child domain', () => {
  it('the computer account is read from the child domain (one more search)', async () => {
    const s = await run('with-child.ldif', rootDse(true) + forest + childDomain);
    const ex9 = s.servers[0]!;
    expect(ex9.computer).toEqual({
      dn: `CN=EX9,CN=Computers,${CHILD}`, dnsHostName: 'ex9.emea.contoso.test', operatingSystem: 'Windows Server 2019 Standard',
      operatingSystemVersion: null, operatingSystemServicePack: null,
    });
    // a node named ex9.emea in the parent zone holds the child host's address
    expect(ex9.ipAddresses).toEqual(['10.0.1.10']);
    expect(s.metadata.warnings).toEqual([]);
    expect(s.metadata.searches).toBe(10); // incl. the schema search that names replPropertyMetaData ids
    expect(s.forest.domains.map((d) => [d.dnsName, d.functionalLevel])).toEqual([['contoso.test', 7], ['emea.contoso.test', 7]]);
    // the same search reads the child domain's MESO
    expect(s.forest.domains.map((d) => d.exchangeSystemObjectsVersion)).toEqual([null, 13243]);
  });

  it('an export without the child domain: the warning says where the account would be', async () => {
    const s = await run('without-child.ldif', rootDse(false) + forest);
    expect(s.servers[0]!.computer).toBeNull();
    expect(s.metadata.warnings.map((w) => w.code)).toEqual(['no-computer-account']);
    expect(s.metadata.warnings[0]!.message).toContain('it is not in contoso.test, the domain read');
  });
});

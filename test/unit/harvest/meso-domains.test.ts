/**
 * CN=Microsoft Exchange System Objects (MESO) in every domain of the forest:
 * each domain with Exchange servers or mailboxes is prepared with
 * /PrepareDomain, and a domain left at an older release's level is a warning.
 * Expected values come from Microsoft's "Exchange 2019 Active Directory
 * versions" table (fixtures/microsoft/prepare-ad-versions.md): Exchange 2019
 * CU11 writes organization objectVersion 16759 and MESO objectVersion 13242;
 * 2019 RTM wrote MESO 13236.
 */
import { UnknownStatusCodeError } from 'ldapts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/index.js';
import { mapLdapError } from '../../../src/source/ldap-errors.js';
import type { Directory, SearchRequest } from '../../../src/source/directory.js';
import { harvest } from '../../../src/harvest/index.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { TEMPLATES } from '../render/helpers.js';
import { A_RECORD_10_0_1_10, AG, CONFIG, dnsNode, domainHead, entry, ex1Computer, exchangeOrg, ldif, ROOT, rootDse, schemaVersion, siteDc } from './ldif-fixtures.js';

const CHILD = `DC=emea,${ROOT}`;
const EX1 = `CN=EX1,CN=Servers,${AG}`;
const EX9 = `CN=EX9,CN=Servers,${AG}`;
const meso = (nc: string, v: number) => entry(`CN=Microsoft Exchange System Objects,${nc}`, 'objectClass: msExchSystemObjectsContainer', `objectVersion: ${v}`);

const partitions = (withChild: boolean) => ldif(
  entry(`CN=Partitions,${CONFIG}`, 'objectClass: crossRefContainer', 'msDS-Behavior-Version: 7'),
  entry(`CN=CONTOSO,CN=Partitions,${CONFIG}`, 'objectClass: crossRef', `nCName: ${ROOT}`, 'dnsRoot: contoso.test', 'systemFlags: 3'),
  ...(withChild ? [entry(`CN=EMEA,CN=Partitions,${CONFIG}`, 'objectClass: crossRef', `nCName: ${CHILD}`, 'dnsRoot: emea.contoso.test', 'systemFlags: 3')] : []),
  // an application partition: no domain, never searched for MESO
  entry(`CN=DomainDnsZones,CN=Partitions,${CONFIG}`, 'objectClass: crossRef', `nCName: DC=DomainDnsZones,${ROOT}`, 'dnsRoot: DomainDnsZones.contoso.test', 'systemFlags: 5'),
);

/** Contoso at Exchange 2019 CU11 (org 16759), EX1 in contoso.test; `ex9` adds a server whose account is in emea. */
const forest = (o: { withChild: boolean; ex9?: boolean }) => '\n' + ldif(
  exchangeOrg('objectVersion: 16759'),
  entry(EX1, 'objectClass: msExchExchangeServer', 'serialNumber: Version 15.2 (Build 986.5)', 'networkAddress: ncacn_ip_tcp:ex1.contoso.test'),
  entry(`CN=InformationStore,${EX1}`, 'objectClass: msExchInformationStore'),
  ...(o.ex9 ? [
    entry(EX9, 'objectClass: msExchExchangeServer', 'serialNumber: Version 15.2 (Build 986.5)', 'networkAddress: ncacn_ip_tcp:ex9.emea.contoso.test'),
    entry(`CN=InformationStore,${EX9}`, 'objectClass: msExchInformationStore'),
    dnsNode('ex9.emea', A_RECORD_10_0_1_10),
  ] : []),
  partitions(o.withChild),
  domainHead('msDS-Behavior-Version: 7'),
  meso(ROOT, 13242),
  ex1Computer(),
  dnsNode('ex1', A_RECORD_10_0_1_10),
  siteDc(),
  schemaVersion(17003),
);

const childHead = entry(CHILD, 'objectClass: domainDNS');
const ex9Computer = entry(`CN=EX9,CN=Computers,${CHILD}`, 'objectClass: computer', 'sAMAccountName: EX9$', 'dNSHostName: ex9.emea.contoso.test');

const dir = mkdtempSync(join(tmpdir(), 'exbinder-meso-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function open(text: string, failBase?: string): Promise<Directory> {
  const file = join(dir, `x${n++}.ldif`);
  writeFileSync(file, text);
  const real = await openLdif([file]);
  if (!failBase) return real;
  // a DC that does not hold the child domain refers: what the LDAP source throws for LDAP result 10
  const err = mapLdapError(new UnknownStatusCodeError(10, '0000202B: RefErr: DSID-0310084A'), {
    where: 'dc1.contoso.test:636', host: 'dc1.contoso.test', port: 636, secure: 'ldaps', phase: 'search',
    bindDn: 'reader@contoso.test', base: failBase, timeoutMs: 120_000, connectTimeoutMs: 10_000, password: 'pw',
  });
  return {
    description: real.description, kind: real.kind, rootDse: () => real.rootDse(), close: () => real.close(),
    search(request: SearchRequest) {
      if (request.base.toLowerCase() === failBase.toLowerCase()) throw err;
      return real.search(request);
    },
  };
}
const run = async (text: string, failBase?: string) =>
  harvest(await open(text, failBase), { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });
const mesoOf = (s: Awaited<ReturnType<typeof run>>) => s.forest.domains.map((d) => [d.dnsName, d.exchangeSystemObjectsVersion]);

describe('MESO objectVersion of every domain', () => {
  it('a child domain left at 2019 RTM (13236) under a 2019 CU11 organization (13242): meso-behind with the fix', async () => {
    const s = await run(rootDse(CHILD) + forest({ withChild: true }) + '\n' + ldif(childHead, meso(CHILD, 13236)));
    expect(mesoOf(s)).toEqual([['contoso.test', 13242], ['emea.contoso.test', 13236]]);
    expect(s.metadata.warnings).toEqual([{
      code: 'meso-behind',
      dn: `CN=Microsoft Exchange System Objects,${CHILD}`,
      message: "domain emea.contoso.test: Microsoft Exchange System Objects objectVersion 13236 is lower than 13242, which the organization's prepared level expects: run Setup.exe /PrepareDomain:emea.contoso.test /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF from the media of Exchange Server 2019 CU11",
    }]);
    // the binder's organization chapter marks the domain
    const view = buildView(s, { supplement: null, drift: null });
    expect(view.forest.domains.map((d) => [d.dnsName, d.systemObjectsVersion, d.systemObjectsNote])).toEqual([
      ['contoso.test', '13242', null],
      ['emea.contoso.test', '13236', 'behind the organization: run /PrepareDomain (see the warnings)'],
    ]);
    const md = renderMarkdown(view, { templatesDir: TEMPLATES });
    expect(md).toMatch(/\| emea\.contoso\.test \|[^\n]*\| 13236 [^\n]*\*\*behind the organization: run \/PrepareDomain \(see the warnings\)\*\* \|\n/);
    expect(md).not.toMatch(/\| contoso\.test \|[^\n]*behind/);
  });

  it('a child domain at the organization level: no warning; one search more than a forest of one domain', async () => {
    const two = await run(rootDse(CHILD) + forest({ withChild: true }) + '\n' + ldif(childHead, meso(CHILD, 13242)));
    const one = await run(rootDse() + forest({ withChild: false }));
    expect(mesoOf(two)).toEqual([['contoso.test', 13242], ['emea.contoso.test', 13242]]);
    expect(two.metadata.warnings).toEqual([]);
    expect(mesoOf(one)).toEqual([['contoso.test', 13242]]);
    expect(one.metadata.warnings).toEqual([]);
    expect(two.metadata.searches).toBe(one.metadata.searches + 1);
  });

  it('a child domain read without a MESO container and without Exchange servers: null, no warning', async () => {
    const s = await run(rootDse(CHILD) + forest({ withChild: true }) + '\n' + childHead);
    expect(mesoOf(s)).toEqual([['contoso.test', 13242], ['emea.contoso.test', null]]);
    expect(s.metadata.warnings).toEqual([]);
  });

  it('a child domain holding an Exchange server\'s computer account but no MESO: domain-not-prepared', async () => {
    const s = await run(rootDse(CHILD) + forest({ withChild: true, ex9: true }) + '\n' + ldif(childHead, ex9Computer));
    expect(s.servers.find((x) => x.name === 'EX9')!.computer?.dn).toBe(`CN=EX9,CN=Computers,${CHILD}`);
    expect(mesoOf(s)).toEqual([['contoso.test', 13242], ['emea.contoso.test', null]]);
    expect(s.metadata.warnings).toEqual([{
      code: 'domain-not-prepared',
      dn: CHILD,
      message: 'domain emea.contoso.test holds the computer account of Exchange server EX9 but has no Microsoft Exchange System Objects container: it is not prepared for Exchange; run Setup.exe /PrepareDomain:emea.contoso.test /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF from the media of Exchange Server 2019 CU11',
    }]);
  });

  it('a DC that refers for the child domain: missing-data warning, MESO unknown, the harvest goes on', async () => {
    const s = await run(rootDse(CHILD) + forest({ withChild: true }) + '\n' + ldif(childHead, meso(CHILD, 13236)), CHILD);
    expect(mesoOf(s)).toEqual([['contoso.test', 13242], ['emea.contoso.test', null]]);
    expect(s.metadata.warnings.map((w) => [w.code, w.dn])).toEqual([['missing-data', CHILD]]);
    expect(s.metadata.warnings[0]!.message).toContain('(referral)');
  });
});

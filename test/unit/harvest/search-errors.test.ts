/**
 * What the harvest does when a search fails, per kind of failure. The entries
 * come from a real (LDIF) directory; a thin wrapper makes chosen bases fail
 * the way src/source/ldap.ts reports it (ExbinderError codes), since a DC
 * that refers or denies exactly those bases cannot be set up here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { openLdif } from '../../../src/source/index.js';
import type { Directory, SearchRequest } from '../../../src/source/directory.js';
import { harvest } from '../../../src/harvest/index.js';
import { A_RECORD_10_0_1_10, AG, CONFIG, dnsNode, domainHead, ex1Computer, EXCH, exchangeOrg, ldif, ROOT, schemaVersion, siteDc } from './ldif-fixtures.js';

const LDIF = ldif(
  exchangeOrg(),
  `dn: CN=EX1,CN=Servers,${AG}
objectClass: msExchExchangeServer
networkAddress: ncacn_ip_tcp:ex1.contoso.test

dn: CN=InformationStore,CN=EX1,CN=Servers,${AG}
objectClass: msExchInformationStore
`,
  domainHead(),
  ex1Computer(),
  dnsNode('ex1', A_RECORD_10_0_1_10),
  siteDc(),
  schemaVersion(),
);

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'exbinder-search-errors-'));
  file = join(dir, 'x.ldif');
  writeFileSync(file, LDIF);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real directory, except that searches based at `failBase` throw `error`. */
async function failing(failBase: string, error: Error): Promise<Directory> {
  const real = await openLdif([file]);
  return {
    description: real.description,
    kind: real.kind,
    rootDse: () => real.rootDse(),
    close: () => real.close(),
    search(request: SearchRequest) {
      if (request.base.toLowerCase() === failBase.toLowerCase()) throw error;
      return real.search(request);
    },
  };
}

const run = (d: Directory) => harvest(d, { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });

describe('search failures', () => {
  it('a DNS partition the DC does not hold (referral) is a missing-data warning, the harvest goes on', async () => {
    const base = `CN=MicrosoftDNS,DC=DomainDnsZones,${ROOT}`;
    const s = await run(await failing(base, new ExbinderError('dc1 does not hold it (referral)', 'ldap-referral')));
    expect(s.metadata.warnings.map((w) => [w.code, w.dn])).toEqual([
      ['not-in-ad-dns', `CN=EX1,CN=Servers,${AG}`],
      ['missing-data', base],
    ]);
  });

  it('CN=Sites denied is an unreadable-container warning (and no DCs)', async () => {
    const base = `CN=Sites,${CONFIG}`;
    const s = await run(await failing(base, new ExbinderError('reader may not read CN=Sites (insufficient access)', 'ldap-access')));
    expect(s.metadata.warnings.map((w) => w.code).sort()).toEqual(['missing-data', 'unreadable-container']);
    expect(s.forest.domainControllers).toEqual([]);
  });

  it('the Exchange container denied: insufficient-access error, no snapshot', async () => {
    const err = await run(await failing(EXCH, new ExbinderError('reader may not read it (insufficient access)', 'ldap-access'))).catch((e: unknown) => e);
    expect((err as ExbinderError).code).toBe('insufficient-access');
  });

  it('a lost connection is never swallowed, even on an optional search', async () => {
    const lost = new ExbinderError('connection to dc1:636 lost during search', 'ldap-connection-lost');
    const err = await run(await failing(`CN=Partitions,${CONFIG}`, lost)).catch((e: unknown) => e);
    expect(err).toBe(lost);
  });
});

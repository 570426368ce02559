/**
 * What the harvest does when a search fails, per kind of failure. The entries
 * come from a real (LDIF) directory; a thin wrapper makes chosen bases fail
 * with what the LDAP source throws for those LDAP results (ldapts' error
 * through the source's own mapLdapError), since a DC that refers or denies
 * exactly those bases cannot be set up here.
 */
import { InsufficientAccessError, UnknownStatusCodeError } from 'ldapts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { type ErrorContext, mapLdapError } from '../../../src/source/ldap-errors.js';
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

const ctx = (base: string): ErrorContext => ({
  where: 'dc1.contoso.test:636', host: 'dc1.contoso.test', port: 636, secure: 'ldaps', phase: 'search',
  bindDn: 'reader@contoso.test', base, timeoutMs: 120_000, connectTimeoutMs: 10_000, password: 'pw',
});
const referral = (base: string) => mapLdapError(new UnknownStatusCodeError(10, '0000202B: RefErr: DSID-0310084A'), ctx(base));
const denied = (base: string) => mapLdapError(new InsufficientAccessError('00002098: SecErr: DSID-03150F94'), ctx(base));

const run = (d: Directory) => harvest(d, { toolVersion: 't', now: () => new Date('2026-11-25T12:00:00Z') });

describe('search failures', () => {
  it('a DNS partition the DC does not hold (referral) is a missing-data warning, the harvest goes on', async () => {
    const base = `CN=MicrosoftDNS,DC=DomainDnsZones,${ROOT}`;
    const s = await run(await failing(base, referral(base)));
    expect(s.metadata.warnings.map((w) => [w.code, w.dn])).toEqual([
      ['not-in-ad-dns', `CN=EX1,CN=Servers,${AG}`],
      ['missing-data', base],
    ]);
  });

  it('CN=Sites denied is an unreadable-container warning (and no DCs)', async () => {
    const base = `CN=Sites,${CONFIG}`;
    const s = await run(await failing(base, denied(base)));
    expect(s.metadata.warnings.map((w) => w.code).sort()).toEqual(['missing-data', 'unreadable-container']);
    expect(s.forest.domainControllers).toEqual([]);
  });

  it('the Exchange container denied: insufficient-access error, no snapshot', async () => {
    const err = await run(await failing(EXCH, denied(EXCH))).catch((e: unknown) => e);
    expect((err as ExbinderError).code).toBe('insufficient-access');
  });

  it('a lost connection is never swallowed, even on an optional search', async () => {
    const lost = mapLdapError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), ctx(`CN=Partitions,${CONFIG}`));
    expect(lost.code).toBe('ldap-connection-lost');
    const err = await run(await failing(`CN=Partitions,${CONFIG}`, lost)).catch((e: unknown) => e);
    expect(err).toBe(lost);
  });
});

/**
 * Scale: a generated organization (scripts/gen-large-org.ts: 10 servers in 2
 * DAGs, 200 databases with 2 copies, 100 virtual directories, 100 receive
 * connectors, 3,000 mailboxes, one database with 1,600) loaded into a DC of
 * its own, harvested over LDAPS as the ordinary reader account. The harvest
 * must return exactly what was generated, and issue no more searches than for
 * the 4-server fabrikam org: the search count is fixed by searches.ts, not by
 * the number of objects. Timings live in bench/harvest.ts, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLargeOrg, LARGE_DOMAIN, LARGE_ORG_NAME, type LargeOrgCounts } from '../../../scripts/gen-large-org.js';
import { startDc, stopDc, type DcContext } from '../../dc/samba.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { fabrikam, harvestLive, reader } from '../harvest/helpers.js';
import { openLdap } from '../../../src/source/ldap.js';
import { renderBinder } from '../../../src/render/index.js';
import { checkLayout } from '../../../scripts/layout-check.js';

const SIZE = { servers: 10, databases: 200, mailboxes: 3000, seed: 7 };

let dc: DcContext | undefined;
let tmp: string;
let counts: LargeOrgCounts;
let s: Snapshot;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'exb-scale-'));
  const file = join(tmp, 'largecorp.ldif');
  const generated = generateLargeOrg(SIZE);
  counts = generated.counts;
  writeFileSync(file, generated.text);
  dc = await startDc({ org: { domain: LARGE_DOMAIN, orgName: LARGE_ORG_NAME, file } });
  s = await harvestLive(dc);
}, 300_000);

afterAll(async () => {
  if (dc) await stopDc(dc);
  rmSync(tmp, { recursive: true, force: true });
});

describe('generated org of 10 servers, 200 databases, 3,000 mailboxes', () => {
  it('the generator counts are the asked size (the test compares against these)', () => {
    expect(counts).toMatchObject({ servers: 10, databases: 200, copies: 400, virtualDirectories: 100, receiveConnectors: 100, mailboxes: 3000 });
    expect(Object.values(counts.mailboxesPerDatabase).reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Math.max(...Object.values(counts.mailboxesPerDatabase))).toBe(1600);
  });

  it('harvests every server, DAG and database, and no transport sub-object as a server', () => {
    expect(s.organization.name).toBe(LARGE_ORG_NAME);
    expect(s.servers).toHaveLength(counts.servers);
    expect(new Set(s.servers.map((x) => x.name))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `LC-MBX${String(i + 1).padStart(3, '0')}`)));
    expect(s.dags).toHaveLength(counts.dags);
    expect(s.databases).toHaveLength(counts.databases);
  });

  it('harvests two copies per database, preference 1 and 2, on two different DAG members', () => {
    expect(s.databases.reduce((n, d) => n + d.copies.length, 0)).toBe(counts.copies);
    for (const d of s.databases) {
      expect(d.copies.map((c) => c.activationPreference).sort()).toEqual([1, 2]);
      expect(new Set(d.copies.map((c) => c.server)).size).toBe(2);
    }
  });

  it('counts the mailboxes of every database exactly (1,600 through ranged homeMDBBL), 3,000 in all', () => {
    const harvested = Object.fromEntries(s.databases.map((d) => [d.name, d.mailboxCount]));
    expect(harvested).toEqual(counts.mailboxesPerDatabase);
    expect(s.databases.reduce((n, d) => n + (d.mailboxCount ?? 0), 0)).toBe(3000);
  });

  it('harvests every virtual directory, receive and send connector and accepted domain', () => {
    expect(s.virtualDirectories).toHaveLength(counts.virtualDirectories);
    expect(s.receiveConnectors).toHaveLength(counts.receiveConnectors);
    expect(s.sendConnectors).toHaveLength(counts.sendConnectors);
    expect(s.acceptedDomains).toHaveLength(counts.acceptedDomains);
  });

  it('issues as many searches as for the 4-server fabrikam org (not one more per object)', async () => {
    const small = await harvestLive(fabrikam());
    expect(small.servers.length).toBeLessThan(s.servers.length);
    // both orgs have one database over 1,500 mailboxes: one range follow-up each
    expect(s.metadata.searches).toBe(small.metadata.searches);
    expect(s.metadata.searches).toBeLessThanOrEqual(12);
  });
});

describe('paged reading of a multi-page search (the source asks for the next page before converting this one)', () => {
  it('reads every page in order, and a search left after the first entries leaves the connection usable', async () => {
    const dir = await openLdap(reader(dc!, { pageSize: 50 })); // 200 databases: 4 pages
    try {
      const request = { base: `CN=Databases,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${dc!.org.dn}`, scope: 'one' as const, filter: '(objectClass=msExchPrivateMDB)', attributes: ['cn'] };
      let seen = 0;
      for await (const _ of dir.search(request)) if (++seen === 3) break; // abandons the search with a page request in flight
      const names: string[] = [];
      for await (const e of dir.search(request)) names.push(e.text.get('cn')![0]!);
      expect(names).toHaveLength(counts.databases);
      expect(new Set(names).size).toBe(counts.databases);
      expect(dir.pageCount).toBeGreaterThanOrEqual(1 + 1 + 4); // root DSE, the abandoned search's first page, 4 pages
    } finally {
      await dir.close();
    }
  });
});

describe('binder of the generated org', () => {
  it('passes the layout check (real PDF read back with poppler)', async () => {
    const { pdf } = await renderBinder(s, { pdf: true, paper: 'a4' });
    const file = join(tmp, 'binder.pdf');
    writeFileSync(file, pdf as Buffer);
    expect(checkLayout(file)).toEqual([]);
  }, 600_000);
});

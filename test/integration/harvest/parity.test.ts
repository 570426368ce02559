/**
 * The same directory state must give the same snapshot body however it is
 * read: LDAPS, StartTLS, twice in a row, and offline from an ldapsearch
 * export of that DC (what `npm run demo` and air-gapped admins use).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/ldif.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { writeExport } from '../../dc/export.js';
import { body, contoso, harvestLive, harvestWith } from './helpers.js';

const dc = contoso();
let ldaps: Snapshot;
let dir: string;

beforeAll(async () => {
  ldaps = await harvestLive(dc);
  dir = mkdtempSync(join(tmpdir(), 'exbinder-harvest-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What differs between two provisionings of the same fixture: object GUIDs,
 * creation times and the DC itself (its name and address depend on the
 * test slot). Everything else must be equal.
 */
function provisioningIndependent(s: Snapshot): unknown {
  const text = body(s)
    .replace(/"guid": "[^"]+"/g, '"guid": "*"')
    .replace(/"whencreated": \[\s*"[^"]+"\s*\]/g, '"whencreated": ["*"]');
  const b = JSON.parse(text) as { forest: { domainControllers: unknown } };
  b.forest.domainControllers = '*';
  return b;
}

describe('same body however the directory is read', () => {
  it('two live harvests are byte-identical apart from metadata', async () => {
    const again = await harvestLive(dc, {}, new Date('2027-01-01T00:00:00Z'));
    expect(body(again)).toBe(body(ldaps));
    expect(again.metadata.harvestedAt).not.toBe(ldaps.metadata.harvestedAt);
  });

  it('StartTLS gives the same body as LDAPS', async () => {
    const starttls = await harvestLive(dc, { url: dc.ldapUrl, startTls: true });
    expect(starttls.metadata.source.description).toContain(':389');
    expect(body(starttls)).toBe(body(ldaps));
  });

  it('an ldapsearch export of this DC harvested offline gives the same body as the live harvest', async () => {
    const file = await writeExport('contoso', dc, dir);
    const offline = await harvestWith(await openLdif([file]));
    expect(offline.metadata.source).toEqual({ kind: 'ldif', description: 'contoso.ldif', domainController: null });
    expect(body(offline)).toBe(body(ldaps));
  });

  it('the committed demo export (fixtures/exports/contoso.ldif) matches a live harvest of the current fixture', async () => {
    const committed = join(import.meta.dirname, '../../../fixtures/exports/contoso.ldif');
    expect(readFileSync(committed, 'utf8')).toContain('CN=Contoso,CN=Microsoft Exchange');
    const offline = await harvestWith(await openLdif([committed]));
    // the same warnings as the live harvest: the ones that say where the recovery needs care
    expect(offline.metadata.warnings.map((w) => w.code).sort()).toEqual(['clustered-mailbox-server', 'recovery-storage-group', 'scripting-agent-enabled', 'witness-not-in-ad-dns']);
    const key = (s: Snapshot) => s.metadata.warnings.map((w) => `${w.code} ${w.dn} ${w.message}`).sort();
    expect(key(offline)).toEqual(key(ldaps));
    expect(provisioningIndependent(offline)).toEqual(provisioningIndependent(ldaps));
  });
});

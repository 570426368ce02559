/**
 * The same directory state must give the same snapshot body however it is
 * read: LDAPS, StartTLS, twice in a row, and offline from an ldapsearch
 * export of that DC (what `npm run demo` and air-gapped admins use).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdif } from '../../../src/source/ldif.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { body, contoso, exportForOffline, harvestLive, harvestWith } from './helpers.js';

const dc = contoso();
let ldaps: Snapshot;
let dir: string;

beforeAll(async () => {
  ldaps = await harvestLive(dc);
  dir = mkdtempSync(join(tmpdir(), 'exbinder-harvest-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('an ldapsearch export harvested offline gives the same body as the live harvest', async () => {
    const files = await exportForOffline(dc, dir);
    const offline = await harvestWith(await openLdif(files));
    expect(offline.metadata.source.kind).toBe('ldif');
    expect(body(offline)).toBe(body(ldaps));
    // the offline harvest issues the same searches
    expect(offline.metadata.searches).toBe(ldaps.metadata.searches);
  });
});

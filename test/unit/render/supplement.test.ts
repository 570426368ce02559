import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSupplement, parseSupplement } from '../../../src/render/supplement.js';
import { ExbinderError } from '../../../src/errors.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { makeServer, sampleSnapshot } from './sample-snapshot.js';

/** The sample plus EX2019 and DC1 names, so the shipped example (written for contoso) applies. */
function contosoLike(): Snapshot {
  const snap = sampleSnapshot();
  for (const name of ['EX2019', 'EDGE01', 'EXCMS01']) {
    snap.servers.push(makeServer({
      name, serial: 'Version 15.2 (Build 31748.10)', version: null, roles: ['Mailbox'], bitmask: 2,
      installPath: null, dataPath: null, site: null, os: 'Windows Server 2019 Standard', osVersion: '10.0 (17763)', sp: null, ips: [],
    }));
  }
  return snap;
}

function errorOf(f: () => unknown): ExbinderError {
  try { f(); } catch (e) { if (e instanceof ExbinderError) return e; throw e; }
  throw new Error('expected an ExbinderError');
}

describe('supplement', () => {
  it('the shipped example is valid for the contoso organization', () => {
    const sup = loadSupplement('fixtures/supplement.example.yaml', contosoLike());
    expect(sup.servers?.['EX2007']?.hardware?.model).toBe('PowerEdge R710');
    expect(sup.domainControllers?.['DC1']?.location).toContain('rack 3');
    expect(sup.certificate?.exportLocation).toBe('\\\\nas1\\it\\certificates\\mail.contoso.test-2026.pfx');
  });

  it('a misspelt key names the file and its line', () => {
    const src = 'backup:\n  software: Veeam\n  mediaLocaton: safe\n';
    const e = errorOf(() => parseSupplement(src, 'sup.yaml', sampleSnapshot()));
    expect(e.message).toMatch(/^sup\.yaml:3: unknown key "mediaLocaton"/);
    expect(e.code).toBe('supplement-invalid');
    expect(e.message).not.toContain('\n');
  });

  it('a misspelt key inside a server names its line', () => {
    const src = 'servers:\n  EX2007:\n    hardware:\n      make: Dell\n      modell: R710\n';
    expect(errorOf(() => parseSupplement(src, 's.yml', sampleSnapshot())).message).toMatch(/^s\.yml:5: unknown key "modell" at servers\.EX2007\.hardware\.modell/);
  });

  it('an unknown server name is an error on the line of that name, listing the known ones', () => {
    const src = '# comment\nservers:\n  EX2007: {}\n  EX2008:\n    location: here\n';
    const e = errorOf(() => parseSupplement(src, 'sup.yaml', sampleSnapshot()));
    expect(e.message).toMatch(/^sup\.yaml:4: server "EX2008" is not in the snapshot \(known: EX2003, EX2007, EX2010A, EX2010B, EX2016\)/);
  });

  it('server names match case-insensitively', () => {
    expect(parseSupplement('servers:\n  ex2007:\n    location: rack 1\n', 's.yaml', sampleSnapshot()).servers?.['ex2007']?.location).toBe('rack 1');
  });

  it('a wrong type names the line of the value', () => {
    const src = 'servers:\n  EX2016:\n    ipAddresses: 10.0.0.1\n';
    expect(errorOf(() => parseSupplement(src, 'sup.yaml', sampleSnapshot())).message).toMatch(/^sup\.yaml:3: .*at servers\.EX2016\.ipAddresses/);
  });

  it('a bad drive letter in diskSizes is rejected', () => {
    const src = 'servers:\n  EX2016:\n    diskSizes:\n      "E": 1 TB\n';
    expect(errorOf(() => parseSupplement(src, 'sup.yaml', sampleSnapshot())).message).toMatch(/^sup\.yaml:4: .*drive letter/);
  });

  it('YAML syntax errors and duplicate keys name the line', () => {
    expect(errorOf(() => parseSupplement('antivirus:\n  fileLevel: "x\n', 'a.yaml', sampleSnapshot())).message).toMatch(/^a\.yaml:\d+: not valid YAML\/JSON/);
    expect(errorOf(() => parseSupplement('media:\n  exchange: a\n  exchange: b\n', 'b.yaml', sampleSnapshot())).message).toMatch(/^b\.yaml:3: duplicate key "exchange"/);
  });

  it('accepts JSON and reports its lines too', () => {
    const json = '{\n  "servers": {\n    "EX2007": { "hardware": { "memory": "16 GB" } },\n    "NOPE": {}\n  }\n}\n';
    expect(errorOf(() => parseSupplement(json, 'sup.json', sampleSnapshot())).message).toMatch(/^sup\.json:4: server "NOPE"/);
  });

  it('an unknown domain controller is an error', () => {
    expect(errorOf(() => parseSupplement('domainControllers:\n  DC9:\n    location: x\n', 's.yaml', sampleSnapshot())).message).toMatch(/^s\.yaml:2: domain controller "DC9"/);
  });

  it('an unreadable file is a one-line error naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exb-sup-'));
    const e = errorOf(() => loadSupplement(join(dir, 'missing.yaml'), sampleSnapshot()));
    expect(e.message).toContain('missing.yaml');
    expect(e.message).toMatch(/^cannot read supplement .*missing.yaml \(no such file\): check the --supplement path$/);
    writeFileSync(join(dir, 'empty.yaml'), '');
    expect(loadSupplement(join(dir, 'empty.yaml'), sampleSnapshot())).toEqual({});
  });
});

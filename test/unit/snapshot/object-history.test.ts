import { describe, expect, it } from 'vitest';
import { objectHistory } from '../../../src/snapshot/object-history.js';
import { formatObjectHistory } from '../../../src/render/history.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';

/** Three nightly snapshots of DB01: the EDB path moved once, then three more times between two harvests. */
function nights(): { id: string; snapshot: Snapshot }[] {
  const one = sampleSnapshot();
  const guid = byName(one.databases, 'DB01').guid;
  const repl = (edb: string): Snapshot['metadata']['replication'] => ({
    status: 'read', note: null, attributeIds: {}, dcs: {}, objects: { [guid]: { msExchEDBFile: edb, cn: '1 2020-03-01T09:00:00Z dc1.contoso.com' } },
  });
  one.metadata.replication = repl('1 2020-03-01T09:00:00Z dc1.contoso.com');
  const two = reharvest(one, '2026-11-21T08:30:00Z');
  byName(two.databases, 'DB01').raw['msExchEDBFile'] = ['F:\\DB01\\DB01.edb'];
  two.metadata.replication = repl('2 2026-11-20T17:05:09Z dc2.contoso.com');
  const three = reharvest(two, '2026-11-22T08:30:00Z');
  byName(three.databases, 'DB01').raw['msExchEDBFile'] = ['G:\\DB01\\DB01.edb'];
  three.metadata.replication = repl('5 2026-11-21T22:00:00Z dc1.contoso.com');
  const four = reharvest(three, '2026-11-23T08:30:00Z');
  return [
    { id: 'aaaaaaaaaaaaaaa1', snapshot: one },
    { id: 'aaaaaaaaaaaaaaa2', snapshot: two },
    { id: 'aaaaaaaaaaaaaaa3', snapshot: three },
    { id: 'aaaaaaaaaaaaaaa4', snapshot: four },
  ];
}

describe('history of one object', () => {
  it('one event per known state of an attribute, with version, time, DC and the jump', () => {
    const [h] = objectHistory(nights(), 'db01');
    expect([h!.kind, h!.name, h!.snapshots, h!.withMetadata]).toEqual(['Database', 'DB01', 4, 4]);
    const edb = h!.attributes.find((a) => a.attribute === 'msExchEDBFile')!.events;
    expect(edb.map((e) => [e.value?.[0], e.version, e.changedAt, e.dc, e.changesSincePrevious, e.firstSeen.id, e.lastSeen.id])).toEqual([
      ['E:\\DB01\\DB01.edb', 1, '2020-03-01T09:00:00Z', 'dc1.contoso.com', null, 'aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa1'],
      ['F:\\DB01\\DB01.edb', 2, '2026-11-20T17:05:09Z', 'dc2.contoso.com', 1, 'aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa2'],
      ['G:\\DB01\\DB01.edb', 5, '2026-11-21T22:00:00Z', 'dc1.contoso.com', 3, 'aaaaaaaaaaaaaaa3', 'aaaaaaaaaaaaaaa4'],
    ]);
  });

  it('text: the changed attribute line by line (UTC and local), the rest in one line, and what the data cannot say', () => {
    const lines = formatObjectHistory(objectHistory(nights(), 'DB01'), 'DB01', 'Europe/Zurich');
    expect(lines[0]).toMatch(/^Database DB01  CN=DB01,/);
    expect(lines[1]).toBe('  in 4 snapshots, 4 with replication metadata');
    const i = lines.indexOf('  msExchEDBFile');
    expect(lines.slice(i + 1, i + 4)).toEqual([
      '    2020-03-01 09:00:00 UTC (2020-03-01 10:00:00 Europe/Zurich (GMT+1)) on dc1.contoso.com, version 1: E:\\DB01\\DB01.edb  [snapshot aaaaaaaaaaaaaaa1]',
      '    2026-11-20 17:05:09 UTC (2026-11-20 18:05:09 Europe/Zurich (GMT+1)) on dc2.contoso.com, version 2: F:\\DB01\\DB01.edb  [snapshot aaaaaaaaaaaaaaa2]',
      '    2026-11-21 22:00:00 UTC (2026-11-21 23:00:00 Europe/Zurich (GMT+1)) on dc1.contoso.com, version 5, 3 changes since the previous state (values in between never harvested): G:\\DB01\\DB01.edb  [snapshots aaaaaaaaaaaaaaa3 … aaaaaaaaaaaaaaa4]',
    ]);
    expect(lines.find((l) => l.startsWith('  unchanged while observed: '))).toContain('cn (set 2020-03-01 09:00:00 UTC on dc1.contoso.com)');
    expect(lines.at(-1)).toMatch(/not who/);
  });

  it('a name used on several servers lists each object; an unknown name says so', () => {
    expect(objectHistory(nights(), 'owa (Default Web Site)').length).toBeGreaterThan(1);
    expect(formatObjectHistory([], 'nope', 'UTC')).toEqual(['no object named nope in the stored snapshots (name, DN or GUID; names as the binder prints them)']);
  });

  it('without metadata: the values per snapshot, said to have no times', () => {
    const plain = nights().map(({ id, snapshot }) => ({ id, snapshot: { ...snapshot, metadata: { ...snapshot.metadata, replication: null } } }));
    const lines = formatObjectHistory(objectHistory(plain, 'DB01'), 'DB01', 'UTC');
    expect(lines).toContain('  in 4 snapshots, 0 with replication metadata');
    expect(lines).toContain('    G:\\DB01\\DB01.edb  [snapshots aaaaaaaaaaaaaaa3 … aaaaaaaaaaaaaaa4, harvested 2026-11-22T08:30:00Z; no replication metadata]');
  });

  it('directory text cannot drive the terminal', () => {
    const n = nights();
    byName(n[3]!.snapshot.databases, 'DB01').raw['description'] = ['\u001b[2Jgone'];
    expect(formatObjectHistory(objectHistory(n, 'DB01'), 'DB01', 'UTC').join('\n')).not.toContain('\u001b');
  });
});

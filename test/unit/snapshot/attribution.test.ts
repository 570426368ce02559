import { describe, expect, it } from 'vitest';
import { attributesOfChange } from '../../../src/snapshot/attribution.js';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

const base = sampleSnapshot();

describe('which attribute stands behind a change', () => {
  it('a field read from one attribute, a nested transport path, a raw attribute', () => {
    const next = reharvest(base);
    const ex = next.servers.find((s) => s.transportPaths.messageTracking !== null) ?? next.servers[0]!;
    ex.transportPaths.messageTracking = 'X:\\Tracking';
    ex.raw['msExchSomethingElse'] = ['1'];
    byName(next.storageGroups, next.storageGroups[0]!.name).logFolderPath = 'L:\\Logs';
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    const of = (field: string) => attributesOfChange(r.changes.find((c) => c.field === field)!, next, base, FIELD_ATTRIBUTES)?.attributes;
    expect(of('transportPaths.messageTracking')).toEqual(['msExchTransportMessageTrackingPath']);
    expect(of('raw.msExchSomethingElse')).toEqual(['msExchSomethingElse']);
    expect(of('logFolderPath')).toEqual(['msExchESEParamLogFilePath']);
  });

  it('a database copy change is attributed to the copy object (its own GUID)', () => {
    const next = reharvest(base);
    const db = next.databases.find((d) => d.copies.length > 0)!;
    const copy = db.copies[0]!;
    copy.activationPreference = (copy.activationPreference ?? 0) + 5;
    const c = diffSnapshots(base, next, FIELD_ATTRIBUTES).changes.find((x) => x.field?.startsWith('copies['))!;
    expect(attributesOfChange(c, next, base, FIELD_ATTRIBUTES)).toEqual({ guid: copy.guid, attributes: ['msExchActivationPreference'] });
  });

  it('a rename is the RDN; a derived field (DAG members) has no attribute of its own', () => {
    const next = reharvest(base);
    const sg = next.storageGroups[0]!;
    sg.name = 'Renamed SG';
    sg.dn = sg.dn.replace(/^CN=[^,]+/, 'CN=Renamed SG');
    const dag = next.dags[0]!;
    dag.members = [];
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(attributesOfChange(r.changes.find((c) => c.kind === 'renamed')!, next, base, FIELD_ATTRIBUTES)?.attributes).toEqual(['name', 'cn']);
    expect(attributesOfChange(r.changes.find((c) => c.field === 'members')!, next, base, FIELD_ATTRIBUTES)).toBeNull();
  });
});

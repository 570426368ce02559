import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import { parentDn } from '../../../src/dn.js';
import { DriftReport } from '../../../src/snapshot/drift.js';
import { fieldSeverity } from '../../../src/snapshot/severity.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

const base = sampleSnapshot();
const summary = (r: DriftReport) =>
  r.changes.map((c) => `${c.severity} ${c.kind} ${c.collection} ${c.name}${c.field ? ` ${c.field}` : ''}`);

describe('diffSnapshots', () => {
  it('reports nothing when only the metadata differs', () => {
    const r = diffSnapshots(base, reharvest(base), FIELD_ATTRIBUTES);
    expect(r.changes).toEqual([]);
    expect([r.critical, r.info]).toEqual([0, 0]);
    expect(r.baseline.id).toBe(r.current.id);
    expect(r.current.harvestedAt).toBe('2026-11-21T08:30:00Z');
    expect(DriftReport.parse(r)).toEqual(r);
  });

  it('ignores the order of multi-valued attributes and of objects', () => {
    const next = reharvest(base);
    next.servers.reverse();
    const ex = byName(next.servers, 'EX2016');
    ex.roles.reverse();
    ex.ipAddresses.reverse();
    byName(next.dags, 'DAG1').members.reverse();
    byName(next.databases, 'DB01').copies.reverse();
    expect(diffSnapshots(base, next, FIELD_ATTRIBUTES).changes).toEqual([]);
  });

  it('reports a moved EDB file as critical with old and new path', () => {
    const next = reharvest(base);
    const db = byName(next.databases, 'DB01');
    db.edbFilePath = 'G:\\DB01\\DB01.edb';
    db.raw['msExchEDBFile'] = ['G:\\DB01\\DB01.edb'];
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    // the raw attribute mirrors the field: reported once, as the field
    expect(r.changes).toEqual([
      {
        severity: 'critical', kind: 'changed', collection: 'databases', guid: db.guid, dn: db.dn, name: 'DB01',
        field: 'edbFilePath', old: 'E:\\DB01\\DB01.edb', new: 'G:\\DB01\\DB01.edb', attribution: null,
      },
    ]);
    expect([r.critical, r.info]).toEqual([1, 0]);
  });

  it('reports a mailbox count change as info only', () => {
    const next = reharvest(base);
    const db = byName(next.databases, 'DB01');
    db.mailboxCount = 1251;
    db.raw['homeMDBBL'] = ['CN=New User,CN=Users,DC=contoso,DC=com'];
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual(['info changed databases DB01 mailboxCount']);
    expect(r.changes[0]).toMatchObject({ old: 1250, new: 1251 });
    expect([r.critical, r.info]).toEqual([0, 1]);
  });

  it('reports added and removed objects as critical', () => {
    const next = reharvest(base);
    const gone = byName(next.virtualDirectories, 'ecp (Default Web Site)');
    next.virtualDirectories = next.virtualDirectories.filter((v) => v !== gone);
    const extra = structuredClone(byName(next.acceptedDomains, 'contoso.ch'));
    Object.assign(extra, { guid: '11111111-2222-4333-8444-555555555555', name: 'fabrikam.com', domainName: 'fabrikam.com',
      dn: extra.dn.replace('contoso.ch', 'fabrikam.com') });
    next.acceptedDomains.push(extra);
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical removed virtualDirectories ecp (Default Web Site)',
      'critical added acceptedDomains fabrikam.com',
    ]);
    expect(r.changes.find((c) => c.kind === 'removed')?.dn).toBe(gone.dn);
  });

  it('reports a storage group rename once, not as moves of its databases', () => {
    const next = reharvest(base);
    const sg = byName(next.storageGroups, 'First Storage Group');
    const oldDn = sg.dn;
    const sg2007 = next.storageGroups.find((s) => s.dn.includes('CN=EX2007,'))!;
    expect(sg2007.name).toBe('First Storage Group');
    const newDn = sg2007.dn.replace('CN=First Storage Group,', 'CN=SG1 Mailboxes,');
    const oldSgDn = sg2007.dn;
    sg2007.name = 'SG1 Mailboxes';
    sg2007.dn = newDn;
    sg2007.raw['cn'] = ['SG1 Mailboxes'];
    for (const db of next.databases.filter((d) => d.storageGroup === oldSgDn)) {
      db.storageGroup = newDn;
      db.dn = db.dn.replace(oldSgDn, newDn);
    }
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual(['critical renamed storageGroups SG1 Mailboxes name']);
    expect(r.changes[0]).toMatchObject({ old: 'First Storage Group', new: 'SG1 Mailboxes', dn: newDn });
    expect(oldDn).not.toBe(newDn);
  });

  it('reports an object moved under another parent', () => {
    const next = reharvest(base);
    const rc = byName(next.receiveConnectors, 'App Relay');
    const oldParent = parentDn(rc.dn);
    rc.dn = rc.dn.replace('CN=EX2016,', 'CN=EX2007,');
    rc.server = rc.server.replace('CN=EX2016,', 'CN=EX2007,');
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical moved receiveConnectors App Relay',
      'critical changed receiveConnectors App Relay server',
    ]);
    expect(r.changes[0]).toMatchObject({ old: oldParent, new: parentDn(rc.dn) });
  });

  it('reports set changes of arrays with the whole old and new set', () => {
    const next = reharvest(base);
    const rc = byName(next.receiveConnectors, 'App Relay');
    rc.remoteIpRanges = ['10.0.9.17', '10.0.9.15'];
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      severity: 'critical', field: 'remoteIpRanges', old: ['10.0.9.15', '10.0.9.16'], new: ['10.0.9.15', '10.0.9.17'],
    });
  });

  it('keys database copies by guid and labels them by server', () => {
    const next = reharvest(base);
    const db = byName(next.databases, 'DB02');
    const copy = db.copies.find((c) => c.serverName === 'EX2010A')!;
    copy.activationPreference = 3;
    const b = byName(next.databases, 'DB01');
    b.copies = b.copies.filter((c) => c.serverName !== 'EX2010B');
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical changed databases DB01 copies[EX2010B]',
      'critical changed databases DB02 copies[EX2010A].activationPreference',
    ]);
    expect(r.changes[0]).toMatchObject({ new: null });
    expect(r.changes[1]).toMatchObject({ old: 2, new: 3 });
  });

  it('treats a new build as one critical change of the version', () => {
    const next = reharvest(base);
    const ex = byName(next.servers, 'EX2016');
    ex.serialNumber = 'Version 15.1 (Build 32507.39)';
    ex.raw['serialNumber'] = [ex.serialNumber];
    ex.version = { ...ex.version!, revision: 39, label: 'Exchange Server 2016 CU23 (15.1.2507.39)' };
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical changed servers EX2016 serialNumber',
      'critical changed servers EX2016 version',
    ]);
  });

  it('reports nested object fields by path (OS of the computer account)', () => {
    const next = reharvest(base);
    byName(next.servers, 'EX2010B').computer!.operatingSystemServicePack = null;
    byName(next.forest.domainControllers, 'DC2').isGlobalCatalog = true;
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical changed domainControllers DC2 isGlobalCatalog',
      'critical changed servers EX2010B computer.operatingSystemServicePack',
    ]);
  });

  it('reports raw-only attribute changes as info and ignores volatile ones', () => {
    const next = reharvest(base);
    const ex = byName(next.servers, 'EX2007');
    ex.raw['msExchComponentStates'] = ['FrontendTransport:ServerWideOffline:Maintenance:0:1'];
    ex.raw['whenChanged'] = ['20261121083000.0Z'];
    ex.raw['uSNChanged'] = ['999999'];
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual(['info changed servers EX2007 raw.msExchComponentStates']);
    expect(r.changes[0]).toMatchObject({ old: [], new: ['FrontendTransport:ServerWideOffline:Maintenance:0:1'] });
  });

  it('reports a flag attribute once, through the field it decodes to', () => {
    const next = reharvest(base);
    const d = byName(next.acceptedDomains, 'contoso.ch');
    d.isDefault = true;
    d.raw['msexchaccepteddomainflags'] = ['4'];
    byName(next.acceptedDomains, 'contoso.com').isDefault = false;
    const r = diffSnapshots(base, next, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual([
      'critical changed acceptedDomains contoso.ch isDefault',
      'critical changed acceptedDomains contoso.com isDefault',
    ]);
  });

  it('follows an organization rename without reporting every object below it', () => {
    const next = reharvest(base);
    const oldOrg = next.organization.dn;
    const newOrg = oldOrg.replace('CN=Contoso Zürich Ärzte,', 'CN=Contoso,');
    const swap = (v: unknown): unknown =>
      typeof v === 'string' ? v.replace(oldOrg, newOrg)
        : Array.isArray(v) ? v.map(swap)
        : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)])) : v;
    const moved = swap(next) as typeof next;
    moved.organization.name = 'Contoso';
    const r = diffSnapshots(base, moved, FIELD_ATTRIBUTES);
    expect(summary(r)).toEqual(['critical renamed organization Contoso name']);
  });

  it('orders changes deterministically whatever the input order', () => {
    const a = reharvest(base);
    byName(a.databases, 'DB01').edbFilePath = 'X:\\a.edb';
    byName(a.servers, 'EX2016').installPath = 'D:\\V15';
    const b = structuredClone(a);
    b.databases.reverse();
    b.servers.reverse();
    expect(diffSnapshots(base, a, FIELD_ATTRIBUTES)).toEqual(diffSnapshots(base, b, FIELD_ATTRIBUTES));
    expect(summary(diffSnapshots(base, a, FIELD_ATTRIBUTES))).toEqual([
      'critical changed servers EX2016 installPath',
      'critical changed databases DB01 edbFilePath',
    ]);
  });
});

describe('severity table', () => {
  it('marks runbook values critical and counts info', () => {
    expect(fieldSeverity('databases', 'edbFilePath')).toBe('critical');
    expect(fieldSeverity('databases', 'copies[EX01].activationPreference')).toBe('critical');
    expect(fieldSeverity('servers', 'transportPaths.messageTracking')).toBe('critical');
    expect(fieldSeverity('databases', 'mailboxCount')).toBe('info');
    expect(fieldSeverity('servers', 'somethingNew')).toBe('info');
  });
});

describe('severity table covers the model', () => {
  it('classifies every field of every collection, so a new model field needs a decision', async () => {
    const { Snapshot } = await import('../../../src/snapshot/model.js');
    const { FIELD_SEVERITY } = await import('../../../src/snapshot/collections.js');
    const { COLLECTIONS } = await import('../../../src/snapshot/collections.js');
    const shape = Snapshot.shape;
    const objectOf = (c: string): Record<string, unknown> => {
      switch (c) {
        case 'organization': return shape.organization.shape;
        case 'adminGroups': return shape.organization.shape.adminGroups.element.shape;
        case 'forest': return shape.forest.shape;
        case 'domains': return shape.forest.shape.domains.element.shape;
        case 'domainControllers': return shape.forest.shape.domainControllers.element.shape;
        default: return (shape[c as 'servers'] as unknown as { element: { shape: Record<string, unknown> } }).element.shape;
      }
    };
    const notFields = new Set(['guid', 'dn', 'raw', 'adminGroups', 'domains', 'domainControllers']);
    const unclassified = COLLECTIONS.flatMap((c) =>
      Object.keys(objectOf(c)).filter((k) => !notFields.has(k) && !(k in FIELD_SEVERITY[c])).map((k) => `${c}.${k}`),
    );
    expect(unclassified).toEqual([]);
  });
});

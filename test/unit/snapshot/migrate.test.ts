import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialize } from '../../../src/snapshot/canonical.js';
import { loadSnapshot, parseSnapshot } from '../../../src/snapshot/migrate.js';
import { sampleSnapshot } from './sample.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-migrate-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string) {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('loadSnapshot', () => {
  it('reads a stored snapshot back to the same value', async () => {
    const s = sampleSnapshot();
    const back = await loadSnapshot(await file('ok.json', serialize(s)));
    expect(serialize(back)).toBe(serialize(s));
  });

  it('refuses a snapshot from a newer exbinder', async () => {
    const p = await file('new.json', JSON.stringify({ ...sampleSnapshot(), schemaVersion: 6 }));
    await expect(loadSnapshot(p)).rejects.toThrow(`snapshot ${p} has schemaVersion 6, this exbinder reads up to 5: upgrade exbinder`);
  });

  it('lifts a schemaVersion 1 snapshot (no replication metadata) to the current version', async () => {
    const v1 = structuredClone(sampleSnapshot()) as unknown as { schemaVersion: number; metadata: Record<string, unknown> };
    v1.schemaVersion = 1;
    delete v1.metadata['replication'];
    // what a version-1 snapshot of the sample looks like before the version-3 fields
    const raw = v1 as unknown as Record<string, any>;
    delete raw['organization'].cmdletExtensionAgents;
    delete raw['organization'].authCertificate;
    delete raw['popImapSettings'];
    for (const s of raw['servers']) { delete s.transportServices; delete s.clusteredMailboxServer; }
    for (const r of [...raw['receiveConnectors'], ...raw['sendConnectors']]) delete r.tlsCertificateName;
    for (const d of raw['dags']) { d.witnessServer = d.witnessShare; d.alternateWitnessServer = d.alternateWitnessShare; delete d.witnessShare; delete d.alternateWitnessShare; }
    const back = await loadSnapshot(await file('v1.json', JSON.stringify(v1)));
    expect(back.schemaVersion).toBe(5);
    expect(back.metadata.replication).toBeNull();
    expect(serialize(back)).toBe(serialize(sampleSnapshot()));
  });

  it('lifts a schemaVersion 2 snapshot: witness UNC moves to witnessShare, lag seconds become TimeSpans, new fields start empty', async () => {
    // a version-2 document as that exbinder wrote it: the raw msExchFileShareWitness under witnessServer, lags as AD holds them
    const v1 = JSON.parse(serialize(sampleSnapshot())) as Record<string, any>;
    v1['schemaVersion'] = 2;
    delete v1['organization'].cmdletExtensionAgents;
    delete v1['organization'].authCertificate;
    delete v1['popImapSettings'];
    for (const s of v1['servers']) { delete s.transportServices; delete s.clusteredMailboxServer; }
    for (const r of [...v1['receiveConnectors'], ...v1['sendConnectors']]) delete r.tlsCertificateName;
    const dag = v1['dags'][0];
    dag.witnessServer = '\\\\fs1.contoso.com\\DAG1.contoso.com';
    dag.alternateWitnessServer = 'fs2';
    delete dag.witnessShare; delete dag.alternateWitnessShare;
    v1['databases'].find((d: any) => d.name === 'DB01').copies[1].replayLagTime = '604800';
    const back = await loadSnapshot(await file('v1.json', JSON.stringify(v1)));
    expect(back.schemaVersion).toBe(5);
    expect([back.dags[0]!.witnessShare, back.dags[0]!.witnessServer, back.dags[0]!.alternateWitnessShare, back.dags[0]!.alternateWitnessServer])
      .toEqual(['\\\\fs1.contoso.com\\DAG1.contoso.com', 'fs1.contoso.com', 'fs2', 'fs2']);
    expect(back.databases.find((d) => d.name === 'DB01')!.copies.map((c) => c.replayLagTime)).toEqual(['00:00:00', '7.00:00:00']);
    expect(back.organization.cmdletExtensionAgents).toEqual([]);
    expect(back.servers.every((s) => s.transportServices.length === 0 && s.clusteredMailboxServer === null)).toBe(true);
    expect(back.receiveConnectors.every((r) => r.tlsCertificateName === null)).toBe(true);
  });

  it('names the first invalid field with its path', async () => {
    const s = sampleSnapshot() as unknown as { servers: { fqdn: unknown }[] };
    s.servers[2]!.fqdn = 42;
    const p = await file('bad.json', JSON.stringify(s));
    await expect(loadSnapshot(p)).rejects.toThrow(new RegExp(`^snapshot ${p} is not a valid exbinder snapshot: servers\\[2\\]\\.fqdn: .*expected string`));
  });

  it('explains missing files, broken JSON and foreign documents in one line', async () => {
    await expect(loadSnapshot(join(dir, 'nope.json'))).rejects.toThrow(/cannot read snapshot .*nope.json \(no such file\): check the path/);
    expect(() => parseSnapshot('{"schemaVersion": 1,', 'x.json')).toThrow(/^snapshot x.json is not valid JSON/);
    expect(() => parseSnapshot('[]', 'x.json')).toThrow('snapshot x.json is not a JSON object');
    expect(() => parseSnapshot('{"servers": []}', 'x.json')).toThrow('snapshot x.json has no valid schemaVersion');
    try {
      parseSnapshot('{"schemaVersion": 1}', 'x.json');
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('schemaVersion 3 → 4', () => {
  it('adds the Auth Configuration certificate as unknown (null): a version-3 harvest did not read it', async () => {
    const v3 = JSON.parse(serialize(sampleSnapshot())) as Record<string, any>;
    v3['schemaVersion'] = 3;
    delete v3['organization'].authCertificate;
    delete v3['popImapSettings'];
    const back = await loadSnapshot(await file('v3.json', JSON.stringify(v3)));
    expect(back.schemaVersion).toBe(5);
    expect(back.organization.authCertificate).toBeNull();
  });
});

describe('schemaVersion 4 → 5', () => {
  it('adds the POP3/IMAP4 settings as none: the collection is declared in the registry with the version that added it, no migration code', async () => {
    const v4 = JSON.parse(serialize(sampleSnapshot())) as Record<string, any>;
    v4['schemaVersion'] = 4;
    delete v4['popImapSettings'];
    const back = await loadSnapshot(await file('v4.json', JSON.stringify(v4)));
    expect(back.schemaVersion).toBe(5);
    expect(back.popImapSettings).toEqual([]);
    // everything else as it was
    expect(serialize(back)).toBe(serialize(sampleSnapshot()));
  });
});

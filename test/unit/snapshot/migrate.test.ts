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
    const p = await file('new.json', JSON.stringify({ ...sampleSnapshot(), schemaVersion: 3 }));
    await expect(loadSnapshot(p)).rejects.toThrow(`snapshot ${p} has schemaVersion 3, this exbinder reads up to 2: upgrade exbinder`);
  });

  it('lifts a schemaVersion 1 snapshot (no replication metadata) to 2', async () => {
    const v1 = structuredClone(sampleSnapshot()) as unknown as { schemaVersion: number; metadata: Record<string, unknown> };
    v1.schemaVersion = 1;
    delete v1.metadata['replication'];
    const back = await loadSnapshot(await file('v1.json', JSON.stringify(v1)));
    expect(back.schemaVersion).toBe(2);
    expect(back.metadata.replication).toBeNull();
    expect(serialize(back)).toBe(serialize(sampleSnapshot()));
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

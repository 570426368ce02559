/**
 * The job with the offline harvest: the harvest over the LDIF source,
 * reading the contoso export made from the test DC (fixtures/exports).
 * No DC needed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { runSnapshotJob, type RenderFn } from '../../../src/run/snapshot-job.js';
import { formatDriftText } from '../../../src/render/drift.js';
import { openLdif } from '../../../src/source/index.js';

const EXPORT = join(process.cwd(), 'fixtures/exports/contoso.ldif');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exbinder-job-ldif-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function fromLdif(file: string, at: string) {
  return async () => {
    const d = await openLdif([file]);
    try {
      return await harvest(d, { toolVersion: '0.1.0-test', now: () => new Date(at) });
    } finally {
      await d.close();
    }
  };
}
const render: RenderFn = async (s) => ({ markdown: `# ${s.organization.name}\n`, pdf: Buffer.from('%PDF-1.4\n') });

describe('snapshot job over an LDIF export', () => {
  it('is deterministic across runs and reports one edited EDB path as the only change', async () => {
    const store = join(dir, 'store');
    const a = await runSnapshotJob({ store, harvestFn: fromLdif(EXPORT, '2026-11-20T06:00:00Z'), renderFn: render, accept: true });
    expect(a.exitCode, a.messages.join('\n')).toBe(0);
    const b = await runSnapshotJob({ store, harvestFn: fromLdif(EXPORT, '2026-11-21T06:00:00Z'), renderFn: render });
    expect(b.exitCode).toBe(0);
    expect(b.snapshotId).toBe(a.snapshotId);
    expect(b.drift?.changes).toEqual([]);

    const text = await readFile(EXPORT, 'utf8');
    const from = 'msExchEDBFile: E:\\Databases\\DB2010-01\\DB2010-01.edb';
    expect(text).toContain(from);
    const edited = join(dir, 'edited.ldif');
    await writeFile(edited, text.replace(from, 'msExchEDBFile: K:\\DB2010-01\\DB2010-01.edb'));
    const c = await runSnapshotJob({ store, harvestFn: fromLdif(edited, '2026-11-22T06:00:00Z'), renderFn: render });
    expect(c.exitCode).toBe(1);
    const lines = formatDriftText(c.drift!).split('\n').slice(1);
    // the export's standing warnings (recovery needs care) are reported as known, not as changes
    expect(lines.filter((l) => l.startsWith('warning')).every((l) => l.startsWith('warning   known: '))).toBe(true);
    expect(lines.filter((l) => !l.startsWith('warning'))).toEqual([
      'CRITICAL  Database DB2010-01: EDB file path: E:\\Databases\\DB2010-01\\DB2010-01.edb → K:\\DB2010-01\\DB2010-01.edb',
      // the demo export has no replPropertyMetaData: said once
      'Change times and DCs: not available: the export has no replPropertyMetaData: changes carry no time or DC (export it by name, see docs/replication-metadata.md).',
      '',
    ]);
  }, 60_000);
});

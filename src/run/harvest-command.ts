/** `exbinder harvest`: directory → snapshot file (or stdout with --out -), written atomically. */
import { harvest } from '../harvest/index.js';
import { serialize, snapshotId } from '../snapshot/canonical.js';
import type { Snapshot } from '../snapshot/model.js';
import { checkWritable, writeFileAtomic } from '../snapshot/atomic.js';
import { faultPoint } from '../fault.js';
import { openDirectory, type ConnectionIo, type ConnectionSettings } from './connection.js';
import { TOOL_VERSION } from './version.js';

export async function harvestSnapshot(s: ConnectionSettings, io: ConnectionIo, onProgress?: (line: string) => void): Promise<Snapshot> {
  onProgress?.(`connecting to ${s.url ?? (s.ldif ?? []).join(', ')}`);
  const dir = await openDirectory(s, io);
  try {
    await faultPoint('harvest');
    return await harvest(dir, { toolVersion: TOOL_VERSION, replMetadata: s.replMetadata ?? true, ...(onProgress ? { onProgress } : {}) });
  } finally {
    await dir.close();
  }
}

export interface HarvestResult {
  lines: string[];
  /** 3 when failOnWarning is set and the harvest raised warnings */
  exitCode: 0 | 3;
}

/**
 * `out` '-' writes the snapshot to `stdout` (the summary lines go to stderr
 * as always). With failOnWarning ('new' and 'any' are the same here: there
 * is no known good to compare with) warnings make the exit code 3.
 */
export async function harvestToFile(
  s: ConnectionSettings,
  out: string,
  io: ConnectionIo & { progress?: (line: string) => void; stdout?: (data: string) => void },
  failOnWarning?: 'new' | 'any',
): Promise<HarvestResult> {
  if (out !== '-') await checkWritable(out); // before the harvest, not after minutes of it
  const snapshot = await harvestSnapshot(s, io, io.progress);
  if (out === '-') (io.stdout ?? ((d) => process.stdout.write(d)))(serialize(snapshot));
  else await writeFileAtomic(out, serialize(snapshot));
  return { lines: summarize(snapshot, out === '-' ? 'standard output' : out), exitCode: failOnWarning && snapshot.metadata.warnings.length ? 3 : 0 };
}

export function summarize(s: Snapshot, out: string): string[] {
  const lines = [
    `harvested ${s.organization.name}: ${s.servers.length} servers, ${s.storageGroups.length} storage groups, ` +
      `${s.databases.length} databases, ${s.dags.length} DAGs (${s.metadata.searches} searches, ${s.metadata.durationMs} ms)`,
    `snapshot ${snapshotId(s)} written to ${out}`,
  ];
  for (const w of s.metadata.warnings) lines.push(`warning: ${w.code}: ${w.message}`);
  return lines;
}

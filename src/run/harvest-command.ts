/** `exbinder harvest`: directory → snapshot file, written atomically. */
import { harvest } from '../harvest/index.js';
import { serialize, snapshotId } from '../snapshot/canonical.js';
import type { Snapshot } from '../snapshot/model.js';
import { writeFileAtomic } from '../snapshot/atomic.js';
import { openDirectory, type ConnectionIo, type ConnectionSettings } from './connection.js';
import { TOOL_VERSION } from './version.js';

export async function harvestSnapshot(s: ConnectionSettings, io: ConnectionIo): Promise<Snapshot> {
  const dir = await openDirectory(s, io);
  try {
    return await harvest(dir, { toolVersion: TOOL_VERSION });
  } finally {
    await dir.close();
  }
}

export async function harvestToFile(s: ConnectionSettings, out: string, io: ConnectionIo): Promise<string[]> {
  const snapshot = await harvestSnapshot(s, io);
  await writeFileAtomic(out, serialize(snapshot));
  return summarize(snapshot, out);
}

export function summarize(s: Snapshot, out: string): string[] {
  const lines = [
    `harvested ${s.organization.name}: ${s.servers.length} servers, ${s.storageGroups.length} storage groups, ` +
      `${s.databases.length} databases, ${s.dags.length} DAGs (${s.metadata.searches} searches, ${s.metadata.durationMs} ms)`,
    `snapshot ${snapshotId(s)} written to ${out}`,
  ];
  for (const w of s.metadata.warnings) lines.push(`warning: ${w.message}`);
  return lines;
}

/**
 * `exbinder check`: can this account read what the job needs? Binds, runs
 * the harvest's searches in memory and reports what it would document and
 * what it could not read. Writes nothing: no snapshot, no store file.
 */
import type { Snapshot } from '../snapshot/model.js';
import { SnapshotStore } from '../snapshot/store.js';
import type { ConnectionSettings } from './connection.js';
import { harvestSnapshot } from './harvest-command.js';
import type { RunIo } from './snapshot-command.js';

/** Warning codes that mean "the account cannot read something". */
const RIGHTS = new Set(['unreadable-container', 'permissions-unreadable', 'missing-data', 'dns-record-unreadable']);

export async function checkCommand(s: ConnectionSettings, store: string | undefined, io: RunIo): Promise<{ lines: string[]; exitCode: 0 | 3 }> {
  const snapshot = await harvestSnapshot(s, io, io.progress);
  const lines = [
    `bound and read ${snapshot.metadata.source.description} (${snapshot.metadata.searches} searches, ${snapshot.metadata.durationMs} ms); nothing was written`,
    `organization ${snapshot.organization.name} (objectGUID ${snapshot.organization.guid})`,
    `would document: ${counts(snapshot)}`,
  ];
  const rights = snapshot.metadata.warnings.filter((w) => RIGHTS.has(w.code));
  lines.push(rights.length ? `read rights: ${rights.length} thing${rights.length === 1 ? '' : 's'} could not be read:` : 'read rights: everything the harvest asks for was readable');
  for (const w of rights) lines.push(`  ${w.code}: ${w.message}`);
  const other = snapshot.metadata.warnings.filter((w) => !RIGHTS.has(w.code));
  for (const w of other) lines.push(`warning: ${w.code}: ${w.message}`);
  if (store) lines.push(await storeLine(store, snapshot));
  return { lines, exitCode: snapshot.metadata.warnings.length ? 3 : 0 };
}

function counts(s: Snapshot): string {
  const parts: [number, string][] = [
    [s.servers.length, 'servers'],
    [s.storageGroups.length, 'storage groups'],
    [s.databases.length, 'databases'],
    [s.dags.length, 'DAGs'],
    [s.virtualDirectories.length, 'virtual directories'],
    [s.receiveConnectors.length, 'receive connectors'],
    [s.sendConnectors.length, 'send connectors'],
    [s.acceptedDomains.length, 'accepted domains'],
    [s.forest.domainControllers.length, 'domain controllers'],
  ];
  return parts.map(([n, what]) => `${n} ${what}`).join(', ');
}

/** Whether the configured store would take this organization (read-only look). */
async function storeLine(dir: string, s: Snapshot): Promise<string> {
  let store: SnapshotStore;
  try {
    store = await SnapshotStore.open(dir, { readOnly: true });
  } catch {
    return `store ${dir}: does not exist yet; the first snapshot binds it to ${s.organization.name}`;
  }
  const org = await store.organization();
  if (!org) return `store ${dir}: empty; the first snapshot binds it to ${s.organization.name}`;
  if (org.guid.toLowerCase() === s.organization.guid.toLowerCase()) return `store ${dir}: belongs to ${org.name}, as it should`;
  return `store ${dir}: belongs to ANOTHER organization, ${org.name} (objectGUID ${org.guid}); snapshot would refuse to run`;
}

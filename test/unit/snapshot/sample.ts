/**
 * TEST INPUT for the snapshot tests: the hand-built mixed
 * 2003/2007/2010/2016 organization (one realistic snapshot for the whole
 * project), plus small helpers to find objects in it by name.
 */
import type { Snapshot } from '../../../src/snapshot/model.js';
export { sampleSnapshot } from '../render/sample-snapshot.js';

type Named = { name: string };
export function byName<T extends Named>(items: T[], name: string): T {
  const hit = items.find((i) => i.name === name);
  if (!hit) throw new Error(`sample has no ${name}`);
  return hit;
}

/** A later harvest of the same directory: only the metadata differs. */
export function reharvest(s: Snapshot, at = '2026-11-21T08:30:00Z'): Snapshot {
  const copy = structuredClone(s);
  copy.metadata.harvestedAt = at;
  copy.metadata.durationMs += 17;
  copy.metadata.searches += 1;
  return copy;
}

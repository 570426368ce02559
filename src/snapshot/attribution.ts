/**
 * Change attribution for the drift report: for a changed field, when and on
 * which DC the attribute behind it was last changed, and how many times since
 * the known good (from metadata.replication, i.e. replPropertyMetaData).
 *
 * It says when and where, never who: the user is only in the Security event
 * log of the DC that made the change.
 */
import type { Attribution, AttributionStatus, Change } from './drift.js';
import { parseAttributeChange, type Replication, type Snapshot } from './model.js';
import type { CollectionName } from './collections.js';
import type { FieldAttributes } from './field-attributes.js';

/** A rename or move is recorded on the object's `name` (the RDN) in AD. */
const NAME_ATTRIBUTES = ['name', 'cn'];

interface Target {
  guid: string;
  attributes: readonly string[];
}

/** Which object and attributes a change is about; null when no attribute stands behind it. */
export function attributesOfChange(c: Change, current: Snapshot, baseline: Snapshot, fields: FieldAttributes): Target | null {
  if (!c.guid) return null;
  if (c.kind === 'renamed' || c.kind === 'moved') return { guid: c.guid, attributes: NAME_ATTRIBUTES };
  if (c.kind !== 'changed' || !c.field) return null;
  const raw = /^raw\.(.+)$/.exec(c.field);
  if (raw) return { guid: c.guid, attributes: [raw[1]!] };
  const table: Readonly<Record<string, readonly string[]>> = fields[c.collection as CollectionName]?.read ?? {};
  const copy = /^copies\[(.+?)\](?:\.(.+))?$/.exec(c.field);
  if (copy && c.collection === 'databases') {
    const copyGuid = copyGuidOf(c.guid, copy[1]!, current) ?? copyGuidOf(c.guid, copy[1]!, baseline);
    if (!copyGuid) return null;
    // a copy added or removed as a whole: its host link says when
    return { guid: copyGuid, attributes: table[`copies[].${copy[2] ?? 'server'}`] ?? [] };
  }
  const key = c.field in table ? c.field : (/^[^.[]+/.exec(c.field)?.[0] ?? c.field);
  const attributes = table[key];
  return attributes?.length ? { guid: c.guid, attributes } : null;
}

function copyGuidOf(dbGuid: string, serverName: string, s: Snapshot): string | null {
  const db = s.databases.find((d) => d.guid === dbGuid);
  return db?.copies.find((x) => x.serverName === serverName)?.guid ?? null;
}

/** Case-insensitive lookup of an attribute's metadata on an object. */
function metaOf(r: Replication | null, guid: string, attribute: string) {
  const byAttr = r?.objects[guid];
  if (!byAttr) return null;
  const hit = Object.keys(byAttr).find((k) => k.toLowerCase() === attribute.toLowerCase());
  return hit ? parseAttributeChange(byAttr[hit]!) : null;
}

/**
 * The attribution of one change: of the attributes behind it (`fields`, the
 * harvest's table), the one changed last. null when neither snapshot holds
 * metadata for them.
 */
export function attributeChange(c: Change, current: Snapshot, baseline: Snapshot, fields: FieldAttributes): Attribution | null {
  const target = attributesOfChange(c, current, baseline, fields);
  if (!target) return null;
  let best: Attribution | null = null;
  for (const attribute of target.attributes) {
    const now = metaOf(current.metadata.replication, target.guid, attribute);
    if (!now) continue;
    const before = metaOf(baseline.metadata.replication, target.guid, attribute);
    const a: Attribution = {
      attribute,
      changedAt: now.changedAt,
      dc: now.dc,
      version: now.version,
      baselineVersion: before?.version ?? null,
      changesSinceKnownGood: before ? now.version - before.version : null,
    };
    if (!best || a.changedAt > best.changedAt) best = a;
  }
  return best;
}

/** Whether the report can attribute changes at all, said once for the whole report. */
export function attributionStatus(current: Snapshot): AttributionStatus {
  const r = current.metadata.replication;
  if (!r) return { status: 'unavailable', note: 'the current snapshot was written before exbinder read replication metadata: changes carry no time or DC' };
  return { status: r.status, note: r.note };
}

/**
 * `exbinder history --object NAME`: what the stored snapshots know about one
 * object's attributes over time. Each attribute's value per snapshot, with
 * the replication metadata of that harvest (version, when, on which DC):
 * a version that moved by more than one between two snapshots means changes
 * in between that no snapshot saw. Pure: snapshots in, history out
 * (render/history.ts prints it).
 */
import { collectionLabel } from './collections.js';
import { parseAttributeChange, type Snapshot } from './model.js';

export interface Seen {
  id: string;
  harvestedAt: string;
}

export interface AttributeEvent {
  attribute: string;
  /** text values as harvested (sorted); null when the harvest had none (absent or binary) */
  value: string[] | null;
  version: number | null;
  changedAt: string | null;
  dc: string | null;
  /** version minus the version of the previous event; null without metadata on both */
  changesSincePrevious: number | null;
  firstSeen: Seen;
  lastSeen: Seen;
}

export interface ObjectHistory {
  guid: string;
  dn: string;
  name: string;
  /** 'Database', 'Server', … */
  kind: string;
  /** snapshots that held the object */
  snapshots: number;
  /** snapshots of those with replication metadata for it */
  withMetadata: number;
  /** per attribute, oldest first; attributes in name order */
  attributes: { attribute: string; events: AttributeEvent[] }[];
}

interface Obj {
  guid: string;
  dn: string;
  name: string;
  raw: Record<string, string[]>;
}

/** Read every harvest; never shown as history: the class and creation time do not change. */
const SKIPPED = new Set(['objectclass', 'whencreated', 'objectguid', 'distinguishedname']);

/** Every object with an identity (guid, dn, name, raw) in a snapshot, with its collection. */
function objectsOf(s: Snapshot): { collection: string; o: Obj }[] {
  const out: { collection: string; o: Obj }[] = [{ collection: 'organization', o: s.organization }];
  out.push(...s.organization.adminGroups.map((o) => ({ collection: 'adminGroups', o })));
  out.push(...s.forest.domainControllers.map((o) => ({ collection: 'domainControllers', o })));
  for (const [collection, v] of Object.entries(s)) {
    if (!Array.isArray(v)) continue;
    for (const o of v as unknown[]) {
      const x = o as Partial<Obj>;
      if (typeof x.guid === 'string' && typeof x.dn === 'string' && typeof x.name === 'string' && x.raw) out.push({ collection, o: x as Obj });
    }
  }
  return out;
}

function matches(o: Obj, query: string): boolean {
  const q = query.toLowerCase();
  return o.name.toLowerCase() === q || o.dn.toLowerCase() === q || o.guid.toLowerCase() === q;
}

/** `snapshots` oldest first. Objects matched by name, DN or GUID (case-insensitive). */
export function objectHistory(snapshots: readonly { id: string; snapshot: Snapshot }[], query: string): ObjectHistory[] {
  const found = new Map<string, ObjectHistory & { byAttr: Map<string, AttributeEvent[]> }>();
  for (const { id, snapshot } of snapshots) {
    const seen: Seen = { id, harvestedAt: snapshot.metadata.harvestedAt };
    for (const { collection, o } of objectsOf(snapshot)) {
      if (!matches(o, query)) continue;
      let h = found.get(o.guid);
      if (!h) {
        h = { guid: o.guid, dn: o.dn, name: o.name, kind: collectionLabel(collection), snapshots: 0, withMetadata: 0, attributes: [], byAttr: new Map() };
        found.set(o.guid, h);
      }
      h.dn = o.dn;
      h.name = o.name;
      h.snapshots++;
      const meta = snapshot.metadata.replication?.objects[o.guid] ?? null;
      if (meta) h.withMetadata++;
      const metaByLower = new Map(Object.entries(meta ?? {}).map(([k, v]) => [k.toLowerCase(), { name: k, ...parseAttributeChange(v) }]));
      const names = new Map<string, string>();
      for (const k of Object.keys(o.raw)) names.set(k.toLowerCase(), k);
      for (const [k, m] of metaByLower) names.set(k, m.name); // metadata carries the schema's spelling
      for (const [lower, attribute] of names) {
        if (SKIPPED.has(lower)) continue;
        const m = metaByLower.get(lower) ?? null;
        const rawKey = Object.keys(o.raw).find((k) => k.toLowerCase() === lower);
        const value = rawKey ? [...o.raw[rawKey]!].sort() : null;
        const events = h.byAttr.get(lower) ?? [];
        h.byAttr.set(lower, events);
        const last = events.at(-1);
        const same = last && JSON.stringify(last.value) === JSON.stringify(value) && (m === null || (last.version === m.version && last.changedAt === m.changedAt));
        if (last && same) {
          last.lastSeen = seen;
          continue;
        }
        events.push({
          attribute,
          value,
          version: m?.version ?? null,
          changedAt: m?.changedAt ?? null,
          dc: m?.dc ?? null,
          changesSincePrevious: m && last?.version != null ? m.version - last.version : null,
          firstSeen: seen,
          lastSeen: seen,
        });
      }
    }
  }
  return [...found.values()]
    .map(({ byAttr, ...h }) => ({
      ...h,
      attributes: [...byAttr.values()].map((events) => ({ attribute: events.at(-1)!.attribute, events })).sort((a, b) => (a.attribute.toLowerCase() < b.attribute.toLowerCase() ? -1 : 1)),
    }))
    .sort((a, b) => (a.dn.toLowerCase() < b.dn.toLowerCase() ? -1 : 1));
}

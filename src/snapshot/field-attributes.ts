/**
 * Which directory attributes stand behind each model field. The snapshot
 * stage holds no attribute names: the harvest knows them
 * (src/harvest/registry.ts `FIELD_ATTRIBUTES`) and the use cases pass the
 * table in, to the diff (a raw attribute behind a changed field is not
 * reported a second time) and to the drift attribution (whose
 * replPropertyMetaData entry says when a field changed).
 */
import type { CollectionName } from './collections.js';

/** Model field (top-level, or `transportPaths.x` / `copies[].x`) → attributes, as AD spells them. */
export type FieldTable = Readonly<Record<string, readonly string[]>>;

export interface CollectionAttributes {
  /** the attributes each field is read from, on the object itself (they carry replication metadata) */
  readonly read: FieldTable;
  /** back links a field is computed from (DAG members, mailbox counts): no metadata of their own, but their raw change is the field's */
  readonly backLinks: FieldTable;
}

/** Per collection: which attributes stand behind its fields. */
export type FieldAttributes = Readonly<Record<CollectionName, CollectionAttributes>>;

const topOf = (field: string): string => /^[^.[]+/.exec(field)?.[0] ?? field;

const inverted = new WeakMap<FieldAttributes, Map<CollectionName, ReadonlyMap<string, readonly string[]>>>();

/** Attribute (lower case, as raw keys are) → the top-level fields read from it, in one collection. */
export function fieldsReadFrom(table: FieldAttributes, collection: CollectionName): ReadonlyMap<string, readonly string[]> {
  let byCollection = inverted.get(table);
  if (!byCollection) inverted.set(table, (byCollection = new Map()));
  let m = byCollection.get(collection);
  if (!m) {
    const out = new Map<string, string[]>();
    for (const [field, attributes] of [...Object.entries(table[collection].read), ...Object.entries(table[collection].backLinks)]) {
      for (const a of attributes) {
        const fields = out.get(a.toLowerCase()) ?? [];
        if (!fields.includes(topOf(field))) fields.push(topOf(field));
        out.set(a.toLowerCase(), fields);
      }
    }
    byCollection.set(collection, (m = out));
  }
  return m;
}

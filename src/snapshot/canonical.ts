/**
 * Canonical form of a snapshot: what makes two harvests of the same directory
 * byte-identical. LDAP returns entries and multi-valued attributes in no
 * guaranteed order, so every array is sorted here, once, at the edge.
 */
import { createHash } from 'node:crypto';
import { Snapshot } from './model.js';

const collator = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function keyOf(v: unknown): string {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const k = o['dn'] ?? o['guid'] ?? o['code'] ?? JSON.stringify(o);
    return `${String(k).toLowerCase()}\u0000${String(o['guid'] ?? '')}\u0000${String(o['message'] ?? '')}`;
  }
  return String(v);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(sortDeep);
    return items.sort((a, b) => collator(keyOf(a), keyOf(b)));
  }
  if (v && typeof v === 'object' && !(v instanceof Buffer)) {
    const out: Record<string, unknown> = {};
    // zod restores schema key order for objects; records (raw attributes) keep this sorted order
    for (const k of Object.keys(v).sort(collator)) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Validates and sorts; throws a ZodError if the object is not a snapshot. */
export function canonicalize(snapshot: Snapshot): Snapshot {
  return Snapshot.parse(sortDeep(snapshot));
}

/** Stable text form: schema key order, 2-space indent, trailing newline. */
export function serialize(snapshot: Snapshot): string {
  return JSON.stringify(canonicalize(snapshot), null, 2) + '\n';
}

/**
 * Content address of a snapshot: SHA-256 of the canonical body without the
 * metadata block, so an unchanged directory keeps the same id across runs.
 */
export function snapshotId(snapshot: Snapshot): string {
  const { metadata: _metadata, ...body } = canonicalize(snapshot);
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
}

/**
 * Which drift matters for the recovery binder. The severity of each field is
 * in its collection's registry entry (collections.ts); a path the registry
 * does not know (a field of an older snapshot) is `info`. Added, removed,
 * renamed and moved objects are critical in every collection: every
 * collection is printed.
 */
import { FIELD_SEVERITY, type CollectionName } from './collections.js';
import type { Severity } from './drift.js';
import { VOLATILE_ATTRIBUTES } from './model.js';

/**
 * Severity of a change to `field` (a path) of an object in `collection`. A
 * nested path (`transportPaths.messageTracking`,
 * `copies[EX02].activationPreference`) takes the severity of its top-level field.
 */
export function fieldSeverity(collection: CollectionName, field: string): Severity {
  const top = /^[^.[]+/.exec(field)?.[0] ?? field;
  return FIELD_SEVERITY[collection][top] ?? 'info';
}

/**
 * Raw attributes that never count as drift (lower-case): the volatile ones
 * (never in a snapshot of this version, but older snapshots may hold them),
 * and the identity attributes that renamed/moved already report.
 */
export const IGNORED_RAW_ATTRIBUTES: ReadonlySet<string> = new Set([...VOLATILE_ATTRIBUTES, 'cn', 'name']);

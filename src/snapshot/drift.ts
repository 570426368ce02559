/**
 * Drift report: the result of comparing a snapshot with the last known good.
 * Shared by the diff (which produces it), the store (which keeps it) and the
 * binder (which prints it on the cover and in the appendix).
 */
import { z } from 'zod';

export const DRIFT_SCHEMA_VERSION = 1 as const;

export const Severity = z.enum(['critical', 'info']);
export type Severity = z.infer<typeof Severity>;

export const Change = z.strictObject({
  severity: Severity,
  kind: z.enum(['added', 'removed', 'changed', 'renamed', 'moved']),
  /** snapshot collection, e.g. 'servers', 'databases' */
  collection: z.string(),
  guid: z.string().nullable(),
  /** DN in the new snapshot (old one for removals) */
  dn: z.string(),
  name: z.string(),
  /** field path for 'changed', e.g. 'edbFilePath' or 'copies[EX02].activationPreference' */
  field: z.string().nullable(),
  old: z.unknown().nullable(),
  new: z.unknown().nullable(),
});
export type Change = z.infer<typeof Change>;

export const DriftReport = z.strictObject({
  driftSchemaVersion: z.literal(DRIFT_SCHEMA_VERSION),
  /** snapshot ids (see canonical.ts snapshotId) */
  baseline: z.strictObject({ id: z.string(), harvestedAt: z.string() }),
  current: z.strictObject({ id: z.string(), harvestedAt: z.string() }),
  critical: z.number().int(),
  info: z.number().int(),
  changes: z.array(Change),
});
export type DriftReport = z.infer<typeof DriftReport>;

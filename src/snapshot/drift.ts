/**
 * Drift report: the result of comparing a snapshot with the last known good.
 * Shared by the diff (which produces it), the store (which keeps it) and the
 * binder (which prints it on the cover and in the appendix).
 */
import { z } from 'zod';
import { Warning } from './model.js';
import { C1, charClass, INVISIBLE_FORMAT, SEPARATORS } from '../unicode.js';

export const DRIFT_SCHEMA_VERSION = 1 as const;

export const Severity = z.enum(['critical', 'info']);
export type Severity = z.infer<typeof Severity>;

/** When and on which DC the attribute behind a change was last changed (replPropertyMetaData); never who. */
export const Attribution = z.strictObject({
  /** lDAPDisplayName of the attribute, e.g. 'msExchEDBFile' */
  attribute: z.string(),
  /** last originating change, ISO 8601 UTC */
  changedAt: z.string(),
  /** DC the change was made on (DNS name, or its invocationId when no DC of the forest has it any more) */
  dc: z.string(),
  /** attribute version now */
  version: z.number().int(),
  /** attribute version in the known good; null when it has no metadata for it */
  baselineVersion: z.number().int().nullable(),
  /** version − baselineVersion: more than 1 means it was changed several times in between */
  changesSinceKnownGood: z.number().int().nullable(),
});
export type Attribution = z.infer<typeof Attribution>;

export const AttributionStatus = z.strictObject({
  status: z.enum(['read', 'not-requested', 'unavailable']),
  /** why times and DCs are missing or partial, said once per report */
  note: z.string().nullable(),
});
export type AttributionStatus = z.infer<typeof AttributionStatus>;

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
  /** when and on which DC (reports written before attribution existed have none) */
  attribution: Attribution.nullable().optional(),
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
  /** the organization both snapshots describe (reports and mail subjects name it) */
  organization: z.strictObject({ name: z.string(), guid: z.string() }).optional(),
  /**
   * Harvest warnings of the current snapshot, split by whether the known good
   * already had them (same code, object and text). 'resolved': known good
   * warnings the current harvest no longer raises.
   */
  warnings: z
    .strictObject({ new: z.array(Warning), known: z.array(Warning), resolved: z.array(Warning) })
    .optional(),
  /** whether changes carry times and DCs (metadata.replication of the current snapshot) */
  attribution: AttributionStatus.optional(),
});
export type DriftReport = z.infer<typeof DriftReport>;

/** Identity of a warning across harvests: code, object and text (the texts carry no clock). */
export function warningKey(w: Warning): string {
  return `${w.code}\u0000${w.dn ?? ''}\u0000${w.message}`;
}

/** Splits `current` into warnings new since `baseline` and already known ones; also those gone. */
export function compareWarnings(baseline: readonly Warning[], current: readonly Warning[]) {
  const before = new Set(baseline.map(warningKey));
  const now = new Set(current.map(warningKey));
  return {
    new: current.filter((w) => !before.has(warningKey(w))),
    known: current.filter((w) => before.has(warningKey(w))),
    resolved: baseline.filter((w) => !now.has(warningKey(w))),
  };
}

/** Exit code of a drift check, as diff(1): 0 no critical drift, 1 critical drift (2, an error, is the CLI's). */
export function driftExitCode(report: Pick<DriftReport, 'critical'>): 0 | 1 {
  return report.critical > 0 ? 1 : 0;
}

/**
 * JSON text for files and stdout (drift/*.json, `diff --format json`, --json):
 * the same JSON, but DEL, C1 controls, line and paragraph separators and the
 * invisible format characters (zero-width, bidi) are written as \uhhhh:
 * JSON.stringify escapes only C0, and JSON printed to a terminal must not act
 * on a directory value (C1 CSI starts an escape sequence there) or reorder
 * its text.
 */
const JSON_UNSAFE = charClass(C1, SEPARATORS, INVISIBLE_FORMAT);
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A drift report as its JSON file. */
export function driftJson(report: DriftReport): string {
  return jsonText(report) + '\n';
}

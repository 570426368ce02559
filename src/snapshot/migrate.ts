/**
 * Reading snapshots written by any exbinder version.
 *
 * Every stored snapshot carries `schemaVersion`. A newer exbinder that
 * changes the model bumps SCHEMA_VERSION, so years of history stay
 * diffable. An additive change (a collection or field that older snapshots
 * lack) needs no code here: the collection registry declares it with the
 * version that added it (`since`, `added` in collections.ts) and `lift`
 * fills it with its empty value. Anything else (a value that moved or
 * changed form) adds a function to MIGRATIONS. A snapshot from a newer
 * exbinder is refused: we cannot know what its fields mean.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ExbinderError, unreadableInput } from '../errors.js';
import { SCHEMA_VERSION, Snapshot } from './model.js';
import { COLLECTIONS, REGISTRY, storedObjects, type CollectionEntry, type CollectionName } from './collections.js';

type Doc = Record<string, unknown>;

/** MIGRATIONS[n]: what turns a schemaVersion n document into an n+1 one besides the registry's additions. */
export const MIGRATIONS: Readonly<Record<number, (doc: Doc) => Doc>> = {
  // 2 adds metadata.replication (change attribution): version 1 snapshots have none
  1: (doc) => {
    const metadata = doc['metadata'];
    const lifted = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? { ...(metadata as Doc), replication: null } : metadata;
    return { ...doc, metadata: lifted };
  },
  // 3 adds the recovery-plan data
  2: (doc) => v2ToV3(doc),
};

/** What the registry declares as added in `version`: collections and fields an older snapshot lacks. */
function additions(version: number): { collections: CollectionName[]; fields: [collection: CollectionName, field: string, empty: unknown][] } {
  const collections: CollectionName[] = [];
  const fields: [CollectionName, string, unknown][] = [];
  for (const c of COLLECTIONS) {
    const e = REGISTRY[c] as CollectionEntry;
    if (e.since === version) collections.push(c);
    for (const [field, a] of Object.entries(e.added ?? {}) as [string, { since: number; empty: unknown }][]) {
      if (a.since === version) fields.push([c, field, a.empty]);
    }
  }
  return { collections, fields };
}

/**
 * One version step: the hand-written part (MIGRATIONS) if any, then what the
 * registry declares as added in `version + 1`, each filled where the document
 * lacks it (an empty list of a new collection, the empty value of a field on
 * every object of its collection). Null when the step has neither (a gap:
 * a bug in exbinder). Changes `doc`, which must be the caller's own.
 */
export function lift(doc: Doc, version: number): Doc | null {
  const step = MIGRATIONS[version];
  const added = additions(version + 1);
  if (!step && added.collections.length === 0 && added.fields.length === 0) return null;
  // in place: the document is the one parseSnapshot just parsed, held by nothing else (a deep copy per step was most of the time and memory of loading an old snapshot)
  const out = step ? step(doc) : doc;
  for (const c of added.collections) {
    if (!(c in out)) out[c] = [];
  }
  for (const [c, field, empty] of added.fields) {
    for (const o of storedObjects(out, c)) {
      if (!(field in o)) o[field] = structuredClone(empty);
    }
  }
  return { ...out, schemaVersion: version + 1 };
}

const list = (v: unknown): Doc[] => (Array.isArray(v) ? (v as Doc[]) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Host of a UNC path (\\fs01\DAG1 → fs01); a bare host name stays as it is. */
function uncHost(v: string | null): string | null {
  if (v === null) return null;
  const m = /^\\\\([^\\]+)/.exec(v);
  return m ? m[1]! : v.includes('\\') ? null : v;
}

/** Whole seconds (how AD stores a copy's lag) → TimeSpan text; other values unchanged. */
function lag(v: unknown): string | null {
  const s = str(v);
  if (s === null || !/^\d+$/.test(s)) return s;
  const t = Number(s);
  const d = Math.floor(t / 86400);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d > 0 ? `${d}.` : ''}${p(Math.floor((t % 86400) / 3600))}:${p(Math.floor((t % 3600) / 60))}:${p(t % 60)}`;
}

/**
 * 2 → 3: recovery-plan data. DAG witness values were stored under
 * witnessServer (versions 1 and 2) though AD holds the share's UNC path (now witnessShare, with
 * the host in witnessServer); copy lags in TimeSpan form. The new fields a
 * version-2 harvest did not read are the registry's (`added`, since 3).
 */
function v2ToV3(doc: Doc): Doc {
  const out: Doc = { ...doc };
  out['databases'] = list(doc['databases']).map((d) => ({
    ...d,
    copies: list(d['copies']).map((c) => ({ ...c, replayLagTime: lag(c['replayLagTime']), truncationLagTime: lag(c['truncationLagTime']) })),
  }));
  out['dags'] = list(doc['dags']).map((d) => {
    const share = str(d['witnessServer']);
    const alt = str(d['alternateWitnessServer']);
    return { ...d, witnessShare: share, witnessServer: uncHost(share), alternateWitnessShare: alt, alternateWitnessServer: uncHost(alt) };
  });
  return out;
}

/** Reads, migrates and validates the snapshot at `path`; every failure is one ExbinderError line. */
export async function loadSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw unreadableInput('snapshot', path, e, 'check the path', 'snapshot-read');
  }
  return parseSnapshot(text, path);
}

/** Same as loadSnapshot for text already in memory; `source` names it in messages. */
export function parseSnapshot(text: string, source: string): Snapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ExbinderError(`snapshot ${source} is not valid JSON (${(e as Error).message}): is it an exbinder snapshot?`, 'snapshot-json', 2, { cause: e });
  }
  return validate(migrate(doc, source), source);
}

/** Lifts a parsed document to the current schema version, changing it: pass one nothing else holds. */
export function migrate(doc: unknown, source: string): Doc {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ExbinderError(`snapshot ${source} is not a JSON object: is it an exbinder snapshot?`, 'snapshot-invalid');
  }
  let current = doc as Doc;
  let version = current['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ExbinderError(`snapshot ${source} has no valid schemaVersion: is it an exbinder snapshot?`, 'snapshot-invalid');
  }
  if (version > SCHEMA_VERSION) {
    throw new ExbinderError(
      `snapshot ${source} has schemaVersion ${version}, this exbinder reads up to ${SCHEMA_VERSION}: upgrade exbinder`,
      'snapshot-too-new',
    );
  }
  while (version < SCHEMA_VERSION) {
    const next = lift(current, version);
    if (!next) {
      // a version with neither a migration nor a declared addition is a bug in exbinder, but the user still deserves one clear line
      throw new ExbinderError(`snapshot ${source} has schemaVersion ${version} and this exbinder has no migration from it: report this as a bug`, 'snapshot-migration');
    }
    current = next;
    version += 1;
  }
  return current;
}

function validate(doc: Doc, source: string): Snapshot {
  const parsed = Snapshot.safeParse(doc);
  if (parsed.success) return parsed.data;
  throw new ExbinderError(`snapshot ${source} is not a valid exbinder snapshot: ${firstIssue(parsed.error)}`, 'snapshot-invalid');
}

/** `servers[2].fqdn: Invalid input: expected string, received number` */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown validation error';
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return `${path || '(top level)'}: ${issue.message}`;
}

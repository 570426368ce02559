/**
 * Reading snapshots written by any exbinder version.
 *
 * Every stored snapshot carries `schemaVersion`. A newer exbinder that
 * changes the model bumps SCHEMA_VERSION and adds one function to
 * MIGRATIONS that lifts a document from version n to n+1, so years of
 * history stay diffable. A snapshot from a newer exbinder is refused: we
 * cannot know what its fields mean.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ExbinderError, unreadableInput } from '../errors.js';
import { SCHEMA_VERSION, Snapshot } from './model.js';

type Doc = Record<string, unknown>;

/** MIGRATIONS[n] turns a schemaVersion n document into a schemaVersion n+1 one. */
export const MIGRATIONS: Readonly<Record<number, (doc: Doc) => Doc>> = {
  // 2 adds metadata.replication (change attribution): version 1 snapshots have none
  1: (doc) => {
    const metadata = doc['metadata'];
    const lifted = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? { ...(metadata as Doc), replication: null } : metadata;
    return { ...doc, schemaVersion: 2, metadata: lifted };
  },
};

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

/** Lifts a parsed document to the current schema version. */
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
    const step = MIGRATIONS[version];
    if (!step) {
      // a gap in MIGRATIONS is a bug in exbinder, but the user still deserves one clear line
      throw new ExbinderError(`snapshot ${source} has schemaVersion ${version} and this exbinder has no migration from it: report this as a bug`, 'snapshot-migration');
    }
    current = step(current);
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

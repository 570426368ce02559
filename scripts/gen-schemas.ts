/**
 * Writes the JSON Schemas of the two documents exbinder persists, generated
 * from the zod models (the single source of truth), so other tools can
 * validate snapshots and drift reports without reading TypeScript:
 *   docs/snapshot.schema.json   src/snapshot/model.ts Snapshot
 *   docs/drift.schema.json      src/snapshot/drift.ts DriftReport
 * Run: npx tsx scripts/gen-schemas.ts   (test/unit/snapshot/schemas.test.ts fails when they are stale)
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DriftReport } from '../src/snapshot/drift.js';
import { Snapshot } from '../src/snapshot/model.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

function schemaText(schema: z.ZodType, id: string, title: string): string {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw' });
  const { $schema, ...rest } = json as Record<string, unknown>;
  return JSON.stringify({ $schema, $id: id, title, ...rest }, null, 2) + '\n';
}

/** File path (relative to the repository) → content. */
export function renderSchemas(): Record<string, string> {
  return {
    'docs/snapshot.schema.json': schemaText(Snapshot, 'https://exbinder.invalid/snapshot.schema.json', 'exbinder snapshot'),
    'docs/drift.schema.json': schemaText(DriftReport, 'https://exbinder.invalid/drift.schema.json', 'exbinder drift report'),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [path, text] of Object.entries(renderSchemas())) {
    await writeFile(join(ROOT, path), text);
    console.log(`wrote ${path}`);
  }
}

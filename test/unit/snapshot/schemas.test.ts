import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderSchemas } from '../../../scripts/gen-schemas.js';

describe('committed JSON Schemas', () => {
  it.each(Object.entries(renderSchemas()))('%s matches the zod model (regenerate: npx tsx scripts/gen-schemas.ts)', async (path, text) => {
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('describes the real documents', () => {
    const snapshot = JSON.parse(renderSchemas()['docs/snapshot.schema.json']!);
    expect(snapshot.properties.schemaVersion).toEqual({ type: 'number', const: 5 });
    expect(snapshot.required).toContain('servers');
    expect(snapshot.additionalProperties).toBe(false);
    const drift = JSON.parse(renderSchemas()['docs/drift.schema.json']!);
    expect(drift.properties.changes.items.properties.severity.enum).toEqual(['critical', 'info']);
  });
});

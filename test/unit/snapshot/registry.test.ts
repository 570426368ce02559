/**
 * The snapshot's collection registry (src/snapshot/collections.ts): it must
 * name every part of the Snapshot type, decide the severity of every field,
 * and `collectionObjects` / `assembleSnapshot` must be each other's inverse.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assembleSnapshot, collectionObjects, COLLECTIONS, REGISTRY, type CollectionName } from '../../../src/snapshot/collections.js';
import { Snapshot } from '../../../src/snapshot/model.js';
import { fieldSeverity } from '../../../src/snapshot/severity.js';
import { sampleSnapshot } from './sample.js';

/** Object schemas reachable from a zod type: the element of an array, the shape of an object. */
function shapeOf(t: z.ZodType): Record<string, z.ZodType> | null {
  const def = (t as unknown as { def: { type: string; element?: z.ZodType; innerType?: z.ZodType } }).def;
  if (def.type === 'array') return shapeOf(def.element!);
  if (def.type === 'nullable' || def.type === 'optional') return shapeOf(def.innerType!);
  if (def.type === 'object') return (t as z.ZodObject).shape as Record<string, z.ZodType>;
  return null;
}

describe('collection registry', () => {
  it('covers every key of the Snapshot type: each top-level part and each nested list of objects with an identity is a collection', () => {
    // the organization and the forest are one object each: their nested lists of objects are collections,
    // except the cmdlet extension agents, which are printed (and diffed) as a field of the organization
    const fieldsNotCollections = new Set(['organization.cmdletExtensionAgents']);
    const expected = new Set<string>();
    for (const [key, t] of Object.entries(Snapshot.shape)) {
      if (key === 'schemaVersion' || key === 'metadata') continue;
      expected.add(key);
      if ((t as unknown as { def: { type: string } }).def.type !== 'object') continue;
      for (const [inner, it] of Object.entries(shapeOf(t)!)) {
        const isList = (it as unknown as { def: { type: string } }).def.type === 'array';
        if (isList && shapeOf(it) && !fieldsNotCollections.has(`${key}.${inner}`)) expected.add(inner);
      }
    }
    expect([...COLLECTIONS].sort()).toEqual([...expected].sort());
    expect(Object.keys(REGISTRY).sort()).toEqual([...COLLECTIONS].sort());
  });

  it('decides the severity of every field of every collection, and of nothing else', () => {
    for (const c of COLLECTIONS) {
      const fields = Object.keys(shapeOf(REGISTRY[c].schema)!).filter((k) => !['guid', 'dn', 'raw'].includes(k)).sort();
      expect(Object.keys(REGISTRY[c].severity).sort(), c).toEqual(fields);
    }
    expect(fieldSeverity('databases', 'copies[EX01].activationPreference')).toBe('critical');
    expect(fieldSeverity('databases', 'mailboxCount')).toBe('info');
  });

  it('collectionObjects and assembleSnapshot are inverses, and every object validates against its entry schema', () => {
    const s = sampleSnapshot();
    const objects = collectionObjects(s);
    for (const c of COLLECTIONS) {
      expect(() => z.array(REGISTRY[c].schema).parse(objects[c]), c).not.toThrow();
    }
    expect(assembleSnapshot(s.schemaVersion, s.metadata, objects)).toEqual(s);
  });

  it('an entry schema refuses what the collection does not hold (the check above can fail)', () => {
    const s = sampleSnapshot();
    const server = { ...collectionObjects(s).servers[0]!, notAField: 1 };
    expect(() => REGISTRY.servers.schema.parse(server)).toThrow();
    const { adminGroups: _ag, ...org } = s.organization;
    expect(() => REGISTRY.organization.schema.parse({ ...org, adminGroups: [] })).toThrow();
  });

  it('labels and server links come from the entries', async () => {
    const { COLLECTION_LABEL, SERVER_LINK, collectionLabel } = await import('../../../src/snapshot/collections.js');
    expect(COLLECTION_LABEL.receiveConnectors).toBe('Receive connector');
    expect(SERVER_LINK.sendConnectors).toBe('sourceServers');
    expect(collectionLabel('gone' as CollectionName)).toBe('gone');
  });
});

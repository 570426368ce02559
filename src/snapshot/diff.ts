/**
 * Semantic diff of two snapshots: what an Exchange admin would call a change,
 * not what a text diff sees.
 *
 * - Objects are matched by objectGUID (DN, case-insensitive, when an object
 *   has no GUID), so a renamed storage group is one "renamed" change, not a
 *   removal plus an addition.
 * - When an object is renamed or moved, the DNs of its descendants and every
 *   reference to it change too. Those follow-on DN changes are rewritten away
 *   before comparing, so a storage-group rename does not also report every
 *   database under it as moved.
 * - Multi-valued attributes are sets; lists of nested objects (database
 *   copies) are matched by their GUID and labelled by server.
 * - The metadata block is never compared: it is what differs between two
 *   harvests of an unchanged directory.
 */
import { dnKey, parentOf, rewriteDnsIn, sameDn } from '../dn.js';
import { attributeChange, attributionStatus } from './attribution.js';
import { canonicalize, snapshotId } from './canonical.js';
import { collectionObjects, COLLECTIONS, type CollectionName } from './collections.js';
import { compareWarnings, DRIFT_SCHEMA_VERSION, type Change, type DriftReport } from './drift.js';
import type { Snapshot } from './model.js';
import { fieldsReadFrom, type FieldAttributes } from './field-attributes.js';
import { IGNORED_RAW_ATTRIBUTES, fieldSeverity } from './severity.js';

type Obj = Record<string, unknown>;

/** Fields compared as one value: a new certificate or build is one change, not five. */
const ATOMIC_FIELDS = new Set(['version', 'internalTransportCertificate']);
/** Identity and containers handled outside the field-by-field comparison. */
const NOT_FIELDS = new Set(['guid', 'dn', 'name', 'raw', 'adminGroups', 'domains', 'domainControllers']);

/**
 * Compares `current` with `baseline` (the known good). Pure; deterministic
 * order. `fields`: which attributes each model field is read from (the
 * harvest's `FIELD_ATTRIBUTES`), for raw drift and attribution.
 */
export function diffSnapshots(baseline: Snapshot, current: Snapshot, fields: FieldAttributes): DriftReport {
  const a = canonicalize(baseline);
  const b = canonicalize(current);
  const oldCols = collectionsOf(a);
  const newCols = collectionsOf(b);
  const rewrite = dnRewriter(oldCols, newCols);
  const changes: Change[] = [];
  for (const collection of COLLECTIONS) {
    changes.push(...diffCollection(collection, oldCols[collection], newCols[collection], rewrite, fields));
  }
  changes.sort(compareChanges);
  for (const c of changes) c.attribution = attributeChange(c, b, a, fields);
  const critical = changes.filter((c) => c.severity === 'critical').length;
  return {
    driftSchemaVersion: DRIFT_SCHEMA_VERSION,
    baseline: { id: snapshotId(a), harvestedAt: a.metadata.harvestedAt },
    current: { id: snapshotId(b), harvestedAt: b.metadata.harvestedAt },
    critical,
    info: changes.length - critical,
    changes,
    organization: { name: current.organization.name, guid: current.organization.guid },
    warnings: compareWarnings(baseline.metadata.warnings, current.metadata.warnings),
    attribution: attributionStatus(b),
  };
}

// ---------------------------------------------------------------- collections

function collectionsOf(s: Snapshot): Record<CollectionName, Obj[]> {
  const all = collectionObjects(s) as Record<CollectionName, Obj[]>;
  const forest = all.forest[0]!;
  return {
    ...all,
    // the forest has no GUID or DN of its own: it is keyed as the one forest
    forest: [{ ...forest, guid: 'forest', dn: forest['rootDomain'], name: 'forest' }],
    domains: all.domains.map((d) => ({ ...d, name: d['dnsName'] })),
  };
}

function keyOf(o: Obj): string {
  const guid = typeof o['guid'] === 'string' ? o['guid'] : '';
  return guid ? `g:${guid.toLowerCase()}` : `d:${dnKey(String(o['dn'] ?? ''))}`;
}

function indexByKey(items: Obj[]): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const o of items) if (!m.has(keyOf(o))) m.set(keyOf(o), o);
  return m;
}

// ------------------------------------------------------------- DN rewriting

type Rewrite = (value: string) => string;

/**
 * Maps every old DN (and every DN below it) of an object whose DN changed to
 * its new DN, so old values can be compared with new ones as if the rename
 * had always been there.
 */
function dnRewriter(oldCols: Record<CollectionName, Obj[]>, newCols: Record<CollectionName, Obj[]>): Rewrite {
  const renamed = new Map<string, string>();
  for (const c of COLLECTIONS) {
    const now = indexByKey(newCols[c]);
    for (const o of oldCols[c]) {
      const n = now.get(keyOf(o));
      const od = String(o['dn'] ?? '');
      const nd = String(n?.['dn'] ?? '');
      if (n && od && nd && !sameDn(od, nd)) renamed.set(dnKey(od), nd);
    }
  }
  if (renamed.size === 0) return (v) => v;
  return (value) => rewriteDnsIn(value, renamed);
}

function rewriteDeep(v: unknown, rewrite: Rewrite): unknown {
  if (typeof v === 'string') return rewrite(v);
  if (Array.isArray(v)) return v.map((x) => rewriteDeep(x, rewrite));
  if (v && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = rewriteDeep(x, rewrite);
    return out;
  }
  return v;
}

// ------------------------------------------------------------ object diffs

function diffCollection(collection: CollectionName, olds: Obj[], news: Obj[], rewrite: Rewrite, fields: FieldAttributes): Change[] {
  const out: Change[] = [];
  const oldBy = indexByKey(olds);
  const newBy = indexByKey(news);
  for (const [k, o] of oldBy) {
    if (!newBy.has(k)) out.push(objectChange('removed', collection, o, null, null));
  }
  for (const [k, n] of newBy) {
    const o = oldBy.get(k);
    if (!o) out.push(objectChange('added', collection, n, null, null));
    else out.push(...diffObject(collection, o, n, rewrite, fields));
  }
  return out;
}

function objectChange(kind: Change['kind'], collection: CollectionName, o: Obj, old: unknown, now: unknown): Change {
  return {
    severity: 'critical',
    kind,
    collection,
    guid: typeof o['guid'] === 'string' && o['guid'] && collection !== 'forest' ? o['guid'] : null,
    dn: String(o['dn'] ?? ''),
    name: String(o['name'] ?? ''),
    field: kind === 'renamed' ? 'name' : null,
    old: old ?? null,
    new: now ?? null,
  };
}

function diffObject(collection: CollectionName, o: Obj, n: Obj, rewrite: Rewrite, fields: FieldAttributes): Change[] {
  const out: Change[] = [];
  const oldName = String(o['name'] ?? '');
  const newName = String(n['name'] ?? '');
  // the forest and its domains are keyed by name: a change there is a field change
  const named = collection !== 'forest' && collection !== 'domains';
  if (named && oldName !== newName) out.push(objectChange('renamed', collection, n, oldName, newName));
  const oldParent = parentOf(String(o['dn'] ?? '')) ?? '';
  const newParent = parentOf(String(n['dn'] ?? '')) ?? '';
  if (named && dnKey(rewrite(oldParent)) !== dnKey(newParent)) {
    out.push(objectChange('moved', collection, n, oldParent, newParent));
  }
  const old = rewriteDeep(o, rewrite) as Obj;
  const fieldChanges: FieldChange[] = [];
  for (const key of unionKeys(old, n)) {
    if (NOT_FIELDS.has(key)) continue;
    compareValue(key, old[key] ?? null, n[key] ?? null, fieldChanges);
  }
  fieldChanges.push(...diffRaw(old['raw'], n['raw'], fieldChanges, fieldsReadFrom(fields, collection)));
  for (const f of fieldChanges) {
    out.push({
      severity: f.field.startsWith('raw.') ? 'info' : fieldSeverity(collection, f.field),
      kind: 'changed',
      collection,
      guid: objectChange('changed', collection, n, null, null).guid,
      dn: String(n['dn'] ?? ''),
      name: newName,
      field: f.field,
      old: f.old,
      new: f.new,
    });
  }
  return out;
}

interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

function unionKeys(a: Obj, b: Obj): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

const isPlainObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const json = (v: unknown) => JSON.stringify(v);

function compareValue(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if ([...a, ...b].some(isPlainObject)) compareKeyedList(path, a as Obj[], b as Obj[], out);
    else compareSet(path, a, b, out);
  } else if (isPlainObject(a) && isPlainObject(b) && !ATOMIC_FIELDS.has(path)) {
    for (const k of unionKeys(a, b)) compareValue(`${path}.${k}`, a[k] ?? null, b[k] ?? null, out);
  } else if (json(a) !== json(b)) {
    out.push({ field: path, old: a, new: b });
  }
}

/** Multi-valued attributes have no order in LDAP: compare as sets. */
function compareSet(path: string, a: unknown[], b: unknown[], out: FieldChange[]): void {
  const sa = [...new Set(a.map(String))].sort();
  const sb = [...new Set(b.map(String))].sort();
  if (json(sa) !== json(sb)) out.push({ field: path, old: sa, new: sb });
}

/** Nested objects (database copies) matched by GUID, labelled by server so the admin can read the path. */
function compareKeyedList(path: string, a: Obj[], b: Obj[], out: FieldChange[]): void {
  const label = (o: Obj) => String(o['serverName'] ?? o['name'] ?? o['guid'] ?? o['dn'] ?? '?');
  const ka = new Map(a.map((o) => [keyOf(o), o]));
  const kb = new Map(b.map((o) => [keyOf(o), o]));
  for (const [k, o] of ka) if (!kb.has(k)) out.push({ field: `${path}[${label(o)}]`, old: o, new: null });
  for (const [k, n] of kb) {
    const o = ka.get(k);
    if (!o) out.push({ field: `${path}[${label(n)}]`, old: null, new: n });
    else
      for (const f of unionKeys(o, n)) {
        if (f !== 'guid') compareValue(`${path}[${label(n)}].${f}`, o[f] ?? null, n[f] ?? null, out);
      }
  }
}

// ------------------------------------------------------------------- raw

function lowerKeys(raw: unknown): Map<string, { name: string; values: string[] }> {
  const m = new Map<string, { name: string; values: string[] }>();
  if (!isPlainObject(raw)) return m;
  for (const [k, v] of Object.entries(raw)) {
    m.set(k.toLowerCase(), { name: k, values: Array.isArray(v) ? v.map(String) : [String(v)] });
  }
  return m;
}

/**
 * Raw attribute changes the model fields do not already report. The raw
 * block mirrors every attribute read, so an EDB path change would otherwise
 * be reported twice (as `edbFilePath` and as `raw.msExchEDBFile`): a raw
 * attribute is left out when a field read from it (`readFrom`) changed, or
 * when its changed values all appear in the field changes.
 */
function diffRaw(a: unknown, b: unknown, fieldChanges: FieldChange[], readFrom: ReadonlyMap<string, readonly string[]>): FieldChange[] {
  const ra = lowerKeys(a);
  const rb = lowerKeys(b);
  const changedTops = new Set(fieldChanges.map((f) => /^[^.[]+/.exec(f.field)?.[0] ?? f.field));
  const seen = fieldValueStrings(fieldChanges);
  const out: FieldChange[] = [];
  for (const attr of [...new Set([...ra.keys(), ...rb.keys()])].sort()) {
    if (IGNORED_RAW_ATTRIBUTES.has(attr)) continue;
    const va = [...new Set(ra.get(attr)?.values ?? [])].sort();
    const vb = [...new Set(rb.get(attr)?.values ?? [])].sort();
    if (json(va) === json(vb)) continue;
    if ((readFrom.get(attr) ?? []).some((f) => changedTops.has(f))) continue;
    const delta = [...va.filter((x) => !vb.includes(x)), ...vb.filter((x) => !va.includes(x))];
    if (delta.length > 0 && delta.every((x) => seen.has(x.toLowerCase()))) continue;
    const name = rb.get(attr)?.name ?? ra.get(attr)?.name ?? attr;
    out.push({ field: `raw.${name}`, old: va, new: vb });
  }
  return out;
}

/** Every scalar appearing in the field changes, lower-cased: a raw value among them is already reported. */
function fieldValueStrings(changes: FieldChange[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
    else out.add(String(v).toLowerCase());
  };
  for (const c of changes) {
    walk(c.old);
    walk(c.new);
  }
  return out;
}

// ----------------------------------------------------------------- order

const KIND_ORDER: Record<Change['kind'], number> = { removed: 0, added: 1, renamed: 2, moved: 3, changed: 4 };
const COLLECTION_ORDER = new Map<string, number>(COLLECTIONS.map((c, i) => [c, i]));

function compareChanges(x: Change, y: Change): number {
  return (
    (COLLECTION_ORDER.get(x.collection) ?? 99) - (COLLECTION_ORDER.get(y.collection) ?? 99) ||
    cmp(x.name.toLowerCase(), y.name.toLowerCase()) ||
    cmp(x.dn.toLowerCase(), y.dn.toLowerCase()) ||
    KIND_ORDER[x.kind] - KIND_ORDER[y.kind] ||
    cmp(x.field ?? '', y.field ?? '')
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

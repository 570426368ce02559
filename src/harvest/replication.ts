/**
 * Change attribution: per object of the Exchange search, when and on which
 * DC each attribute the model uses was last changed, and how often
 * (replPropertyMetaData). Kept in the snapshot metadata, so it never changes
 * the snapshot id. It says when and where, not who: that is only in the
 * security log of the DC that made the change.
 *
 * Pure: entries in, the metadata block out.
 */
import type { Entry } from '../source/directory.js';
import { formatAttributeChange, type AttributeChange, type Replication } from '../snapshot/model.js';
import { attributeIdMap, prefixTable, PrefixMapError, type PrefixTable, type SchemaAttribute } from './decode/attid.js';
import { decodeReplPropertyMetaData, replMetaDataAttids, ReplMetaDataError } from './decode/repl-metadata.js';
import { guidFromBytes } from './decode/guid.js';
import { first, firstBinary, guidOf, int } from './entries.js';
import { anyOf } from './filters.js';
import { kindsOf, type ObjectKind } from './registry.js';
import { REPL_METADATA_ATTRIBUTE } from './searches.js';

/** Read for every kind, but no configuration: the class never changes, whenCreated is the creation. */
const NOT_ATTRIBUTED = new Set(['objectclass', 'whencreated', 'objectguid']);
const COMMON = ['cn', 'name', 'adminDisplayName', 'description'];

/** lDAPDisplayNames (lower case) of the attributes the model reads, per kind of the Exchange search. */
export function attributedAttributes(kind: ObjectKind): string[] {
  const names = [...COMMON, ...kind.attributes, ...(kind.binaryAttributes ?? []), ...(kind.rangedAttributes ?? [])];
  return [...new Set(names.map((n) => n.toLowerCase()))].filter((n) => !NOT_ATTRIBUTED.has(n));
}

/** Every attribute that can be attributed: the schema search asks for these. */
export function allAttributedAttributes(): string[] {
  return [...new Set(kindsOf('exchange').flatMap(attributedAttributes))].sort();
}

/** Filter of the schema search: the schema head (prefixMap) and the attributeSchema objects of those attributes. */
export function schemaFilter(): string {
  return `(|(objectClass=dMD)(&(objectClass=attributeSchema)${anyOf('lDAPDisplayName', allAttributedAttributes())}))`;
}

export interface ReplicationInput {
  /** false: --no-repl-metadata */
  requested: boolean;
  sourceKind: 'ldap' | 'ldif';
  /** entries of the Exchange search, with their kind */
  objects: ReadonlyArray<{ entry: Entry; kind: ObjectKind }>;
  schemaHead: Entry | undefined;
  attributeSchemas: readonly Entry[];
  /** domain controllers: the site server (DNS name) and its NTDS Settings (invocationId) */
  dcs: ReadonlyArray<{ server: Entry; ntds: Entry }>;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

export function mapReplication(input: ReplicationInput): Replication {
  const empty = { attributeIds: {}, dcs: {}, objects: {} };
  if (!input.requested) {
    return { status: 'not-requested', note: 'replPropertyMetaData was not read (--no-repl-metadata): changes carry no time or DC', ...empty };
  }
  // first the ids (cheap), so that only the entries of attributes the model reads are decoded
  const values: { guid: string; kind: ObjectKind; value: Buffer }[] = [];
  const attids = new Set<number>();
  let unreadable = 0;
  for (const { entry, kind } of input.objects) {
    const value = firstBinary(entry, REPL_METADATA_ATTRIBUTE);
    if (!value) continue;
    try {
      for (const id of replMetaDataAttids(value)) attids.add(id);
      values.push({ guid: guidOf(entry), kind, value });
    } catch (e) {
      if (!(e instanceof ReplMetaDataError)) throw e;
      unreadable++;
    }
  }
  if (values.length === 0) {
    const note =
      unreadable > 0
        ? `replPropertyMetaData could not be decoded on any object (${unreadable} values): changes carry no time or DC`
        : input.sourceKind === 'ldif'
          ? 'the export has no replPropertyMetaData: changes carry no time or DC (export it by name, see docs/replication-metadata.md)'
          : 'the DC returned no replPropertyMetaData (the account may not read it): changes carry no time or DC';
    return { status: 'unavailable', note, ...empty };
  }

  let table: PrefixTable;
  let notes: string[] = [];
  try {
    table = prefixTable(input.schemaHead ? firstBinary(input.schemaHead, 'prefixMap') : null);
  } catch (e) {
    if (!(e instanceof PrefixMapError)) throw e;
    table = prefixTable(null);
    notes.push(`the schema's prefixMap could not be read (${e.message}): only attributes with msDS-IntId or a built-in prefix are named`);
  }
  const schema: SchemaAttribute[] = input.attributeSchemas
    .map((e) => ({ lDAPDisplayName: first(e, 'lDAPDisplayName') ?? '', attributeID: first(e, 'attributeID') ?? '', intId: int(e, 'msDS-IntId') }))
    .filter((a) => a.lDAPDisplayName !== '' && a.attributeID !== '');
  const ids = attributeIdMap(schema, table, attids);

  const dcs: Record<string, string> = {};
  for (const { server, ntds } of input.dcs) {
    const b = firstBinary(ntds, 'invocationId');
    const id = b ? guidFromBytes(b) : null;
    if (id) dcs[id] = first(server, 'dNSHostName')?.toLowerCase() ?? first(server, 'cn') ?? server.dn;
  }

  const attributeIds: Record<string, string> = {};
  const objects: Record<string, Record<string, AttributeChange>> = {};
  const wantedByKind = new Map<ObjectKind, Set<string>>();
  for (const { guid, kind, value } of values) {
    let wanted = wantedByKind.get(kind);
    if (!wanted) wantedByKind.set(kind, (wanted = new Set(attributedAttributes(kind))));
    const changes: Record<string, AttributeChange> = {};
    // ids of attributes the model does not read were not looked up in the schema
    const keep = (attid: number): boolean => wanted.has(ids.get(attid)?.toLowerCase() ?? '');
    for (const m of decodeReplPropertyMetaData(value, keep)) {
      const name = ids.get(m.attid)!;
      attributeIds[hex8(m.attid)] = name;
      changes[name] = formatAttributeChange({ version: m.version, changedAt: m.changedAt, dc: dcs[m.invocationId] ?? m.invocationId });
    }
    if (Object.keys(changes).length > 0) objects[guid] = changes;
  }
  if (schema.length === 0) notes = ['the schema objects were not read (an export without CN=Schema?): attribute ids could not be named, changes carry no time or DC'];
  if (unreadable > 0) notes.push(`${unreadable} replPropertyMetaData values could not be decoded`);
  const status = Object.keys(objects).length > 0 ? 'read' : 'unavailable';
  return { status, note: notes.length ? notes.join('; ') : null, attributeIds, dcs, objects };
}

/** The objects of the Exchange search a snapshot keeps attribution for: every entry a kind of it classified. */
export function exchangeObjects(byKind: (kind: ObjectKind) => readonly Entry[]): { entry: Entry; kind: ObjectKind }[] {
  return kindsOf('exchange').flatMap((kind) => byKind(kind).map((entry) => ({ entry, kind })));
}


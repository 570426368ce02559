/**
 * The supplement: facts Active Directory does not hold (hardware, backup,
 * antivirus, where things are kept), written by the operator in YAML or JSON.
 * Strict on purpose: a misspelt key or an unknown server name is an error
 * naming file and line, because a silently ignored value is a blank the reader
 * only discovers on the day of the disaster.
 */
import { readFileSync } from 'node:fs';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, parseEvents, YAMLException, type Event } from 'js-yaml';
import { z } from 'zod';
import { ExbinderError, unreadableInput } from '../errors.js';
import type { Snapshot } from '../snapshot/model.js';

const text = z.string().min(1);
const opt = text.optional();

export const Hardware = z.strictObject({
  make: opt, model: opt, serialNumber: opt, cpu: opt, memory: opt,
  disks: z.array(text).optional(), nics: z.array(text).optional(),
});
export const Virtual = z.strictObject({ host: text, vmName: text, imageBackupLocation: opt });

export const ServerSupplement = z.strictObject({
  hardware: Hardware.optional(),
  virtual: Virtual.optional(),
  /** when the server's A records are not in AD-integrated DNS */
  ipAddresses: z.array(text).optional(),
  /** sizes per drive letter, e.g. { "E:": "500 GB RAID 10" } */
  diskSizes: z.record(z.string().regex(/^[A-Za-z]:$/, 'a drive letter such as "E:"'), text).optional(),
  location: opt,
  notes: opt,
});

export const Supplement = z.strictObject({
  antivirus: z.strictObject({ fileLevel: opt, exchangeAware: opt }).optional(),
  backup: z.strictObject({ software: opt, agentConfiguration: opt, mediaLocation: opt, keyLocation: opt }).optional(),
  certificate: z.strictObject({ exportLocation: opt, passwordLocation: opt }).optional(),
  // where inbound mail is stopped (step 7) and re-enabled (step 15): one place, two actions
  inboundMail: z.strictObject({ stopAt: opt, reenableAt: opt }).optional(),
  media: z.strictObject({ operatingSystem: opt, exchange: opt }).optional(),
  domainControllers: z.record(z.string(), z.strictObject({ location: text })).optional(),
  servers: z.record(z.string(), ServerSupplement).optional(),
});
export type Supplement = z.infer<typeof Supplement>;
export type ServerSupplement = z.infer<typeof ServerSupplement>;

type Located = { path: (string | number)[]; message: string };

/** Where an event starts in the source (the earliest of anchor, tag and value). */
function offsetOf(e: Event): number {
  switch (e.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return Math.min(...[e.start, e.anchorStart, e.tagStart].filter((n) => n >= 0));
    case EVENT_ID.SCALAR:
      return Math.min(...[e.valueStart, e.anchorStart, e.tagStart].filter((n) => n >= 0));
    case EVENT_ID.ALIAS:
      return e.anchorStart;
    default:
      return 0;
  }
}

/** Index of the event after the node that starts at `i` (collections run to their POP; depth is bounded by the parser). */
function skip(ev: Event[], i: number): number {
  const e = ev[i];
  if (e?.type !== EVENT_ID.MAPPING && e?.type !== EVENT_ID.SEQUENCE) return i + 1;
  let j = i + 1;
  while (j < ev.length && ev[j]!.type !== EVENT_ID.POP) j = skip(ev, j);
  return j + 1;
}

/** Offset of the node at a zod issue path (the key itself with wantKey); the deepest node found. Only run for an error. */
function offsetAt(ev: Event[], source: string, path: (string | number)[], wantKey: boolean): number | undefined {
  let i = ev.findIndex((e) => e.type !== EVENT_ID.DOCUMENT);
  if (i < 0) return undefined;
  let at = offsetOf(ev[i]!);
  for (let k = 0; k < path.length; k++) {
    const node = ev[i]!;
    const seg = path[k];
    let next = -1;
    if (node.type === EVENT_ID.MAPPING) {
      for (let j = i + 1; j < ev.length && ev[j]!.type !== EVENT_ID.POP; ) {
        const key = ev[j]!;
        const value = skip(ev, j);
        if (key.type === EVENT_ID.SCALAR && getScalarValue(source, key) === String(seg)) {
          if (k === path.length - 1 && wantKey) return offsetOf(key);
          next = value;
          break;
        }
        j = skip(ev, value);
      }
    } else if (node.type === EVENT_ID.SEQUENCE && typeof seg === 'number') {
      let j = i + 1;
      for (let n = 0; n < seg && j < ev.length && ev[j]!.type !== EVENT_ID.POP; n++) j = skip(ev, j);
      if (j < ev.length && ev[j]!.type !== EVENT_ID.POP) next = j;
    }
    if (next < 0 || next >= ev.length || ev[next]!.type === EVENT_ID.POP) return at;
    i = next;
    at = offsetOf(ev[i]!);
  }
  return at;
}

/**
 * One pass over the parser's events: duplicate keys (a set per mapping), the
 * key count, value lengths and alias expansion, each failing with the line it
 * is on. Iterative, so a deeply nested file cannot overflow the stack.
 *
 * Aliases: a copy of an anchored node copies the aliases inside it too, so a
 * few lines can expand to billions of nodes. The copies the fully expanded
 * document would hold are counted from the anchors' own counts (one pass, no
 * expansion) and bounded like yaml's maxAliasCount.
 */
function checkShape(ev: Event[], source: string, fail: (offset: number | undefined, message: string) => never): void {
  type Frame = { map: boolean; seen: Set<string> | null; wantKey: boolean; copies: number; anchor: string | null };
  const stack: Frame[] = [];
  const anchorCopies = new Map<string, number>();
  let keys = 0;
  let firstAlias: number | undefined;
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd) : null);
  /** a finished node: counts its copies into its parent, records its anchor */
  const done = (copies: number, anchor: string | null) => {
    if (anchor !== null) anchorCopies.set(anchor, copies);
    const parent = stack[stack.length - 1];
    if (!parent) return;
    parent.copies += copies;
    if (parent.copies > SUPPLEMENT_LIMITS.aliases) {
      fail(firstAlias, `YAML aliases expand to more than ${SUPPLEMENT_LIMITS.aliases} copies (an alias bomb?): write the values out instead of using & and *`);
    }
    if (parent.map) parent.wantKey = !parent.wantKey;
  };
  for (const e of ev) {
    const parent = stack[stack.length - 1];
    const isKey = parent?.map === true && parent.wantKey;
    switch (e.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (isKey) keys++;
        stack.push({ map: e.type === EVENT_ID.MAPPING, seen: e.type === EVENT_ID.MAPPING ? new Set() : null, wantKey: true, copies: 0, anchor: anchorOf(e) });
        break;
      case EVENT_ID.POP: {
        const f = stack.pop();
        if (f) done(f.copies, f.anchor);
        break;
      }
      case EVENT_ID.SCALAR: {
        if (isKey) {
          const name = getScalarValue(source, e);
          if (parent.seen!.has(name)) fail(offsetOf(e), `duplicate key "${name}"`);
          parent.seen!.add(name);
          if (++keys > SUPPLEMENT_LIMITS.keys) fail(offsetOf(e), `more than ${SUPPLEMENT_LIMITS.keys} keys in one supplement (see docs/limits.md)`);
        } else if (e.valueEnd - e.valueStart > SUPPLEMENT_LIMITS.valueChars) {
          // the source length bounds the value's; decode only the long ones
          const n = getScalarValue(source, e).length;
          if (n > SUPPLEMENT_LIMITS.valueChars) fail(offsetOf(e), `a value of ${n} characters; a supplement value may hold ${SUPPLEMENT_LIMITS.valueChars} (see docs/limits.md)`);
        }
        done(0, anchorOf(e));
        break;
      }
      case EVENT_ID.ALIAS: {
        firstAlias ??= e.anchorStart;
        const inner = anchorCopies.get(source.slice(e.anchorStart, e.anchorEnd));
        if (inner === undefined) fail(e.anchorStart, 'YAML alias without an anchor before it: define &name before using *name');
        if (isKey) keys++;
        done(1 + inner, null);
        break;
      }
      default:
        break;
    }
  }
}

/** 1-based line of a source offset (LF, CRLF or a lone CR ends a line, as in YAML). */
function lineOf(source: string, offset: number | undefined): number {
  if (offset === undefined) return 1;
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function failAt(file: string, source: string, offset: number | undefined, message: string): never {
  throw new ExbinderError(`${file}:${lineOf(source, offset)}: ${message} (fix the supplement file; see fixtures/supplement.example.yaml)`, 'supplement-invalid');
}

/**
 * Limits of a supplement (docs/limits.md): far above any real one (a few
 * KB per server), low enough that a wrong file or a hostile one fails fast
 * with one line instead of minutes of parsing and gigabytes of memory.
 */
export const SUPPLEMENT_LIMITS = {
  /** whole file, bytes */
  bytes: 8 * 1024 * 1024,
  /** mapping keys in the whole file */
  keys: 250_000,
  /** characters of one value */
  valueChars: 64 * 1024,
  /** copies made by YAML aliases (&anchor / *alias) in the expanded document, as yaml's maxAliasCount */
  aliases: 100,
} as const;

/** The parser's events: one document or none (an empty file). */
function events(source: string, file: string): Event[] {
  let ev: Event[];
  try {
    ev = parseEvents(source, { filename: file });
  } catch (e) {
    yamlError(e, file, source);
  }
  if (ev.filter((e) => e.type === EVENT_ID.DOCUMENT).length > 1) {
    const second = ev.filter((e) => e.type === EVENT_ID.DOCUMENT)[1]!;
    const i = ev.indexOf(second);
    failAt(file, source, ev[i + 1] ? offsetOf(ev[i + 1]!) : undefined, 'not valid YAML/JSON: more than one document (a second "---")');
  }
  return ev;
}

/** js-yaml's errors (syntax, duplicates, tags) carry a position; anything else it throws is still one line about the file. */
function yamlError(e: unknown, file: string, source: string): never {
  if (e instanceof YAMLException) {
    const reason = e.reason.split('\n')[0] ?? 'not valid';
    const pos = e.mark?.position;
    if (/^duplicated mapping key/.test(reason) && pos !== undefined) {
      const key = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:\n]*?))\s*:/.exec(source.slice(pos));
      const name = key ? (key[1] ?? key[2] ?? key[3] ?? '') : '';
      failAt(file, source, pos, name ? `duplicate key "${name}"` : 'duplicate key');
    }
    if (/^unidentified alias/.test(reason)) failAt(file, source, pos, 'YAML alias without an anchor before it: define &name before using *name');
    failAt(file, source, pos, `not valid YAML/JSON: ${reason}`);
  }
  failAt(file, source, undefined, `not valid YAML/JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}

/**
 * Parse and validate a supplement against the snapshot it will be printed with.
 *
 * js-yaml's event parser, not yaml's document model: yaml builds a concrete
 * syntax tree and a node tree for every scalar and parsed about 0.3-0.7 MB/s
 * (a 4 MB file took 6-12 s); the events are flat offsets into the source, about
 * 10 times faster, and carry what the one-line errors need (an offset per node).
 */
export function parseSupplement(source: string, file: string, snapshot: Snapshot): Supplement {
  const bytes = Buffer.byteLength(source);
  if (bytes > SUPPLEMENT_LIMITS.bytes) {
    throw new ExbinderError(
      `${file}: ${(bytes / 1048576).toFixed(1)} MiB is more than a supplement may hold (${SUPPLEMENT_LIMITS.bytes / 1048576} MiB): keep to the facts the binder prints (see docs/limits.md)`,
      'supplement-invalid',
    );
  }
  const ev = events(source, file);
  const fail: (offset: number | undefined, message: string) => never = (offset, message) => failAt(file, source, offset, message);
  checkShape(ev, source, fail);
  let data: unknown;
  try {
    // CORE_SCHEMA is YAML 1.2's core schema (no << merge, no timestamps), what the yaml package read before;
    // aliases are bounded by checkShape above
    data = ev.some((e) => e.type !== EVENT_ID.DOCUMENT) ? (constructFromEvents(ev, { source, filename: file, schema: CORE_SCHEMA })[0] ?? {}) : {};
  } catch (e) {
    yamlError(e, file, source);
  }
  if (data === null) data = {};

  const result = Supplement.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const loc: Located = { path: issue.path as (string | number)[], message: issue.message };
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] as string;
      loc.path = [...loc.path, key];
      loc.message = `unknown key "${key}"`;
    } else if (issue.code === 'invalid_key') {
      loc.message = `invalid key "${String(loc.path[loc.path.length - 1])}": ${issue.issues[0]?.message ?? 'not allowed'}`;
    }
    const where = loc.path.length ? ` at ${loc.path.join('.')}` : '';
    fail(offsetAt(ev, source, loc.path, issue.code === 'unrecognized_keys' || issue.code === 'invalid_key'), `${loc.message}${where}`);
  }
  const sup = result.data;
  const known = new Set(snapshot.servers.map((s) => s.name.toLowerCase()));
  for (const name of Object.keys(sup.servers ?? {})) {
    if (!known.has(name.toLowerCase())) {
      fail(offsetAt(ev, source, ['servers', name], true), `server "${name}" is not in the snapshot (known: ${[...snapshot.servers.map((s) => s.name)].sort().join(', ')})`);
    }
  }
  const dcs = new Set(snapshot.forest.domainControllers.map((d) => d.name.toLowerCase()));
  for (const name of Object.keys(sup.domainControllers ?? {})) {
    if (!dcs.has(name.toLowerCase())) fail(offsetAt(ev, source, ['domainControllers', name], true), `domain controller "${name}" is not in the snapshot`);
  }
  return sup;
}

export function loadSupplement(path: string, snapshot: Snapshot): Supplement {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    throw unreadableInput('supplement', path, e, 'check the --supplement path', 'supplement-unreadable');
  }
  return parseSupplement(source, path, snapshot);
}

/** Case-insensitive lookup, so "ex2007:" in the file matches server EX2007. */
export function serverSupplement(sup: Supplement | null, name: string): ServerSupplement | null {
  if (!sup?.servers) return null;
  const key = Object.keys(sup.servers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? (sup.servers[key] ?? null) : null;
}

/**
 * The supplement: facts Active Directory does not hold (hardware, backup,
 * antivirus, where things are kept), written by the operator in YAML or JSON.
 * Strict on purpose: a misspelt key or an unknown server name is an error
 * naming file and line, because a silently ignored value is a blank the reader
 * only discovers on the day of the disaster.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
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

/** Walk the YAML AST along a zod issue path; returns the deepest node found. */
function nodeAt(root: Node | null, path: (string | number)[], wantKey: boolean): Node | null {
  let node: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(seg));
      if (!pair) return node;
      const last = i === path.length - 1;
      node = (last && wantKey ? pair.key : (pair.value ?? pair.key)) as Node | null;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = (node.items[seg] as Node | undefined) ?? node;
    } else {
      return node;
    }
  }
  return node;
}

/**
 * One pass over the document: duplicate keys (per mapping), the key count and
 * value lengths, each failing with the line it is on. Iterative, so a deeply
 * nested file cannot overflow the stack.
 */
function checkShape(root: Node | null, file: string, lc: LineCounter): void {
  let keys = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const name = String(isScalar(key) ? key.value : key);
        if (seen.has(name)) fail(file, lc, key?.range?.[0], `duplicate key "${name}"`);
        seen.add(name);
        if (++keys > SUPPLEMENT_LIMITS.keys) fail(file, lc, key?.range?.[0], `more than ${SUPPLEMENT_LIMITS.keys} keys in one supplement (see docs/limits.md)`);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.length > SUPPLEMENT_LIMITS.valueChars) {
      fail(file, lc, node.range?.[0], `a value of ${node.value.length} characters; a supplement value may hold ${SUPPLEMENT_LIMITS.valueChars} (see docs/limits.md)`);
    }
  }
}

function fail(file: string, lc: LineCounter, offset: number | undefined, message: string): never {
  const line = offset === undefined ? 1 : lc.linePos(offset).line;
  throw new ExbinderError(`${file}:${line}: ${message} (fix the supplement file; see fixtures/supplement.example.yaml)`, 'supplement-invalid');
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
  /** alias expansions (YAML &anchor / *alias), as yaml's maxAliasCount */
  aliases: 100,
} as const;

/** Parse and validate a supplement against the snapshot it will be printed with. */
export function parseSupplement(source: string, file: string, snapshot: Snapshot): Supplement {
  const bytes = Buffer.byteLength(source);
  if (bytes > SUPPLEMENT_LIMITS.bytes) {
    throw new ExbinderError(
      `${file}: ${(bytes / 1048576).toFixed(1)} MiB is more than a supplement may hold (${SUPPLEMENT_LIMITS.bytes / 1048576} MiB): keep to the facts the binder prints (see docs/limits.md)`,
      'supplement-invalid',
    );
  }
  const lc = new LineCounter();
  // uniqueKeys compares every key with every earlier one (quadratic): duplicates are checked below in one pass
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) fail(file, lc, first.pos[0], `not valid YAML/JSON: ${first.message.split('\n')[0]}`);
  checkShape(doc.contents as Node | null, file, lc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: SUPPLEMENT_LIMITS.aliases }) ?? {};
  } catch (e) {
    // yaml throws plain errors here (alias bombs, aliases before their anchor): say where
    let alias: Node | null = null;
    visit(doc, { Alias: (_k, node) => { alias = node as unknown as Node; return visit.BREAK; } });
    const msg = (e as Error).message;
    fail(
      file,
      lc,
      (alias as Node | null)?.range?.[0],
      /alias count/i.test(msg)
        ? `YAML aliases expand to more than ${SUPPLEMENT_LIMITS.aliases} copies (an alias bomb?): write the values out instead of using & and *`
        : /anchor/i.test(msg) || /alias/i.test(msg)
          ? `YAML alias without an anchor before it: define &name before using *name`
          : `not valid YAML/JSON`,
    );
  }

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
    const node = nodeAt(doc.contents as Node | null, loc.path, issue.code === 'unrecognized_keys' || issue.code === 'invalid_key');
    const where = loc.path.length ? ` at ${loc.path.join('.')}` : '';
    fail(file, lc, node?.range?.[0], `${loc.message}${where}`);
  }
  const sup = result.data;
  const known = new Set(snapshot.servers.map((s) => s.name.toLowerCase()));
  for (const name of Object.keys(sup.servers ?? {})) {
    if (!known.has(name.toLowerCase())) {
      const node = nodeAt(doc.contents as Node | null, ['servers', name], true);
      fail(file, lc, node?.range?.[0], `server "${name}" is not in the snapshot (known: ${[...snapshot.servers.map((s) => s.name)].sort().join(', ')})`);
    }
  }
  const dcs = new Set(snapshot.forest.domainControllers.map((d) => d.name.toLowerCase()));
  for (const name of Object.keys(sup.domainControllers ?? {})) {
    if (!dcs.has(name.toLowerCase())) {
      const node = nodeAt(doc.contents as Node | null, ['domainControllers', name], true);
      fail(file, lc, node?.range?.[0], `domain controller "${name}" is not in the snapshot`);
    }
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

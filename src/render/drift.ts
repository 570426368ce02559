/**
 * Drift report renderings: a terminal view, Markdown for a ticket or mail,
 * and JSON (the DriftReport itself, see docs/drift.schema.json). Presentation
 * only: the report is the snapshot stage's (snapshot/diff.ts), and whether
 * the terminal gets colour is the CLI's decision, passed in as `color`.
 */
import { mdCode, mdText } from './escape.js';
import { reflow } from './reflow.js';
import { childOfContainer } from '../dn.js';
import { collectionLabel } from '../snapshot/collections.js';
import { driftJson, type Attribution, type Change, type DriftReport } from '../snapshot/drift.js';
import { C1, charClass, INVISIBLE_FORMAT, SEPARATORS } from '../unicode.js';
import { fieldLabel } from './field-labels.js';
import { counted } from './words.js';

/** Raw attribute names as AD spells them (the harvest's attributeSpelling); as stored without it. */
export type Spelling = (attribute: string) => string;

export function summaryLine(r: DriftReport): string {
  const span = `known good ${r.baseline.id} (${r.baseline.harvestedAt}) → ${r.current.id} (${r.current.harvestedAt})`;
  if (r.changes.length === 0) return `No drift: ${span}`;
  return `Drift: ${counted(r.critical, 'critical change')}, ${counted(r.info, 'informational change')}; ${span}`;
}

// --------------------------------------------------------------- values

/** A value as an admin reads it: paths as they are, lists joined, copies and certificates summarised. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v)) return v.length ? v.map(formatValue).join(', ') : '(none)';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['label'] === 'string') return o['label']; // an Exchange version
    if (typeof o['thumbprint'] === 'string') return `${o['thumbprint']} (${String(o['subject'])}, expires ${String(o['notAfter'])})`;
    if (typeof o['serverName'] === 'string') {
      return `copy on ${o['serverName']}, activation preference ${formatValue(o['activationPreference'])}`;
    }
    return JSON.stringify(v);
  }
  return String(v);
}

/**
 * How an admin names the object: names repeat across servers (every server has
 * an 'owa (Default Web Site)', a 'First Storage Group'), so per-server objects
 * say which server: the RDN below CN=Servers.
 */
export function objectLabel(c: Pick<Change, 'collection' | 'name' | 'dn'>): string {
  const kind = collectionLabel(c.collection);
  const server = c.collection === 'servers' ? null : childOfContainer(c.dn, 'CN=Servers');
  return `${kind} ${c.name}${server ? ` on ${server}` : ''}`;
}

/** One change in words; `value` says how the output medium prints a value, `text` how it prints words (the field's label). */
function what(c: Change, spell: Spelling | undefined, value: (v: unknown) => string = formatValue, text: (s: string) => string = (s) => s): string {
  switch (c.kind) {
    case 'added':
      return 'added';
    case 'removed':
      return 'removed';
    case 'renamed':
      return `renamed from ${value(c.old)}`;
    case 'moved':
      return `moved from ${value(c.old)} to ${value(c.new)}`;
    case 'changed':
      return `${text(fieldLabel(c.collection, c.field ?? '', spell))}: ${value(c.old)} → ${value(c.new)}`;
  }
}

// ---------------------------------------------------------- attribution

/** The machine's time zone (TZ), in which "local" times are shown. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** '2026-12-07 08:40:58 UTC' and '2026-12-07 09:40:58 Europe/Zurich (GMT+1)'. */
export function changeTimes(iso: string, timeZone: string = localTimeZone()): { utc: string; local: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { utc: iso, local: iso };
  const parts = (tz: string) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).format(d);
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { utc: `${parts('UTC')} UTC`, local: `${parts(timeZone)} ${timeZone}${offset ? ` (${offset})` : ''}` };
}

/** 'msExchEDBFile version 3, changed 2 times since the known good (the values in between were never harvested)'. */
export function versionText(a: Attribution): string {
  const n = a.changesSinceKnownGood;
  const since =
    n === null ? '' : n > 1 ? `, changed ${n} times since the known good (the values in between were never harvested)` : n === 1 ? ', changed once since the known good' : '';
  return `${a.attribute} version ${a.version}${since}`;
}

/** One line: when (UTC and local), on which DC, which attribute version. */
export function attributionText(a: Attribution, timeZone?: string): string {
  const t = changeTimes(a.changedAt, timeZone);
  return `changed ${t.utc} (${t.local}) on ${a.dc}; ${versionText(a)}`;
}

/** What the times and DCs mean (always said) and, when they are missing, why (said once). */
export function attributionNotes(r: DriftReport): string[] {
  const a = r.attribution;
  if (!a || r.changes.length === 0) return [];
  if (a.status !== 'read') return [`Change times and DCs: not available: ${a.note ?? 'no replication metadata in the current snapshot'}.`];
  return [
    'Change times and DCs come from Active Directory replication metadata (replPropertyMetaData): they say when and on which DC ' +
      'an attribute was last changed, not who changed it; the account is only in the Security event log of that DC.',
    ...(a.note ? [`Change times and DCs are partial: ${a.note}.`] : []),
  ];
}

// ----------------------------------------------------------------- text

const ANSI = { red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** 'Contoso: ' when the report knows its organization (reports of several orgs end up in one mailbox). */
function orgPrefix(r: DriftReport): string {
  return r.organization ? `${r.organization.name}: ` : '';
}

/** TAB stays: it moves nothing back. */
const TERMINAL_UNSAFE = charClass('\\u0000-\\u0008\\u000a-\\u001f', C1, SEPARATORS, INVISIBLE_FORMAT);
/**
 * Terminal-safe: AD text must not move the cursor, recolour the terminal,
 * overwrite "CRITICAL" (CR, BS) or fake extra change lines (LF). Every
 * control character but TAB is shown as an escape: \n, \r, \x1b, \u0085;
 * so are the invisible format characters (zero-width, bidi marks, overrides
 * and isolates), which a terminal with bidi support would reorder by.
 */
export function plain(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

export function formatDriftText(r: DriftReport, options: { color?: boolean; timeZone?: string; attributeSpelling?: Spelling } = {}): string {
  const paint = (code: string, s: string) => (options.color ? `${code}${s}${ANSI.reset}` : s);
  const lines = [paint(ANSI.bold, plain(orgPrefix(r) + summaryLine(r)))];
  for (const c of r.changes) {
    const tag = c.severity === 'critical' ? paint(ANSI.red, 'CRITICAL') : paint(ANSI.dim, 'info    ');
    lines.push(`${tag}  ${plain(`${objectLabel(c)}: ${what(c, options.attributeSpelling)}`)}`);
    if (c.attribution) lines.push(`          ${plain(attributionText(c.attribution, options.timeZone))}`);
  }
  for (const n of attributionNotes(r)) lines.push(paint(ANSI.dim, plain(n)));
  for (const w of r.warnings?.new ?? []) lines.push(`${paint(ANSI.bold, 'WARNING ')}  new: ${plain(`${w.code}: ${w.message}`)}`);
  for (const w of r.warnings?.known ?? []) lines.push(`${paint(ANSI.dim, 'warning ')}  known: ${plain(`${w.code}: ${w.message}`)}`);
  return lines.join('\n') + '\n';
}

/** 'Drift: …' plus the warning counts, for job logs. */
export function warningLine(r: DriftReport): string | null {
  const w = r.warnings;
  if (!w || (!w.new.length && !w.known.length && !w.resolved.length)) return null;
  return `Harvest warnings: ${w.new.length} new since the known good, ${w.known.length} already known, ${w.resolved.length} resolved`;
}

// ------------------------------------------------------------- Markdown

/** A value in the mail: literal values as code spans (paths keep their backslashes), summaries as text. */
function mdValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v)) return v.length ? v.map(mdValue).join(', ') : '(none)';
  if (typeof v === 'object') return mdText(formatValue(v));
  const s = String(v);
  return s === '' ? '(empty)' : mdCode(s);
}


/** Changes grouped by object (first appearance order): the object once, as a heading with its DN, then its changes. */
function byObject(changes: Change[], timeZone?: string, spell?: Spelling): string[] {
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const key = `${c.collection}\u0000${c.dn}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    const first = group[0] as Change;
    // names repeat across servers (every server has an 'owa (Default Web Site)'): the label names the server, the DN says which object
    out.push(`### ${mdText(objectLabel(first))}`, '', mdCode(first.dn), '');
    for (const c of group) {
      out.push(`- ${what(c, spell, mdValue, mdText)}`);
      if (c.attribution) out.push(`  ${mdText(attributionText(c.attribution, timeZone))}`);
    }
    out.push('');
  }
  return out;
}

const objects = (changes: Change[]) => new Set(changes.map((c) => `${c.collection}\u0000${c.dn}`)).size;

/**
 * For a ticket or a mail (drift/latest.md is mailed as it is): it reads as
 * plain text too. The summary first, then the changes grouped by object,
 * values in code spans (no backslash escapes), prose wrapped.
 */
export function formatDriftMarkdown(r: DriftReport, options: { timeZone?: string; attributeSpelling?: Spelling } = {}): string {
  const title = r.organization ? `# Exchange configuration drift: ${mdText(r.organization.name)}` : '# Exchange configuration drift';
  const out = [title, '', `**${mdText(summaryLine(r))}**`, ''];
  const critical = r.changes.filter((c) => c.severity === 'critical');
  const info = r.changes.filter((c) => c.severity === 'info');
  const w = r.warnings;
  const summary = [
    ...(critical.length ? [`- ${counted(critical.length, 'critical change')} on ${counted(objects(critical), 'object')}: the printed recovery binder is out of date for these values.`] : []),
    ...(info.length ? [`- ${counted(info.length, 'informational change')} on ${counted(objects(info), 'object')}.`] : []),
    ...(w && (w.new.length || w.known.length || w.resolved.length)
      ? [`- Harvest warnings: ${w.new.length} new since the known good, ${w.known.length} already known, ${w.resolved.length} resolved.`] : []),
  ];
  if (summary.length) out.push(...summary, '');
  if (critical.length) out.push('## Critical changes', '', ...byObject(critical, options.timeZone, options.attributeSpelling));
  if (info.length) out.push('## Informational changes', '', ...byObject(info, options.timeZone, options.attributeSpelling));
  for (const n of attributionNotes(r)) out.push(mdText(n), '');
  if (!r.changes.length) out.push('The directory matches the known good snapshot.', '');
  if (w && (w.new.length || w.known.length || w.resolved.length)) {
    const item = (x: { code: string; message: string }) => `- ${mdCode(x.code)}: ${mdText(x.message)}`;
    out.push('## Harvest warnings', '');
    if (w.new.length) out.push('### New since the known good', '', ...w.new.map(item), '');
    if (w.known.length) out.push('### Already known', '', ...w.known.map(item), '');
    if (w.resolved.length) out.push('### Resolved since the known good', '', ...w.resolved.map(item), '');
  }
  return reflow(out.join('\n').replace(/\n*$/, '\n'));
}

// ----------------------------------------------------------------- JSON

export function formatDriftJson(r: DriftReport): string {
  return driftJson(r);
}

/**
 * Drift report renderings: a terminal view, Markdown for a ticket or mail,
 * and JSON (the DriftReport itself, see docs/drift.schema.json).
 * Exit codes follow diff(1): 0 no critical drift, 1 critical drift, 2 error.
 */
import { childOfContainer } from '../dn.js';
import type { Change, DriftReport } from './drift.js';

/** What a reader calls each collection. */
export const COLLECTION_LABEL: Readonly<Record<string, string>> = {
  organization: 'Organization',
  adminGroups: 'Administrative group',
  forest: 'Forest',
  domains: 'Domain',
  domainControllers: 'Domain controller',
  servers: 'Server',
  storageGroups: 'Storage group',
  databases: 'Database',
  dags: 'DAG',
  virtualDirectories: 'Virtual directory',
  autodiscoverScps: 'Autodiscover SCP',
  receiveConnectors: 'Receive connector',
  sendConnectors: 'Send connector',
  routingGroups: 'Routing group',
  routingGroupConnectors: 'Routing group connector',
  acceptedDomains: 'Accepted domain',
};

export function driftExitCode(report: DriftReport): 0 | 1 {
  return report.critical > 0 ? 1 : 0;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
}

export function summaryLine(r: DriftReport): string {
  const span = `known good ${r.baseline.id} (${r.baseline.harvestedAt}) → ${r.current.id} (${r.current.harvestedAt})`;
  if (r.changes.length === 0) return `No drift: ${span}`;
  return `Drift: ${r.critical} critical, ${r.info} informational change${r.critical + r.info === 1 ? '' : 's'}; ${span}`;
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
  const kind = COLLECTION_LABEL[c.collection] ?? c.collection;
  const server = c.collection === 'servers' ? null : childOfContainer(c.dn, 'CN=Servers');
  return `${kind} ${c.name}${server ? ` on ${server}` : ''}`;
}

function what(c: Change): string {
  switch (c.kind) {
    case 'added':
      return 'added';
    case 'removed':
      return 'removed';
    case 'renamed':
      return `renamed from ${formatValue(c.old)}`;
    case 'moved':
      return `moved from ${formatValue(c.old)} to ${formatValue(c.new)}`;
    case 'changed':
      return `${c.field}: ${formatValue(c.old)} → ${formatValue(c.new)}`;
  }
}

// ----------------------------------------------------------------- text

const ANSI = { red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** 'Contoso: ' when the report knows its organization (reports of several orgs end up in one mailbox). */
function orgPrefix(r: DriftReport): string {
  return r.organization ? `${r.organization.name}: ` : '';
}

/** Terminal-safe: AD text must not move the cursor or recolour the terminal. */
function plain(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

export function formatDriftText(r: DriftReport, options: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (options.color ? `${code}${s}${ANSI.reset}` : s);
  const lines = [paint(ANSI.bold, plain(orgPrefix(r) + summaryLine(r)))];
  for (const c of r.changes) {
    const tag = c.severity === 'critical' ? paint(ANSI.red, 'CRITICAL') : paint(ANSI.dim, 'info    ');
    lines.push(`${tag}  ${plain(`${objectLabel(c)}: ${what(c)}`)}`);
  }
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

/** GFM table cell: escape Markdown punctuation (AD text must not inject markup) and keep the row on one line. */
export function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]<>#|~!]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

function table(changes: Change[]): string[] {
  const rows = ['| What | Object | Change | Field | Before | After |', '|---|---|---|---|---|---|'];
  for (const c of changes) {
    const changed = c.kind === 'changed' || c.kind === 'renamed' || c.kind === 'moved';
    rows.push(
      `| ${[
        COLLECTION_LABEL[c.collection] ?? c.collection,
        objectLabel(c).slice((COLLECTION_LABEL[c.collection] ?? c.collection).length + 1),
        c.kind,
        c.field ?? '',
        changed ? formatValue(c.old) : '',
        changed ? formatValue(c.new) : '',
      ]
        .map(mdCell)
        .join(' | ')} |`,
    );
  }
  return rows;
}

export function formatDriftMarkdown(r: DriftReport): string {
  const title = r.organization ? `# Exchange configuration drift: ${mdCell(r.organization.name)}` : '# Exchange configuration drift';
  const out = [title, '', `**${mdCell(summaryLine(r))}**`, ''];
  const critical = r.changes.filter((c) => c.severity === 'critical');
  const info = r.changes.filter((c) => c.severity === 'info');
  if (critical.length) {
    out.push('## Critical changes', '', 'The printed recovery binder is out of date for these values.', '', ...table(critical), '');
  }
  if (info.length) out.push('## Informational changes', '', ...table(info), '');
  if (!r.changes.length) out.push('The directory matches the known good snapshot.', '');
  if (r.changes.length) {
    // names can repeat across servers (every server has an 'owa (Default Web Site)'): the DN says which
    const dns = r.changes.map((c) => `- ${mdCell(objectLabel(c))}: ${mdCell(c.dn)}`);
    out.push('## Objects', '', ...new Set(dns), '');
  }
  const w = r.warnings;
  if (w && (w.new.length || w.known.length || w.resolved.length)) {
    const item = (x: { code: string; message: string }) => `- ${mdCell(x.code)}: ${mdCell(x.message)}`;
    out.push('## Harvest warnings', '');
    if (w.new.length) out.push('### New since the known good', '', ...w.new.map(item), '');
    if (w.known.length) out.push('### Already known', '', ...w.known.map(item), '');
    if (w.resolved.length) out.push('### Resolved since the known good', '', ...w.resolved.map(item), '');
  }
  return out.join('\n').replace(/\n*$/, '\n');
}

// ----------------------------------------------------------------- JSON

export function formatDriftJson(r: DriftReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import {
  formatDriftJson, formatDriftMarkdown, formatDriftText,
} from '../../../src/render/drift.js';
import { DriftReport, driftExitCode } from '../../../src/snapshot/drift.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';
import { COLLECTIONS, REGISTRY } from '../../../src/snapshot/collections.js';
import { fieldLabel, hasFieldLabel } from '../../../src/render/field-labels.js';
import type { z } from 'zod';

const base = sampleSnapshot();
function drifted() {
  const next = reharvest(base);
  byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01|new\\DB01.edb';
  byName(next.databases, 'DB01').mailboxCount = 1300;
  byName(next.virtualDirectories, 'ecp (Default Web Site)').externalUrl = 'https://owa.contoso.com/ecp';
  return diffSnapshots(base, next, FIELD_ATTRIBUTES);
}

describe('drift formats', () => {
  it('text: one line per change, colour only when asked', () => {
    const r = drifted();
    const text = formatDriftText(r);
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^Contoso Zürich Ärzte: Drift: 2 critical changes, 1 informational change; known good [0-9a-f]{16} \(2026-11-20T08:30:00Z\) → [0-9a-f]{16} \(2026-11-21T08:30:00Z\)$/),
      'CRITICAL  Database DB01: EDB file path: E:\\DB01\\DB01.edb → G:\\DB01|new\\DB01.edb',
      'info      Database DB01: Mailbox count: 1250 → 1300',
      'CRITICAL  Virtual directory ecp (Default Web Site) on EX2016: External URL: https://mail.contoso.com/ecp → https://owa.contoso.com/ecp',
      // the sample has no replication metadata: said once, not per change
      'Change times and DCs: not available: the current snapshot was written before exbinder read replication metadata: changes carry no time or DC.',
      // the sample's harvest warning was already in the known good
      'warning   known: unknown-build: EX2010B: build 14.3.123.4 decoded from the version table',
      '',
    ]);
    expect(text).not.toContain('\x1b[');
    expect(formatDriftText(r, { color: true })).toContain('\x1b[31mCRITICAL\x1b[0m');
  });

  it('Markdown: a short summary, then the changes grouped by object, values in code spans', () => {
    const md = formatDriftMarkdown(drifted());
    const tokens = new MarkdownIt().parse(md, {});
    const headings = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'heading_open').map((t) => t.content);
    expect(headings).toEqual([
      'Exchange configuration drift: Contoso Zürich Ärzte', 'Critical changes', 'Database DB01', 'Virtual directory ecp (Default Web Site) on EX2016',
      'Informational changes', 'Database DB01', 'Harvest warnings', 'Already known',
    ]);
    const lines = md.split('\n');
    // the summary comes before the first change
    const first = lines.findIndex((l) => l.startsWith('- '));
    expect(lines.slice(first, first + 3)).toEqual([
      '- 2 critical changes on 2 objects: the printed recovery binder is out of date for these values.',
      '- 1 informational change on 1 object.',
      '- Harvest warnings: 0 new since the known good, 1 already known, 0 resolved.',
    ]);
    // plain text a mail can carry: the path as it is, no backslash escapes, no table pipes
    expect(md).toContain('### Database DB01\n\n`CN=DB01,CN=Databases,');
    expect(md).toContain('- EDB file path: `E:\\DB01\\DB01.edb` → `G:\\DB01|new\\DB01.edb`\n');
    expect(md).toContain('- External URL: `https://mail.contoso.com/ecp` → `https://owa.contoso.com/ecp`\n');
    expect(md).toContain('- Mailbox count: `1250` → `1300`\n');
    expect(md).not.toMatch(/^\|/m);
    // and markdown-it reads the values back exactly
    const code = tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'code_inline').map((t) => t.content);
    expect(code).toEqual(expect.arrayContaining(['E:\\DB01\\DB01.edb', 'G:\\DB01|new\\DB01.edb', '1250', '1300']));
    // prose lines wrapped for a mail; only a DN (one value) may be longer
    for (const l of lines) if (l.length > 100) expect(l).toMatch(/^`CN=[^`]*`$/);
  });

  it('Markdown: two changes of one object are one group', () => {
    const next = reharvest(base);
    byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01\\DB01.edb';
    byName(next.databases, 'DB01').logFolderPath = 'H:\\DB01';
    const md = formatDriftMarkdown(diffSnapshots(base, next, FIELD_ATTRIBUTES));
    expect(md.match(/^### /gm)).toHaveLength(2); // Database DB01, Already known
    expect(md).toMatch(/### Database DB01\n\n`CN=DB01[^`]*`\n\n- EDB file path: [^\n]*\n- Log folder: `F:\\DB01` → `H:\\DB01`\n/);
  });

  it('attribution: when (UTC and the local zone), on which DC, the version and how often since the known good', () => {
    const known = structuredClone(base);
    const db = byName(known.databases, 'DB01');
    const meta = (version: number, changedAt: string, dc: string) => ({ msExchEDBFile: `${version} ${changedAt} ${dc}` });
    known.metadata.replication = { status: 'read', note: null, attributeIds: {}, dcs: {}, objects: { [db.guid]: meta(1, '2026-01-05T10:00:00Z', 'dc1.contoso.com') } };
    const next = reharvest(known);
    byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01\\DB01.edb';
    next.metadata.replication = { ...known.metadata.replication, objects: { [db.guid]: meta(4, '2026-11-20T23:30:05Z', 'dc2.contoso.com') } };
    const r = diffSnapshots(known, next, FIELD_ATTRIBUTES);
    expect(r.changes[0]!.attribution).toEqual({
      attribute: 'msExchEDBFile', changedAt: '2026-11-20T23:30:05Z', dc: 'dc2.contoso.com', version: 4, baselineVersion: 1, changesSinceKnownGood: 3,
    });
    const text = formatDriftText(r, { timeZone: 'America/New_York' }).split('\n');
    expect(text[2]).toBe(
      '          changed 2026-11-20 23:30:05 UTC (2026-11-20 18:30:05 America/New_York (GMT-5)) on dc2.contoso.com; ' +
        'msExchEDBFile version 4, changed 3 times since the known good (the values in between were never harvested)',
    );
    expect(text[3]).toMatch(/^Change times and DCs come from .* not who changed it; the account is only in the Security event log of that DC\.$/);
    const md = formatDriftMarkdown(r, { timeZone: 'Asia/Tokyo' });
    // Tokyo is a day ahead here: the local date is printed with the local time (under its change, wrapped)
    expect(md.replace(/\n +/g, ' ')).toContain(
      '- EDB file path: `E:\\DB01\\DB01.edb` → `G:\\DB01\\DB01.edb` changed 2026-11-20 23:30:05 UTC (2026-11-21 08:30:05 Asia/Tokyo (GMT+9)) on dc2.contoso.com; ' +
        'msExchEDBFile version 4, changed 3 times since the known good (the values in between were never harvested)\n',
    );
  });

  it('Markdown without drift says so', () => {
    const md = formatDriftMarkdown(diffSnapshots(base, reharvest(base), FIELD_ATTRIBUTES));
    expect(md).toMatch(/^# Exchange configuration drift: Contoso Zürich Ärzte\n\n\*\*No drift: known good/);
    expect(md).toContain('The directory matches the known good snapshot.');
    expect(md).not.toContain('|');
  });

  it('Markdown: directory text cannot inject markup', () => {
    const next = reharvest(base);
    byName(next.databases, 'DB01').edbFilePath = '<img src=x> *a* [b](c) | d\ne`';
    const md = formatDriftMarkdown(diffSnapshots(base, next, FIELD_ATTRIBUTES));
    const tokens = new MarkdownIt({ html: true }).parse(md, {});
    const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    expect(all.filter((t) => ['html_block', 'html_inline', 'link_open', 'image', 'em_open'].includes(t.type)).map((t) => t.type)).toEqual([]);
    expect(all.filter((t) => t.type === 'code_inline').map((t) => t.content)).toContain('<img src=x> *a* [b](c) | d e`');
  });

  it('JSON is the DriftReport and exit codes follow diff(1)', () => {
    const r = drifted();
    expect(DriftReport.parse(JSON.parse(formatDriftJson(r)))).toEqual(r);
    expect(driftExitCode(r)).toBe(1);
    const infoOnly = reharvest(base);
    byName(infoOnly.databases, 'DB02').mailboxCount = 1;
    expect(driftExitCode(diffSnapshots(base, infoOnly, FIELD_ATTRIBUTES))).toBe(0);
  });
});

describe('field labels', () => {
  it('every field of every collection has a label of its own (none falls back to splitting the camelCase name)', () => {
    const missing: string[] = [];
    for (const c of COLLECTIONS) {
      const shape = (REGISTRY[c].schema as unknown as { shape: Record<string, z.ZodType> }).shape;
      for (const [field, type] of Object.entries(shape)) {
        if (field === 'guid' || field === 'dn' || field === 'raw') continue;
        if (!hasFieldLabel(c, field)) missing.push(`${c}.${field}`);
        // nested objects and the items of lists: computer.x, transportPaths.x, copies[K].x
        let inner: z.ZodType = type;
        for (;;) {
          const def = (inner as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } }).def;
          if (def.type === 'nullable' || def.type === 'optional') inner = def.innerType!;
          else if (def.type === 'array') inner = def.element!;
          else break;
        }
        const sub = (inner as unknown as { shape?: Record<string, z.ZodType> }).shape;
        if (!sub || field === 'version' || field === 'internalTransportCertificate') continue; // compared whole (one change)
        for (const k of Object.keys(sub)) if (k !== 'guid' && k !== 'paths' && !hasFieldLabel(c, `${field}.${k}`)) missing.push(`${c}.${field}.${k}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('paths become what an admin reads; raw attributes as AD spells them', () => {
    const spell = (a: string) => (a === 'msexchsmtpreceiverole' ? 'msExchSmtpReceiveRole' : a);
    expect(fieldLabel('databases', 'copies[EX02].activationPreference')).toBe('Activation preference of the copy on EX02');
    expect(fieldLabel('databases', 'copies[EX02]')).toBe('Copy on EX02');
    expect(fieldLabel('receiveConnectors', 'raw.msexchsmtpreceiverole', spell)).toBe('Attribute msExchSmtpReceiveRole');
    expect(fieldLabel('servers', 'transportPaths.messageTracking')).toBe('Message tracking log path');
    expect(fieldLabel('servers', 'transportServices[CN=Frontend,CN=Transport Configuration,CN=EX1].paths.receiveProtocolLog'))
      .toBe('Receive protocol log path of the Front End Transport service');
    expect(fieldLabel('servers', 'computer.operatingSystem')).toBe('Operating system (computer account)');
    expect(fieldLabel('organization', 'cmdletExtensionAgents[Scripting Agent].enabled')).toBe('Enabled flag of the cmdlet extension agent Scripting Agent');
  });

  it('counts read as English: 1 change, 2 changes', () => {
    const next = reharvest(base);
    byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01\\DB01.edb';
    expect(formatDriftText(diffSnapshots(base, next, FIELD_ATTRIBUTES)).split('\n')[0]).toMatch(/Drift: 1 critical change, 0 informational changes;/);
  });
});

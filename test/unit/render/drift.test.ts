import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import {
  formatDriftJson, formatDriftMarkdown, formatDriftText, mdCell,
} from '../../../src/render/drift.js';
import { DriftReport, driftExitCode } from '../../../src/snapshot/drift.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

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
      expect.stringMatching(/^Contoso Zürich Ärzte: Drift: 2 critical, 1 informational changes; known good [0-9a-f]{16} \(2026-11-20T08:30:00Z\) → [0-9a-f]{16} \(2026-11-21T08:30:00Z\)$/),
      'CRITICAL  Database DB01: edbFilePath: E:\\DB01\\DB01.edb → G:\\DB01|new\\DB01.edb',
      'info      Database DB01: mailboxCount: 1250 → 1300',
      'CRITICAL  Virtual directory ecp (Default Web Site) on EX2016: externalUrl: https://mail.contoso.com/ecp → https://owa.contoso.com/ecp',
      // the sample has no replication metadata: said once, not per change
      'Change times and DCs: not available: the current snapshot was written before exbinder read replication metadata: changes carry no time or DC.',
      // the sample's harvest warning was already in the known good
      'warning   known: unknown-build: EX2010B: build 14.3.123.4 decoded from the version table',
      '',
    ]);
    expect(text).not.toContain('\x1b[');
    expect(formatDriftText(r, { color: true })).toContain('\x1b[31mCRITICAL\x1b[0m');
  });

  it('Markdown: summary, a table of critical changes, then info, parsed as real tables', () => {
    const md = formatDriftMarkdown(drifted());
    const tokens = new MarkdownIt().parse(md, {});
    const headings = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'heading_open').map((t) => t.content);
    expect(headings).toEqual(['Exchange configuration drift: Contoso Zürich Ärzte', 'Critical changes', 'Informational changes', 'Objects', 'Harvest warnings', 'Already known']);
    expect(tokens.filter((t) => t.type === 'table_open')).toHaveLength(2);
    const cells = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'td_open').map((t) => t.children!.map((c) => c.content).join(''));
    // the | inside the path stays inside its cell, backslashes survive
    expect(cells.slice(0, 9)).toEqual(['Database', 'DB01', 'changed', 'edbFilePath', 'E:\\DB01\\DB01.edb', 'G:\\DB01|new\\DB01.edb', '', '', '']);
    expect(cells.slice(18)).toEqual(['Database', 'DB01', 'changed', 'mailboxCount', '1250', '1300', '', '', '']);
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
    const tokens = new MarkdownIt().parse(md, {});
    const cells = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'td_open').map((t) => t.children!.map((c) => c.content).join(''));
    // Tokyo is a day ahead here: the local date is printed with the local time
    expect(cells.slice(6, 9)).toEqual([
      '2026-11-20 23:30:05 UTC / 2026-11-21 08:30:05 Asia/Tokyo (GMT+9)', 'dc2.contoso.com',
      'msExchEDBFile version 4, changed 3 times since the known good (the values in between were never harvested)',
    ]);
  });

  it('Markdown without drift says so', () => {
    const md = formatDriftMarkdown(diffSnapshots(base, reharvest(base), FIELD_ATTRIBUTES));
    expect(md).toMatch(/^# Exchange configuration drift: Contoso Zürich Ärzte\n\n\*\*No drift: known good/);
    expect(md).toContain('The directory matches the known good snapshot.');
    expect(md).not.toContain('|');
  });

  it('mdCell escapes markup from directory text', () => {
    expect(mdCell('<img src=x> *a* [b](c) | d\ne')).toBe('\\<img src=x\\> \\*a\\* \\[b\\](c) \\| d e');
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

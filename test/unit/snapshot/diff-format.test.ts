import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import {
  driftExitCode, formatDriftJson, formatDriftMarkdown, formatDriftText, mdCell, useColor,
} from '../../../src/snapshot/diff-format.js';
import { DriftReport } from '../../../src/snapshot/drift.js';
import { byName, reharvest, sampleSnapshot } from './sample.js';

const base = sampleSnapshot();
function drifted() {
  const next = reharvest(base);
  byName(next.databases, 'DB01').edbFilePath = 'G:\\DB01|new\\DB01.edb';
  byName(next.databases, 'DB01').mailboxCount = 1300;
  byName(next.virtualDirectories, 'ecp (Default Web Site)').externalUrl = 'https://owa.contoso.com/ecp';
  return diffSnapshots(base, next);
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
      // the sample's harvest warning was already in the known good
      'warning   known: unknown-build: EX2010B: build 14.3.123.4 decoded from the version table',
      '',
    ]);
    expect(text).not.toContain('\x1b[');
    expect(formatDriftText(r, { color: true })).toContain('\x1b[31mCRITICAL\x1b[0m');
  });

  it('colour needs a TTY and no NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });

  it('Markdown: summary, a table of critical changes, then info, parsed as real tables', () => {
    const md = formatDriftMarkdown(drifted());
    const tokens = new MarkdownIt().parse(md, {});
    const headings = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'heading_open').map((t) => t.content);
    expect(headings).toEqual(['Exchange configuration drift: Contoso Zürich Ärzte', 'Critical changes', 'Informational changes', 'Objects', 'Harvest warnings', 'Already known']);
    expect(tokens.filter((t) => t.type === 'table_open')).toHaveLength(2);
    const cells = tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'td_open').map((t) => t.children!.map((c) => c.content).join(''));
    // the | inside the path stays inside its cell, backslashes survive
    expect(cells.slice(0, 6)).toEqual(['Database', 'DB01', 'changed', 'edbFilePath', 'E:\\DB01\\DB01.edb', 'G:\\DB01|new\\DB01.edb']);
    expect(cells.slice(12)).toEqual(['Database', 'DB01', 'changed', 'mailboxCount', '1250', '1300']);
  });

  it('Markdown without drift says so', () => {
    const md = formatDriftMarkdown(diffSnapshots(base, reharvest(base)));
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
    expect(driftExitCode(diffSnapshots(base, infoOnly))).toBe(0);
  });
});

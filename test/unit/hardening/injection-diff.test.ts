/**
 * Issue 10, injection in drift reports: directory values with control
 * characters must not reach the terminal raw (`diff --format text`), and a
 * lone CR must not start a block in `diff --format md`.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { formatDriftMarkdown, formatDriftText } from '../../../src/render/drift.js';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import { byName, reharvest, sampleSnapshot } from '../snapshot/sample.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

function hostileDrift(value: string) {
  const a = sampleSnapshot();
  const b = reharvest(a, '2026-11-02T06:00:00Z');
  byName(b.databases, 'DB01').edbFilePath = value;
  return diffSnapshots(a, b, FIELD_ATTRIBUTES);
}

describe('issue 10: diff --format text escapes control characters for the terminal', () => {
  it('issue 10 case 27: ESC, BEL, BS, CR and LF in a value are shown as escapes; one line per change, CRITICAL not overwritten', () => {
    const r = hostileDrift('E:\\DB01\x1b[2J\x07\x08\x08\x08\x08\x08\x08\x08\x08info    \rinfo\nCRITICAL  fake change line');
    const text = formatDriftText(r, { color: false });
    const lines = text.trimEnd().split('\n');
    // no control character but the line feeds between lines
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect(lines.filter((l) => /^CRITICAL /.test(l))).toHaveLength(r.critical);
    expect(lines.filter((l) => l.includes('fake change line'))).toHaveLength(1);
    expect(text).toContain('\\x1b[2J\\x07\\x08');
    expect(text).toContain('\\rinfo\\nCRITICAL  fake change line');
  });
});

describe('issue 10: diff --format md escapes a lone CR', () => {
  it('issue 10 case 28: a lone CR in a value injects no heading, no raw HTML, and keeps the report\'s structure', () => {
    const clean = new MarkdownIt({ html: true }).parse(formatDriftMarkdown(hostileDrift('E:\\DB01\\moved.edb')), {});
    const md = formatDriftMarkdown(hostileDrift('E:\\DB01\r# Injected heading\r<script>alert(1)</script>\r| x | y |'));
    expect(md).not.toContain('\r');
    const tokens = new MarkdownIt({ html: true }).parse(md, {});
    const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    expect(tokens.filter((t, i) => t.type === 'heading_open' && /^Injected/.test(tokens[i + 1]?.content ?? ''))).toEqual([]);
    expect(all.filter((t) => t.type.startsWith('html'))).toEqual([]);
    // the report's structure (object headings, one list item per change) is that of a clean value
    const shape = (ts: typeof tokens) => ts.filter((t) => /^(heading|list_item|bullet_list|tr)_open$/.test(t.type)).map((t) => `${t.type}:${t.tag}`);
    expect(shape(tokens)).toEqual(shape(clean));
  });
});

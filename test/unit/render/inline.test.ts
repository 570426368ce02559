import { describe, expect, it } from 'vitest';
import { toPieces, wrap, type Measure } from '../../../src/render/pdf/inline.js';
import { columnWidths } from '../../../src/render/pdf/render.js';
import type { Run } from '../../../src/render/pdf/blocks.js';
import { parseBlocks } from '../../../src/render/pdf/blocks.js';

/** One unit per character: layout decisions become easy to read. */
const chars: Measure = (_font, text) => [...text].length;
const lay = (runs: Run[], max: number) => wrap(toPieces(runs, 1, chars), max, 1, chars).map((l) => l.pieces.map((p) => p.text).join(''));

describe('line layout', () => {
  it('breaks at spaces and drops the space at the break', () => {
    expect(lay([{ text: 'alpha beta gamma', font: 'regular' }], 11)).toEqual(['alpha beta', 'gamma']);
  });

  it('breaks code after a backslash, and cuts a token longer than a line without losing characters', () => {
    const path = 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb';
    const lines = lay([{ text: path, font: 'mono' }], 12);
    expect(lines.join('')).toBe(path.replace(' ', ''));
    expect(lines[0]).toBe('C:\\Program');
    expect(lines).toContain('Exchsrvr\\');
    const token = 'x'.repeat(30);
    expect(lay([{ text: token, font: 'mono' }], 7)).toEqual(['xxxxxxx', 'xxxxxxx', 'xxxxxxx', 'xxxxxxx', 'xx']);
  });

  it('keeps punctuation with the code span it touches', () => {
    expect(lay([{ text: 'IP ', font: 'regular' }, { text: '10.0.1.41', font: 'mono' }, { text: ', site X', font: 'regular' }], 12))
      .toEqual(['IP', '10.0.1.41,', 'site X']);
  });

  it('honours hard breaks', () => {
    expect(lay([{ text: 'a', font: 'regular' }, { text: '\n', font: 'regular' }, { text: 'b', font: 'regular' }], 10)).toEqual(['a', 'b']);
  });
});

describe('table column widths', () => {
  it('uses natural widths when they fit, spreading the rest', () => {
    expect(columnWidths([10, 30], [10, 10], 80)).toEqual([20, 60]);
  });
  it('gives each column its minimum and shares the rest by need', () => {
    const w = columnWidths([100, 300, 20], [30, 40, 20], 200);
    expect(w.reduce((a, b) => a + b)).toBeCloseTo(200);
    expect(w[2]).toBe(20);
    expect(w[1]!).toBeGreaterThan(w[0]!);
  });
});

describe('markdown-it tokens to blocks', () => {
  it('reads task items, directives, tables and code', () => {
    const blocks = parseBlocks('<!-- pagebreak -->\n\n- [x] **done** `C:\\x`\n- [ ] open\n\n| a | b |\n| --- | --- |\n| 1 \\| 2 | `p\\|q` |\n\n```\ncmd /x\n```\n');
    expect(blocks[0]).toEqual({ type: 'directive', name: 'pagebreak', arg: '' });
    const list = blocks[1];
    expect(list?.type === 'list' && list.items.map((i) => i.task)).toEqual([true, false]);
    expect(list?.type === 'list' && list.items[0]?.blocks[0]).toEqual({ type: 'paragraph', runs: [{ text: 'done', font: 'bold' }, { text: ' ', font: 'regular' }, { text: 'C:\\x', font: 'mono' }] });
    const table = blocks[2];
    expect(table?.type === 'table' && table.rows[0]?.map((c) => c.map((r) => r.text).join(''))).toEqual(['1 | 2', 'p|q']);
    expect(blocks[3]).toEqual({ type: 'code', text: 'cmd /x' });
  });
});

describe('long tokens', () => {
  it('moves a word that fits on a line of its own instead of breaking it', () => {
    expect(lay([{ text: 'see C:\\Program\\x', font: 'mono' }], 14)).toEqual(['see', 'C:\\Program\\x']);
  });

  it('breaks a URL at its slashes and dots, never right after https://', () => {
    const url = 'https://mail.contoso.com/owa/auth/logon.aspx';
    const lines = lay([{ text: url, font: 'regular' }], 16);
    expect(lines.join('')).toBe(url);
    expect(lines[0]).toBe('https://mail.');
    for (const l of lines) expect(l.endsWith('https://')).toBe(false);
    expect(lines.every((l) => l.length <= 16)).toBe(true);
  });

  it('breaks an IPv6 range between groups, never inside one', () => {
    const range = '2001:db8:85a3:0:0:8a2e:370:7334-2001:db8:85a3:0:0:8a2e:370:ffff';
    const lines = lay([{ text: range, font: 'mono' }], 12);
    expect(lines.join('')).toBe(range);
    for (const l of lines) expect(l).toMatch(/[:-]$|ffff$/);
    expect(lines).toContain('8a2e:370:');
  });

  it('breaks a camelCase attribute name before a capital, not mid-word', () => {
    expect(lay([{ text: 'msExchTransportMessageTrackingPath', font: 'regular' }], 24)).toEqual(['msExchTransportMessage', 'TrackingPath']);
  });

  it('breaks a path only at its separators, never before a capital inside a folder name', () => {
    const path = 'Server\\V15\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive';
    const lines = lay([{ text: path, font: 'mono' }], 24);
    expect(lines.join('')).toBe(path);
    expect(lines).toEqual(['Server\\V15\\', 'TransportRoles\\Logs\\', 'FrontEnd\\ProtocolLog\\', 'SmtpReceive']);
  });

  it('keeps a run of break characters whole (UNC prefix, ::)', () => {
    expect(lay([{ text: '\\\\nas1\\backup\\exchange', font: 'mono' }], 9)).toEqual(['\\\\nas1\\', 'backup\\', 'exchange']);
  });

  it('lays out 100,000 characters without a break opportunity in linear time, every character kept', () => {
    const token = 'a'.repeat(100_000);
    const measured: string[] = [];
    const counting: Measure = (_f, t) => { measured.push(t); return t.length; };
    const t = performance.now();
    const lines = wrap(toPieces([{ text: token, font: 'mono' }], 1, counting), 80, 1, counting);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(lines.map((l) => l.pieces.map((p) => p.text).join('')).join('')).toBe(token);
    expect(lines).toHaveLength(1250);
    // characters measured: the token once, each character once, each line once
    expect(measured.reduce((a, m) => a + m.length, 0)).toBeLessThan(4 * token.length);
  });

  it('a 100,000-character path breaks at its separators', () => {
    const path = Array.from({ length: 10_000 }, (_, i) => `d${i}`).join('\\');
    const t = performance.now();
    const lines = lay([{ text: path, font: 'mono' }], 40);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(lines.join('')).toBe(path);
    expect(lines.slice(0, -1).every((l) => l.endsWith('\\'))).toBe(true);
  });
});

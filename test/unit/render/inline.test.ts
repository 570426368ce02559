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

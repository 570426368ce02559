/**
 * Blocks → items for the pagination (paginate.ts): every line of text, table
 * row and space with its height, its keep-together flags (the KEEP rules) and
 * what to draw. Nothing is drawn here; the drawing pass calls `draw` with the
 * page it got. The measuring pass never calls it, so it needs no PDF document.
 */
import type { Block, FontKind, Run } from './blocks.js';
import { plainText } from './blocks.js';
import { toPieces, wrap, type Line, type Measure, type Piece } from './inline.js';
import { KEEP, type Item } from './paginate.js';
import { TYPE_AS_ONE_LINE } from '../reflow.js';

export const SIZE = { body: 9.5, table: 8, code: 8, h1: 17, h2: 12.5, h3: 10.5, h4: 10, cover: 24, small: 7.5 };
export const LEADING = 1.3;
/** Starts a code line that continues the one above it on paper (a command typed as one line). */
export const CODE_CONTINUATION = '\u21aa ';

/** What the drawing pass offers to items (render.ts Painter). */
export interface Canvas {
  line(line: Line, x: number, y: number, size: number): void;
  text(text: string, font: FontKind, size: number, x: number, y: number): void;
  fillRect(x: number, y: number, w: number, h: number, color: string): void;
  strokeLine(x1: number, y1: number, x2: number, y2: number, width: number, color: string): void;
  strokeRect(x: number, y: number, w: number, h: number, width: number, color: string): void;
  /** a table row's box and its column rules, one path */
  grid(x: number, y: number, widths: number[], h: number, width: number, color: string): void;
  checkbox(x: number, y: number, checked: boolean): void;
  tocLine(index: number, y: number): void;
}

/** Something that happens where an item lands: a heading's destination and outline entry, an anchor, the cover. */
export type Mark =
  | { kind: 'heading'; level: number; title: string }
  | { kind: 'anchor'; name: string }
  | { kind: 'cover' };

export type DrawItem = Item & {
  draw?: (c: Canvas, y: number) => void;
  mark?: Mark;
  /** the table header drawn before this row when it continues a table on a new page */
  drawRepeat?: (c: Canvas, y: number) => void;
};

type Ctx = { measure: Measure; tocEntries: number; cover: boolean };

/** Marks the end of a run of items as keeping with what follows (spaces in between included). */
function keepTail(items: DrawItem[]): void {
  for (let k = items.length - 1; k >= 0; k--) {
    const it = items[k] as DrawItem;
    it.keep = true;
    if (!it.space) return;
  }
}

/** Marks the first n non-space items (and the spaces between them) as one unit with what comes after each. */
function keepHead(items: DrawItem[], n: number): void {
  let seen = 0;
  for (const it of items) {
    // spaces before and between those items keep too: a chain that ends on a space breaks there
    if (!it.space && ++seen >= n) return;
    it.keep = true;
  }
}

const space = (h: number): DrawItem => ({ h, space: true });

/** A block laid out: its items, and how many of them a heading or lead-in before it must keep. */
type Laid = { items: DrawItem[]; head: number };

export class Layout {
  constructor(private readonly ctx: Ctx) {}

  private wrapRuns(runs: Run[], width: number, size: number): Line[] {
    return wrap(toPieces(runs, size, this.ctx.measure), width, size, this.ctx.measure);
  }

  paragraph(runs: Run[], x: number, width: number, size: number, after: number): Laid {
    const lh = size * LEADING;
    const lines = this.wrapRuns(runs, width, size);
    const items: DrawItem[] = lines.map((line) => ({ h: lh, draw: (c, y) => c.line(line, x, y, size) }));
    // orphans and widows
    for (let k = 0; k < Math.min(KEEP.orphanLines - 1, items.length - 1); k++) (items[k] as DrawItem).keep = true;
    for (let k = Math.max(0, items.length - KEEP.widowLines); k < items.length - 1; k++) (items[k] as DrawItem).keep = true;
    items.push(space(after));
    return { items, head: Math.min(KEEP.headingParagraphLines, lines.length) };
  }

  heading(level: number, runs: Run[], x: number, width: number): DrawItem[] {
    const title = plainText(runs);
    const bold = runs.map((r) => ({ ...r, font: (r.font === 'mono' ? 'mono' : 'bold') as FontKind }));
    if (this.ctx.cover && level === 1) {
      this.ctx.cover = false;
      const laid = this.paragraph(runs.map((r) => ({ ...r, font: 'bold' as FontKind })), x, width, SIZE.cover, 30);
      return [{ h: 60, mark: { kind: 'cover' } }, { h: 0, mark: { kind: 'heading', level: 1, title } }, ...laid.items];
    }
    const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : level === 3 ? SIZE.h3 : SIZE.h4;
    const laid = this.paragraph(bold, x, width, size, level === 1 ? 2 : size * 0.35);
    const lines = laid.items.filter((i) => !i.space);
    (lines[0] as DrawItem).mark = { kind: 'heading', level, title };
    const own: DrawItem[] = [...laid.items];
    if (level === 1) own.push({ h: 8, draw: (c, y) => c.strokeLine(x, y, x + width, y, 0.8, '#888888') });
    for (const it of own) it.keep = true; // a heading's lines stay together and with what follows (see blocks)
    return [space(level === 1 ? 10 : size * 0.6), ...own];
  }

  list(block: Extract<Block, { type: 'list' }>, x: number, width: number): Laid {
    const indent = 16;
    const items: DrawItem[] = [];
    let head = 1;
    block.items.forEach((item, n) => {
      const hasTask = item.task !== null;
      const ix = x + indent + (hasTask ? 4 : 0);
      const inner = this.blocks(item.blocks, ix, width - (ix - x), true);
      const first = inner.items.find((i) => !i.space);
      if (first) first.draw = withLabel(first.draw, x, hasTask ? item.task === true : block.ordered ? `${block.start + n}.` : '•');
      // an item's box stays with its first lines (and a step's lead-in with its first sub-item)
      keepHead(inner.items, inner.head);
      if (n === 0) head = Math.min(inner.head, 3);
      items.push(...inner.items);
    });
    items.push(space(2));
    return { items, head };
  }

  table(block: Extract<Block, { type: 'table' }>, x: number, width: number): Laid {
    const size = SIZE.table;
    const lh = size * LEADING;
    const pad = 3;
    const m = this.ctx.measure;
    const ncol = Math.max(block.header.length, ...block.rows.map((r) => r.length));
    const head = block.header.map((cell) => toPieces(cell.map((r) => ({ ...r, font: (r.font === 'mono' ? 'mono' : 'bold') as FontKind })), size, m));
    const rows = block.rows.map((r) => r.map((cell) => toPieces(cell, size, m)));
    const natural = new Array<number>(ncol).fill(0);
    const minimum = new Array<number>(ncol).fill(20);
    for (const row of [head, ...rows]) {
      row.forEach((cell, c) => {
        let w = 2 * pad;
        let word = 0;
        let longest = 0;
        for (const p of cell) {
          w += p.width;
          if (p.space || p.newline) word = 0; else { word += p.width; longest = Math.max(longest, word); }
        }
        natural[c] = Math.max(natural[c] as number, w);
        minimum[c] = Math.max(minimum[c] as number, Math.min(longest + 2 * pad, width * 0.22));
      });
    }
    const widths = columnWidths(natural, minimum, width);
    const cellLines = (cells: Piece[][]) => widths.map((w, c) => wrap(cells[c] ?? [], w - 2 * pad, size, m));
    const paint = (lines: Line[][], header: boolean, h: number) => (c: Canvas, y: number) => {
      if (header) c.fillRect(x, y, width, h, '#e8e8e8');
      let cx = x;
      for (let col = 0; col < lines.length; col++) {
        let cy = y + pad;
        for (const line of lines[col] as Line[]) { c.line(line, cx + pad, cy, size); cy += lh; }
        cx += widths[col] as number;
      }
      c.grid(x, y, widths, h, 0.4, '#9a9a9a');
    };
    const tallest = (lines: Line[][]) => { let n = 1; for (const l of lines) if (l.length > n) n = l.length; return n; };
    const headLines = cellLines(head);
    const headH = tallest(headLines) * lh + 2 * pad;
    const drawHead = paint(headLines, true, headH);
    const items: DrawItem[] = [{ h: headH, draw: drawHead }];
    // a row taller than a page is drawn in parts of at most this many lines
    const maxLines = 40;
    for (const r of rows) {
      const lines = cellLines(r);
      const n = tallest(lines);
      for (let from = 0; from < n; from += maxLines) {
        const part = n <= maxLines ? lines : lines.map((l) => l.slice(from, from + maxLines));
        const h = tallest(part) * lh + 2 * pad;
        items.push({ h, draw: paint(part, false, h), repeat: headH, drawRepeat: drawHead });
      }
    }
    const body = items.length - 1;
    const headCount = 1 + Math.min(KEEP.tableRows, body);
    // short tables stay whole; longer ones keep the header with the first rows
    if (block.rows.length <= KEEP.shortTableRows) keepHead(items, items.length);
    else keepHead(items, headCount);
    items.push(space(SIZE.body * 0.8));
    return { items, head: block.rows.length <= KEEP.shortTableRows ? body + 1 : headCount };
  }

  code(text: string, x: number, width: number): Laid {
    const size = SIZE.code;
    const lh = size * LEADING;
    const pad = 4;
    const items: DrawItem[] = [space(1)];
    // a command too long for the line is wrapped on paper only: each continuation starts with the
    // mark (not a character to type; the Markdown adds "type as one line" under such a block)
    const markWidth = this.ctx.measure('mono', CODE_CONTINUATION) * size;
    for (const raw of text.split('\n')) {
      // a line's indent is kept (an argument list continued on the next line is indented)
      const lead = /^ */.exec(raw)![0].length;
      const indent = lead ? this.ctx.measure('mono', ' '.repeat(lead)) * size : 0;
      const runs: Run[] = [{ text: raw.slice(lead), font: 'mono' }];
      let lines = this.wrapRuns(runs, width - 2 * pad - indent, size);
      if (lines.length > 1) lines = this.wrapRuns(runs, width - 2 * pad - indent - markWidth, size);
      lines.forEach((line, k) => {
        items.push({ h: lh, draw: (c, y) => {
          c.fillRect(x, y, width, lh, '#f0f0f0');
          if (k > 0) c.text(CODE_CONTINUATION, 'mono', size, x + pad + indent, y + 1);
          c.line(line, x + pad + indent + (k > 0 ? markWidth : 0), y + 1, size);
        } });
      });
    }
    const n = items.length - 1;
    for (let k = 1; k < Math.min(1 + KEEP.codeLines - 1, n); k++) (items[k] as DrawItem).keep = true;
    for (let k = Math.max(1, items.length - KEEP.codeLines); k < items.length - 1; k++) (items[k] as DrawItem).keep = true;
    items.push(space(SIZE.body * 0.6));
    return { items, head: Math.min(KEEP.codeLines, n) };
  }

  /** One fixed-height line per chapter, the same in both passes. */
  private toc(x: number, width: number): DrawItem[] {
    const items = this.heading(2, [{ text: 'Contents', font: 'bold' }], x, width);
    (items[items.length - 1] as DrawItem).keep = false;
    const lh = SIZE.body * LEADING + 2;
    for (let i = 0; i < this.ctx.tocEntries; i++) items.push({ h: lh, draw: (c, y) => c.tocLine(i, y) });
    return items;
  }

  blocks(blocks: Block[], x: number, width: number, tight = false): Laid {
    const items: DrawItem[] = [];
    let head = 0;
    let pendingHeading = false;
    let leadIn = false;
    blocks.forEach((b, n) => {
      let laid: Laid | null = null;
      switch (b.type) {
        case 'heading': {
          items.push(...this.heading(b.level, b.runs, x, width));
          pendingHeading = true;
          leadIn = false;
          if (n === 0) head = 1;
          return;
        }
        case 'paragraph': laid = this.paragraph(b.runs, x, width, SIZE.body, tight ? SIZE.body * 0.3 : SIZE.body * 0.55); break;
        case 'list': laid = this.list(b, x, width); break;
        case 'table': laid = this.table(b, x, width); break;
        case 'code': laid = this.code(b.text, x, width); break;
        case 'quote': {
          const inner = this.blocks(b.blocks, x + 12, width - 12);
          for (const it of inner.items) if (!it.space && it.draw) it.draw = withQuoteBar(it.draw, x, it.h);
          laid = inner;
          break;
        }
        case 'hr':
          laid = { items: [{ h: 12, draw: rule(x, width) }], head: 1 };
          break;
        case 'directive':
          if (b.name === 'pagebreak') items.push({ h: 0, pageBreak: true });
          else if (b.name === 'cover') this.ctx.cover = true;
          else if (b.name === 'anchor' && b.arg) items.push({ h: 0, mark: { kind: 'anchor', name: b.arg } });
          else if (b.name === 'toc') items.push(...this.toc(x, width));
          return;
      }
      if (!laid) return;
      // a heading, or a lead-in paragraph, keeps the start of the block after it
      if ((pendingHeading || leadIn) && laid.head > 0) { keepTail(items); keepHead(laid.items, laid.head); }
      if (n === 0) head = laid.head;
      pendingHeading = false;
      // a lead-in: a short paragraph, or any that ends with a colon ("... (media: ____):"), before a list, table or code
      // (and a DN under an Appendix B heading, code spans on lines of their own, however many lines it takes);
      // one that ends with a colon also before a paragraph ("13. Version-specific fixes:" over "None known ...")
      const after = blocks[n + 1];
      const next = after?.type ?? '';
      leadIn = b.type === 'paragraph' && (
        (['list', 'table', 'code'].includes(next) && (laid.items.filter((i) => !i.space).length <= 2 || endsWithColon(b.runs)
          || b.runs.every((r) => r.font === 'mono' || r.text === '\n')))
        || (next === 'paragraph' && endsWithColon(b.runs)));
      if (leadIn) keepTail(laid.items);
      // the note under a code block with a line too long for the page is about that block: not a page away from it
      if (b.type === 'code' && after?.type === 'paragraph' && plainText(after.runs).trim() === TYPE_AS_ONE_LINE) keepTail(laid.items);
      items.push(...laid.items);
    });
    return { items, head: Math.max(head, 1) };
  }
}

/*
 * Draw functions made out here, not inside the layout methods: a closure made
 * there keeps that method's variables alive until it is drawn (a list's or a
 * section's whole block tree, with the parsed source its text points into).
 */

/** The text ends with a colon (trailing white space aside), looked up from the last run with text. */
function endsWithColon(runs: Run[]): boolean {
  for (let k = runs.length - 1; k >= 0; k--) {
    const t = (runs[k] as Run).text;
    if (t.trim()) return /:\s*$/.test(t);
  }
  return false;
}

/** A list item's first line with its label before it: a check box (`true`/`false`: ticked or not) or a bullet or number. */
function withLabel(draw: DrawItem['draw'], x: number, label: string | boolean): NonNullable<DrawItem['draw']> {
  return (c, y) => {
    if (typeof label === 'boolean') c.checkbox(x + 4, y, label);
    else c.text(label, 'regular', SIZE.body, x + 3, y);
    draw?.(c, y);
  };
}

/** A quoted item with the quote's bar beside it. */
function withQuoteBar(draw: NonNullable<DrawItem['draw']>, x: number, h: number): NonNullable<DrawItem['draw']> {
  return (c, y) => { draw(c, y); c.strokeLine(x + 3, y, x + 3, y + h, 2, '#bbbbbb'); };
}

/** A horizontal rule. */
function rule(x: number, width: number): NonNullable<DrawItem['draw']> {
  return (c, y) => c.strokeLine(x, y + 5, x + width, y + 5, 0.5, '#999999');
}

/** Natural widths when they fit; else minimums plus a share of the rest in proportion to need. */
export function columnWidths(natural: number[], minimum: number[], total: number): number[] {
  const sumNat = natural.reduce((a, b) => a + b, 0);
  if (sumNat <= total) return natural.map((n) => n + ((total - sumNat) * n) / sumNat);
  const mins = natural.map((n, i) => Math.min(n, minimum[i] as number));
  const sumMin = mins.reduce((a, b) => a + b, 0);
  if (sumMin >= total) return mins.map((m) => (m * total) / sumMin);
  const need = natural.map((n, i) => n - (mins[i] as number));
  const sumNeed = need.reduce((a, b) => a + b, 0);
  return mins.map((m, i) => m + ((total - sumMin) * (need[i] as number)) / sumNeed);
}

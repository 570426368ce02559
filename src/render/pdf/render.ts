/**
 * Markdown → print-ready PDF, drawn with pdfkit by walking the markdown-it
 * tokens of the same Markdown the binder writes, so an edited template changes
 * both outputs. Two passes over the same layout code: a dry pass (measuring
 * only, nothing drawn) learns the page count and the page of every chapter;
 * the real pass then draws the table of contents, running header and
 * "Page X of Y" footer as it goes and lets pdfkit flush each finished page
 * (no bufferPages). Memory stays flat however large the organization: both
 * passes parse the Markdown a section at a time, text widths are measured once
 * into a bounded cache, and nothing per page outlives its page except what the
 * PDF's outline and named destinations need (bench/render.ts: 2,257 pages at
 * well under 400 MB peak RSS).
 * Deterministic: fixed fonts, fixed info dates, no clock.
 */
import PDFDocument from 'pdfkit';
import { outline, parseBlocks, plainText, type Block, type FontKind, type Outline, type Run } from './blocks.js';
import { fontBuffers } from './fonts.js';
import { toPieces, wrap, type Line, type Measure, type Piece } from './inline.js';
import { boundLayoutCache, createMeasure, type PdfkitFont } from './measure.js';

export type PdfOptions = {
  paper: 'a4' | 'letter';
  title: string;
  creationDate: Date;
  /** printed as is at the left of every footer, e.g. "Snapshot 3f88c04b77fc29c7 (2026-11-24T06:00:00Z)" */
  snapshotLabel: string;
  /** left part of the running header; defaults to the title */
  header?: string;
};

const SIZE = { body: 9.5, table: 8, code: 8, h1: 17, h2: 12.5, h3: 10.5, h4: 10, cover: 24, small: 7.5 };
const LEADING = 1.3;
const MARGIN = { top: 58, bottom: 54, side: 50 };
const GREY = '#555555';

type Heading = { title: string; dest: string; page: number };
/** What the dry pass learned and the real pass needs. */
type Plan = { total: number; headings: Heading[] };

class Writer {
  readonly doc: PDFKit.PDFDocument;
  y = MARGIN.top;
  readonly top = MARGIN.top;
  readonly bottom: number;
  readonly left = MARGIN.side;
  readonly right: number;
  private currentFont: FontKind | null = null;
  private currentSize = 0;
  pageChapter: string[] = [''];
  noHeader = new Set<number>();
  page = 0;
  private pageHasH1 = false;
  private chapter = '';
  private coverNext = false;
  private outlineTop: PDFKit.PDFOutline | null = null;
  private destNames = new Map<string, number>();
  headings: Heading[] = [];
  /** chapters the contents list (known before layout: the list comes first) */
  tocEntries = 0;

  constructor(readonly opts: PdfOptions, readonly dry: boolean, readonly plan: Plan | null, readonly measure: Measure) {
    this.doc = new PDFDocument({
      size: opts.paper === 'a4' ? 'A4' : 'LETTER',
      margins: { top: MARGIN.top, bottom: MARGIN.bottom, left: MARGIN.side, right: MARGIN.side },
      bufferPages: false,
      autoFirstPage: true,
      compress: !dry, // the dry document is thrown away: do not spend zlib on it
      displayTitle: true,
      lang: 'en',
      info: {
        Title: opts.title,
        Subject: `Exchange recovery binder, snapshot ${opts.snapshotLabel}`,
        Creator: 'exbinder',
        Producer: 'exbinder (pdfkit)',
        CreationDate: opts.creationDate,
        ModDate: opts.creationDate,
      },
    });
    for (const [name, buf] of Object.entries(fontBuffers())) this.doc.registerFont(name, buf);
    this.bottom = this.doc.page.height - MARGIN.bottom;
    this.right = this.doc.page.width - MARGIN.side;
    for (const kind of Object.keys(fontBuffers()) as FontKind[]) {
      this.doc.font(kind);
      boundLayoutCache((this.doc as unknown as { _font: PdfkitFont })._font);
    }
    this.doc.font('regular');
    this.currentFont = 'regular';
  }

  get width(): number { return this.right - this.left; }
  get pageIndex(): number { return this.page; }

  setFont(font: FontKind, size: number): void {
    if (font !== this.currentFont) { this.doc.font(font); this.currentFont = font; }
    if (size !== this.currentSize) { this.doc.fontSize(size); this.currentSize = size; }
  }

  newPage(): void {
    this.finishPage();
    this.doc.addPage();
    this.page++;
    this.y = this.top;
    this.pageChapter.push(this.chapter);
    this.pageHasH1 = false;
  }

  /** Start a new page unless `h` points still fit (never on an empty page: that would loop). */
  ensure(h: number): void {
    if (this.y + h > this.bottom && this.y > this.top + 0.5) this.newPage();
  }

  drawLine(line: Line, x: number, y: number, size: number): void {
    if (this.dry) return; // the dry pass only needs the layout
    let cx = x;
    let i = 0;
    const ps = line.pieces;
    while (i < ps.length) {
      const p = ps[i] as Piece;
      let text = p.text;
      let w = p.width;
      let j = i + 1;
      // one text call per run of equal font: far fewer PDF operators than per word
      while (j < ps.length && (ps[j] as Piece).font === p.font && (ps[j] as Piece).href === p.href) {
        text += (ps[j] as Piece).text; w += (ps[j] as Piece).width; j++;
      }
      this.setFont(p.font, size);
      this.doc.text(text, cx, y, { lineBreak: false });
      if (p.href && /^https?:/.test(p.href)) this.doc.link(cx, y, w, size * LEADING, p.href);
      cx += w;
      i = j;
    }
  }

  paragraph(runs: Run[], x: number, width: number, size: number, after = size * 0.55): void {
    const lh = size * LEADING;
    for (const line of wrap(toPieces(runs, size, this.measure), width, size, this.measure)) {
      this.ensure(lh);
      this.drawLine(line, x, this.y, size);
      this.y += lh;
    }
    this.y += after;
  }

  heading(level: number, runs: Run[], x: number, width: number): void {
    const title = plainText(runs);
    if (this.coverNext && level === 1) {
      this.coverNext = false;
      this.noHeader.add(this.pageIndex);
      this.y = this.top + 60;
      this.addDest(title, 1);
      this.paragraph(runs.map((r) => ({ ...r, font: 'bold' })), x, width, SIZE.cover, 30);
      return;
    }
    const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : level === 3 ? SIZE.h3 : SIZE.h4;
    if (level === 1 && this.y > this.top + 0.5) this.y += 10;
    else if (this.y > this.top + 0.5) this.y += size * 0.6;
    // keep the heading with at least three lines of what follows
    this.ensure(size * LEADING + 3 * SIZE.body * LEADING);
    if (level === 1) {
      this.chapter = title;
      if (!this.pageHasH1) { this.pageChapter[this.pageIndex] = title; this.pageHasH1 = true; }
    }
    this.addDest(title, level);
    this.paragraph(runs.map((r) => ({ ...r, font: r.font === 'mono' ? 'mono' : 'bold' })), x, width, size, level === 1 ? 2 : size * 0.35);
    if (level === 1) {
      if (!this.dry) this.doc.save().lineWidth(0.8).strokeColor('#888888').moveTo(x, this.y).lineTo(x + width, this.y).stroke().restore();
      this.y += 8;
    }
  }

  /** Named destination from the title ("Server EX2007" → "server-ex2007"), so binder.pdf#server-ex2007 works. */
  private destFor(title: string): string {
    const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
    const n = (this.destNames.get(base) ?? 0) + 1;
    this.destNames.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }

  private addDest(title: string, level: number): void {
    const dest = this.destFor(title);
    if (this.dry) { if (level === 1) this.headings.push({ title, dest, page: this.pageIndex }); return; }
    this.doc.addNamedDestination(dest, 'XYZ', this.left, this.y, null);
    const opts = { top: this.y, left: this.doc.page.width } as unknown as { expanded?: boolean };
    if (level === 1) {
      this.outlineTop = this.doc.outline.addItem(title, opts);
      this.headings.push({ title, dest, page: this.pageIndex });
    } else if (level === 2 && this.outlineTop) {
      this.outlineTop.addItem(title, opts);
    }
  }

  /** Drawn check box (a rectangle, not a form field: the binder is ticked with a pen). */
  checkbox(x: number, y: number, checked: boolean): void {
    if (this.dry) return;
    const s = 7.5;
    this.doc.save().lineWidth(0.8).strokeColor('#000000').rect(x, y + 1.5, s, s).stroke();
    if (checked) {
      this.doc.lineWidth(1.2).moveTo(x + 1.5, y + 1.5 + s * 0.55).lineTo(x + s * 0.42, y + 1.5 + s - 1.5).lineTo(x + s - 1.2, y + 2.8).stroke();
    }
    this.doc.restore();
  }

  list(block: Extract<Block, { type: 'list' }>, x: number, width: number): void {
    const indent = 16;
    const lh = SIZE.body * LEADING;
    block.items.forEach((item, n) => {
      // keep an item's first lines (and the start of what it contains) on one page with its box
      const first = item.blocks[0];
      const firstLines = first?.type === 'paragraph'
        ? wrap(toPieces(first.runs, SIZE.body, this.measure), width - indent - 4, SIZE.body, this.measure).length : 1;
      this.ensure(Math.min(firstLines, 3) * lh + (item.blocks.length > 1 ? lh : 0));
      const markerY = this.y;
      const hasTask = item.task !== null;
      const ix = x + indent + (hasTask ? 4 : 0);
      if (hasTask) this.checkbox(x + 4, markerY, item.task === true);
      else if (!this.dry) {
        this.setFont('regular', SIZE.body);
        this.doc.text(block.ordered ? `${block.start + n}.` : '•', x + 3, markerY, { lineBreak: false });
      }
      this.blocks(item.blocks, ix, width - (ix - x), true);
    });
    this.y += 2;
  }

  table(block: Extract<Block, { type: 'table' }>, x: number, width: number): void {
    const size = SIZE.table;
    const lh = size * LEADING;
    const pad = 3;
    const ncol = Math.max(block.header.length, ...block.rows.map((r) => r.length));
    const head = block.header.map((c) => toPieces(c.map((r) => ({ ...r, font: r.font === 'mono' ? 'mono' : 'bold' })), size, this.measure));
    const rows = block.rows.map((r) => r.map((c) => toPieces(c, size, this.measure)));
    const natural = new Array<number>(ncol).fill(0);
    const minimum = new Array<number>(ncol).fill(20);
    for (const row of [head, ...rows]) {
      row.forEach((cell, c) => {
        const w = cell.reduce((a, p) => a + p.width, 0) + 2 * pad;
        natural[c] = Math.max(natural[c] as number, w);
        const longest = cell.reduce((a, p) => Math.max(a, p.space ? 0 : p.width), 0) + 2 * pad;
        minimum[c] = Math.max(minimum[c] as number, Math.min(longest, width * 0.22));
      });
    }
    const widths = columnWidths(natural, minimum, width);
    const drawRow = (cells: Piece[][], header: boolean) => {
      const lines = widths.map((w, c) => wrap(cells[c] ?? [], w - 2 * pad, size, this.measure));
      const h = Math.max(1, ...lines.map((l) => l.length)) * lh + 2 * pad;
      return { lines, h, header };
    };
    const headRow = drawRow(head, true);
    const paint = (row: ReturnType<typeof drawRow>) => {
      if (this.dry) { this.y += row.h; return; }
      let cx = x;
      if (row.header) this.doc.save().rect(x, this.y, width, row.h).fill('#e8e8e8').restore();
      row.lines.forEach((cellLines, c) => {
        let cy = this.y + pad;
        for (const line of cellLines) { this.drawLine(line, cx + pad, cy, size); cy += lh; }
        cx += widths[c] as number;
      });
      this.doc.save().lineWidth(0.4).strokeColor('#9a9a9a').rect(x, this.y, width, row.h).stroke();
      let vx = x;
      for (const w of widths.slice(0, -1)) { vx += w; this.doc.moveTo(vx, this.y).lineTo(vx, this.y + row.h).stroke(); }
      this.doc.restore();
      this.y += row.h;
    };
    const laid = rows.map((r) => drawRow(r, false));
    // never leave a header row alone at the foot of a page
    this.ensure(headRow.h + (laid[0]?.h ?? 0));
    paint(headRow);
    for (const row of laid) {
      if (this.y + row.h > this.bottom) {
        this.newPage();
        paint(headRow); // the header row repeats on every page the table spans
      }
      paint(row);
    }
    this.y += SIZE.body * 0.8;
  }

  code(text: string, x: number, width: number): void {
    const size = SIZE.code;
    const lh = size * LEADING;
    const pad = 4;
    this.y += 1;
    for (const raw of text.split('\n')) {
      const lines = wrap(toPieces([{ text: raw, font: 'mono' }], size, this.measure), width - 2 * pad, size, this.measure);
      for (const line of lines) {
        this.ensure(lh);
        if (!this.dry) this.doc.save().rect(x, this.y, width, lh).fill('#f0f0f0').restore();
        this.drawLine(line, x + pad, this.y + 1, size);
        this.y += lh;
      }
    }
    this.y += SIZE.body * 0.6;
  }

  directive(name: string, arg: string): void {
    if (name === 'pagebreak') { if (this.y > this.top + 0.5) this.newPage(); }
    else if (name === 'cover') { this.coverNext = true; }
    else if (name === 'anchor' && arg && !this.dry) this.doc.addNamedDestination(arg, 'XYZ', this.left, this.y, null);
    else if (name === 'toc') this.reserveToc();
  }

  /** One fixed-height line per chapter, in both passes, so the layout is the same. */
  private reserveToc(): void {
    this.heading(2, [{ text: 'Contents', font: 'bold' }], this.left, this.width);
    const lh = SIZE.body * LEADING + 2;
    const first = this.headings.length;
    for (let i = 0; i < this.tocEntries; i++) {
      this.ensure(lh);
      const h = this.plan?.headings[first + i];
      if (!this.dry && h) this.tocLine(h, this.y);
      this.y += lh;
    }
  }

  private tocLine(h: Heading, y: number): void {
    const size = SIZE.body;
    const num = String(h.page + 1);
    this.setFont('regular', size);
    const numW = this.measure('regular', num) * size;
    const title = clip(h.title, this.width - numW - 12, size, this.measure);
    this.doc.text(title, this.left, y, { lineBreak: false });
    this.doc.text(num, this.right - numW, y, { lineBreak: false });
    const tw = this.measure('regular', title) * size;
    this.doc.save().lineWidth(0.5).dash(1, { space: 2 }).strokeColor('#aaaaaa')
      .moveTo(this.left + tw + 4, y + size).lineTo(this.right - numW - 4, y + size).stroke().undash().restore();
    this.doc.goTo(this.left, y, this.width, size * LEADING, h.dest);
  }

  blocks(blocks: Block[], x: number, width: number, tight = false): void {
    for (const b of blocks) {
      switch (b.type) {
        case 'heading': this.heading(b.level, b.runs, x, width); break;
        case 'paragraph': this.paragraph(b.runs, x, width, SIZE.body, tight ? SIZE.body * 0.3 : undefined); break;
        case 'list': this.list(b, x, width); break;
        case 'table': this.table(b, x, width); break;
        case 'code': this.code(b.text, x, width); break;
        case 'quote': {
          const startY = this.y; const startPage = this.pageIndex;
          this.blocks(b.blocks, x + 12, width - 12);
          if (startPage === this.pageIndex && !this.dry) this.doc.save().lineWidth(2).strokeColor('#bbbbbb').moveTo(x + 3, startY).lineTo(x + 3, this.y - 4).stroke().restore();
          break;
        }
        case 'hr':
          this.ensure(12);
          if (!this.dry) this.doc.save().lineWidth(0.5).strokeColor('#999999').moveTo(x, this.y + 5).lineTo(x + width, this.y + 5).stroke().restore();
          this.y += 12; break;
        case 'directive': this.directive(b.name, b.arg); break;
      }
    }
  }

  /** Running header (organization, current chapter) and footer (snapshot, Page X of Y) of the page being finished. */
  finishPage(): void {
    if (this.dry) return;
    const i = this.page;
    const size = SIZE.small;
    const header = this.opts.header ?? this.opts.title;
    const saved = this.doc.page.margins.bottom;
    this.doc.page.margins.bottom = 0; // writing in the margin must not add pages
    this.doc.fillColor(GREY);
    if (!this.noHeader.has(i)) {
      const chapter = this.pageChapter[i] ?? '';
      const cw = Math.min(this.measure('bold', chapter) * size, this.width * 0.55);
      this.setFont('regular', size);
      this.doc.text(clip(header, this.width - cw - 16, size, this.measure), this.left, MARGIN.top - 24, { lineBreak: false });
      this.setFont('bold', size);
      this.doc.text(clip(chapter, this.width * 0.55, size, this.measure, 'bold'), this.right - cw, MARGIN.top - 24, { lineBreak: false });
      this.doc.save().lineWidth(0.5).strokeColor('#aaaaaa').moveTo(this.left, MARGIN.top - 12).lineTo(this.right, MARGIN.top - 12).stroke().restore();
    }
    const footY = this.doc.page.height - MARGIN.bottom + 20;
    this.setFont('regular', size);
    this.doc.text(clip(this.opts.snapshotLabel, this.width * 0.6, size, this.measure), this.left, footY, { lineBreak: false });
    const pageText = `Page ${i + 1} of ${this.plan?.total ?? '?'}`;
    this.doc.text(pageText, this.right - this.measure('regular', pageText) * size, footY, { lineBreak: false });
    this.doc.fillColor('#000000');
    this.doc.page.margins.bottom = saved;
  }
}

function clip(text: string, max: number, size: number, measure: Measure, font: FontKind = 'regular'): string {
  let t = text;
  while (t.length > 1 && measure(font, t) * size > max) t = t.slice(0, -2) + '…';
  return t;
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

/**
 * Collects the PDF stream in 1 MiB blocks. pdfkit emits many small Buffers,
 * and each compressed page stream is a slice of a 16 KiB zlib buffer: keeping
 * the chunks themselves held about six times the file size (40 MB for the
 * 2,000-page binder).
 */
class Sink {
  private static readonly BLOCK = 1 << 20;
  private readonly full: Buffer[] = [];
  private block = Buffer.allocUnsafe(Sink.BLOCK);
  private used = 0;

  write(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      const n = chunk.copy(this.block, this.used, from);
      from += n;
      this.used += n;
      if (this.used === Sink.BLOCK) { this.full.push(this.block); this.block = Buffer.allocUnsafe(Sink.BLOCK); this.used = 0; }
    }
  }

  bytes(): Buffer {
    return Buffer.concat([...this.full, this.block.subarray(0, this.used)]);
  }
}

/**
 * Lays the document out once, piece by piece (see sectionStarts): only one
 * piece's tokens and blocks are alive at a time. The dry pass draws nothing
 * and its document is discarded.
 */
async function layout(doc: Outline, opts: PdfOptions, plan: Plan | null, measure: Measure, onData: (chunk: Buffer) => void): Promise<Writer> {
  const w = new Writer(opts, plan === null, plan, measure);
  w.doc.on('data', onData); // attached before the first page is flushed
  // The stream starts flowing on the next turn of the event loop; until then
  // every chunk pdfkit writes would queue inside it, i.e. the whole PDF, since
  // the layout below never yields. Let it start first.
  await new Promise<void>((resolve) => setImmediate(resolve));
  w.tocEntries = doc.tocEntries;
  for (const section of doc.sections) w.blocks(parseBlocks(section), w.left, w.width);
  w.finishPage();
  return w;
}

/** The dry pass; only what it learned is returned, so its document and layout are garbage before the real pass. */
async function plan(doc: Outline, opts: PdfOptions, measure: Measure): Promise<Plan> {
  const dry = await layout(doc, opts, null, measure, () => undefined);
  dry.doc.end();
  return { total: dry.page + 1, headings: dry.headings };
}

export async function renderPdf(markdown: string, opts: PdfOptions): Promise<Buffer> {
  const doc = outline(markdown);
  const measure = createMeasure();
  const planned = await plan(doc, opts, measure);
  const sink = new Sink();
  const real = await layout(doc, opts, planned, measure, (c) => sink.write(c));
  if (real.page + 1 !== planned.total) throw new Error(`PDF layout differs between passes (${planned.total} vs ${real.page + 1} pages)`);
  const done = new Promise<void>((resolve, reject) => { real.doc.on('end', resolve); real.doc.on('error', reject); });
  real.doc.end();
  await done;
  return sink.bytes();
}

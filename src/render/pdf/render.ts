/**
 * Markdown → print-ready PDF, drawn with pdfkit by walking the markdown-it
 * tokens of the same Markdown the binder writes, so an edited template changes
 * both outputs. Blocks are laid out into items (layout.ts) and broken into
 * pages on numbers alone (paginate.ts, the keep-together rules), then drawn
 * where they landed, in one pass: the numbers not known until the end (the
 * "of Y" of every footer, the page of each chapter in the contents) are small
 * form XObjects placed as the pages are drawn and filled in when the last page
 * is done. pdfkit flushes each finished page (no bufferPages); text widths and
 * glyphs come from runs shaped once (measure.ts). Memory stays flat however
 * large the organization: the Markdown is parsed a section at a time and
 * nothing per page outlives its page except the outline, named destinations
 * and those forms.
 * Deterministic: fixed fonts, fixed info dates, no clock.
 */
import PDFDocument from 'pdfkit';
import { inert } from '../escape.js';
import { outline, parseBlocks, type Block, type FontKind, type Outline, type Run } from './blocks.js';
import { PageContent, type PdfkitPage } from './content.js';
import { FallbackGlyphRuns, fontBuffers, partOps, visualOrder, type FontSearch, type MixedRun } from './fonts.js';
import { toPieces, type Line, type Measure, type Piece } from './inline.js';
import { Layout, LEADING, SIZE, type Canvas, type DrawItem, type Mark } from './layout.js';
import type { PdfkitFont } from './measure.js';
import { paginate, type Cursor, type Frame, type Place } from './paginate.js';
import { contentsRange } from '../contents.js';

export { columnWidths } from './layout.js';

export type PdfOptions = {
  paper: 'a4' | 'letter';
  title: string;
  creationDate: Date;
  /** printed as is at the left of every footer, e.g. "Snapshot 3f88c04b77fc29c7 (2026-11-24T06:00:00Z)" */
  snapshotLabel: string;
  /** left part of the running header; defaults to the title */
  header?: string;
  /** for the document info (Author, Subject, Keywords); without them Subject is the footer label */
  organization?: string;
  snapshotId?: string;
  harvestedAt?: string;
  /** where fallback faces for text DejaVu lacks are looked for (fonts.ts); default: EXBINDER_FONT_DIRS, then Debian's font folders */
  fonts?: FontSearch;
  /** one line about text no font could draw; default: printed on standard error */
  onWarning?: (message: string) => void;
  /**
   * Tagged PDF (a structure tree for screen readers and reflowing viewers).
   * Default: off, unless EXBINDER_TAGGED_PDF=1: every table cell is a PDF
   * object of its own, and on a 60-server organization (220,000 elements)
   * that made the file 4 times larger and the render 50-60% slower.
   */
  tagged?: boolean;
};

const taggedOption = (opts: PdfOptions) => opts.tagged ?? process.env['EXBINDER_TAGGED_PDF'] === '1';

/**
 * Document info a PDF reader or a search index shows: what the binder is, for
 * which organization, from which snapshot. Only values from the snapshot (no
 * clock, no host), so the same snapshot gives the same bytes.
 */
export function documentInfo(opts: PdfOptions): Record<string, string | Date> {
  // the organization's name is a directory value: pdfinfo and file managers print these fields raw
  const org = opts.organization === undefined ? undefined : inert(opts.organization);
  const subject = org && opts.snapshotId
    ? `Exchange disaster-recovery binder of the organization ${org}, snapshot ${opts.snapshotId}${opts.harvestedAt ? ` harvested ${opts.harvestedAt}` : ''}`
    : `Exchange disaster-recovery binder, ${opts.snapshotLabel}`;
  const keywords = ['Exchange', 'disaster recovery', 'recovery binder', ...(org ? [org] : []), ...(opts.snapshotId ? [`snapshot ${opts.snapshotId}`] : [])];
  return {
    Title: inert(opts.title),
    ...(org ? { Author: org } : {}),
    Subject: subject,
    Keywords: keywords.join(', '),
    Creator: 'exbinder',
    Producer: 'exbinder (pdfkit)',
    CreationDate: opts.creationDate,
    ModDate: opts.creationDate,
  };
}

const MARGIN = { top: 58, bottom: 54, side: 50 };
const GREY = '#555555';
const num = (n: number) => Math.round(n * 1e6) / 1e6; // pdfkit's PDFObject.number
/**
 * `num` as the text it prints, remembered: the same coordinates come back on
 * every page (margins, columns, line positions), and turning a number into
 * text allocates a string each time.
 */
const FMT = new Map<number, string>();
function fmt(n: number): string {
  let s = FMT.get(n);
  if (s === undefined) {
    s = String(num(n));
    if (FMT.size >= 20_000) FMT.clear();
    FMT.set(n, s);
  }
  return s;
}
const RGB = new Map<string, string>();
/** '#9a9a9a' → '0.603922 0.603922 0.603922' (as pdfkit writes colours) */
function rgb(hex: string): string {
  let v = RGB.get(hex);
  if (v === undefined) {
    v = [1, 3, 5].map((i) => num(parseInt(hex.slice(i, i + 2), 16) / 255)).join(' ');
    RGB.set(hex, v);
  }
  return v;
}
/** pdfkit's PDFReference, as far as it is used here */
type PdfRef = { end(chunk: string): void };
/** A form XObject whose text is known only at the end (a page number), written by `finish`. */
type Form = { name: string; ref: PdfRef; w: number; h: number; size: number; align: 'left' | 'right'; text: () => string };
/** pdfkit's page sizes in points (A4, LETTER) */
const PAPER = { a4: [595.28, 841.89], letter: [612, 792] } as const;


/** Page geometry shared by both passes. */
function geometry(paper: PdfOptions['paper']) {
  const [w, h] = PAPER[paper];
  return { pageWidth: w, pageHeight: h, left: MARGIN.side, right: w - MARGIN.side, frame: { top: MARGIN.top, bottom: h - MARGIN.bottom } as Frame };
}

/** Named destination from the title ("Server EX2007" → "server-ex2007"), so binder.pdf#server-ex2007 works. */
class DestNames {
  private readonly seen = new Map<string, number>();
  next(title: string): string {
    const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

/**
 * Tagged PDF: the structure a screen reader or a reflowing viewer reads
 * (Document > H1-H6, P, L > LI > Lbl + LBody, Table > TR > TH/TD, Code). The
 * layout (layout.ts) knows nothing of it: this subclass labels the items the
 * layout returns with the node they belong to, and the painter opens a
 * structure element when a node's first text is drawn and marks each line's
 * text operators as its content. Lines, rules and fills that are not text,
 * the running header and footer and a table header repeated on a new page are
 * artifacts. Nodes exist only while their section is laid out and drawn.
 */
type SNode = { type: string; parent: SNode | null; cell?: 'TH' | 'TD'; el?: PDFKit.PDFStructureElement };
const TAGS = new WeakMap<DrawItem, SNode>();
type Laid = ReturnType<Layout['paragraph']>;

class TaggedLayout extends Layout {
  private readonly parents: SNode[] = [];

  private node(type: string): SNode {
    return { type, parent: this.parents[this.parents.length - 1] ?? null };
  }

  private label(items: DrawItem[], node: SNode): void {
    for (const it of items) if (it.draw) TAGS.set(it, node);
  }

  override paragraph(runs: Run[], x: number, width: number, size: number, after: number): Laid {
    const laid = super.paragraph(runs, x, width, size, after);
    this.label(laid.items, this.node('P'));
    return laid;
  }

  override heading(level: number, runs: Run[], x: number, width: number): DrawItem[] {
    const items = super.heading(level, runs, x, width);
    const node = this.node(`H${Math.min(level, 6)}`);
    for (const it of items) if (TAGS.has(it)) TAGS.set(it, node); // its lines, laid out as a paragraph
    return items;
  }

  override list(block: Extract<Block, { type: 'list' }>, x: number, width: number): Laid {
    this.parents.push(this.node('L'));
    try { return super.list(block, x, width); } finally { this.parents.pop(); }
  }

  /** Called by list() once per item: the item's blocks are its LI's body. */
  override blocks(blocks: Block[], x: number, width: number, tight = false): Laid {
    if (this.parents[this.parents.length - 1]?.type !== 'L') return super.blocks(blocks, x, width, tight);
    this.parents.push(this.node('LI'));
    this.parents.push(this.node('LBody'));
    try { return super.blocks(blocks, x, width, tight); } finally { this.parents.length -= 2; }
  }

  override table(block: Extract<Block, { type: 'table' }>, x: number, width: number): Laid {
    this.parents.push(this.node('Table'));
    try {
      const laid = super.table(block, x, width);
      let header = true;
      for (const it of laid.items) {
        if (!it.draw) continue;
        const tr = this.node('TR');
        tr.cell = header ? 'TH' : 'TD';
        header = false;
        TAGS.set(it, tr);
      }
      return laid;
    } finally { this.parents.pop(); }
  }

  override code(text: string, x: number, width: number): Laid {
    const laid = super.code(text, x, width);
    this.label(laid.items, this.node('Code'));
    return laid;
  }
}

/**
 * Walks the document section by section: layout, pagination, then `onItem`
 * for every item in order with where it landed. Items wait until their
 * chapter ends (a page break), so the end of a chapter can pull blocks from
 * earlier sections; of a long chapter only its last two pages wait, the pages
 * before are final (pagination only ever moves items onto the next page).
 */
function walk(doc: Outline, measure: Measure, paper: PdfOptions['paper'], tagged: boolean, onItem: (item: DrawItem, place: Place) => void): Cursor {
  const g = geometry(paper);
  const ctx = { measure, tocEntries: doc.tocEntries, cover: false };
  const layout = tagged ? new TaggedLayout(ctx) : new Layout(ctx);
  let cursor: Cursor = { page: 0, y: g.frame.top };
  let held: DrawItem[] = [];
  const flush = (items: DrawItem[], closes: boolean) => {
    const { places, end } = paginate(items, cursor, g.frame, closes);
    items.forEach((it, k) => onItem(it, places[k] as Place));
    cursor = end;
  };
  for (const section of doc.sections) {
    const items = layout.blocks(parseBlocks(section), g.left, g.right - g.left).items;
    for (const it of items) held.push(it);
    // up to the last page break: those chapters are complete
    let cut = -1;
    for (let k = held.length - 1; k > 0; k--) if ((held[k] as DrawItem).pageBreak) { cut = k; break; }
    if (cut > 0) { flush(held.slice(0, cut + 1), false); held = held.slice(cut + 1); }
    if (held.length > 200) held = commitEarlyPages(held);
  }
  if (held.length) flush(held, true);
  return cursor;

  /** Draws the pages of a long chapter that no later item can change: all but its last two. */
  function commitEarlyPages(items: DrawItem[]): DrawItem[] {
    const { places } = paginate(items, cursor, g.frame, false);
    const last = (places[places.length - 1] as Place).page;
    if (last - cursor.page < 3) return items;
    const keepFrom = last - 1;
    let k = 0;
    while (k < items.length && (places[k] as Place).page < keepFrom) { onItem(items[k] as DrawItem, places[k] as Place); k++; }
    cursor = { page: keepFrom, y: g.frame.top, continues: k > 0 };
    return items.slice(k);
  }
}

/** The drawing pass: a pdfkit document, each item drawn where the pagination put it. */
class Painter implements Canvas {
  readonly doc: PDFKit.PDFDocument;
  private readonly g: ReturnType<typeof geometry>;
  private readonly pageFonts = new Set<string>();
  private currentFont: FontKind | null = null;
  private currentSize = 0;
  page = 0;
  private chapter = '';
  /** chapter named in the running header: the first level-1 heading on the page, else the one running */
  private pageChapter = '';
  private pageHasH1 = false;
  private noHeader = false;
  private outlineTop: PDFKit.PDFOutline | null = null;
  private readonly dests = new DestNames();
  private tocIndex = 0;
  private h1Count = 0;
  /** page of each level-1 heading, in order */
  private readonly h1Pages: number[] = [];
  /** page of each named destination (headings, anchors), for the page references */
  private readonly destPages = new Map<string, number>();
  /** forms whose text is known at the end: the total in each footer, the page of each contents line */
  private readonly forms: Form[] = [];
  /** the page total is the same in every footer: one form for all of them */
  private totalForm: Form | null = null;
  /** the current page's content stream */
  private content: PageContent;

  readonly glyphs: FallbackGlyphRuns;
  readonly tagged: boolean;
  /** the structure: the Document element, the nodes whose elements are open (outermost first), the node being drawn */
  private docEl: PDFKit.PDFStructureElement | null = null;
  private readonly openNodes: SNode[] = [];
  private cur: SNode | null = null;
  /** the table cell being drawn (a row's cells are told apart by their x) */
  private cell: { x: number; el: PDFKit.PDFStructureElement; type: string } | null = null;
  /** the list label (bullet, number) being drawn */
  private forced: { el: PDFKit.PDFStructureElement; type: string } | null = null;
  private artifactDepth = 0;
  /** text no face has a glyph for: the first piece and where it is, and how many places */
  private missing: { text: string; where: string; page: number; count: number } | null = null;
  /** the last heading drawn, for saying where a piece of text is */
  private heading = '';
  readonly measure: Measure;

  constructor(readonly opts: PdfOptions, readonly tocTitles: string[]) {
    this.g = geometry(opts.paper);
    this.doc = new PDFDocument({
      size: opts.paper === 'a4' ? 'A4' : 'LETTER',
      margins: { top: MARGIN.top, bottom: MARGIN.bottom, left: MARGIN.side, right: MARGIN.side },
      bufferPages: false,
      autoFirstPage: true,
      compress: true,
      displayTitle: true,
      lang: 'en',
      tagged: taggedOption(opts),
      // runs are shaped once in GlyphRuns; pdfkit's per-word layout cache would only hold fontkit objects
      fontLayoutCache: false,
      info: documentInfo(opts),
    } as PDFKit.PDFDocumentOptions);
    const fonts = {} as Record<FontKind, PdfkitFont>;
    for (const [name, buf] of Object.entries(fontBuffers()) as [FontKind, Buffer][]) {
      this.doc.registerFont(name, buf);
      this.doc.font(name);
      fonts[name] = (this.doc as unknown as { _font: PdfkitFont })._font;
    }
    const flip = `q 1 0 0 -1 0 ${num(this.g.pageHeight)} cm`;
    this.content = new PageContent(this.doc.page as unknown as PdfkitPage, flip);
    this.doc.on('pageAdded', () => { this.content = new PageContent(this.doc.page as unknown as PdfkitPage, flip); });
    this.glyphs = new FallbackGlyphRuns(fonts, this.doc, opts.fonts);
    this.tagged = taggedOption(opts);
    if (this.tagged) {
      this.docEl = this.doc.struct('Document');
      this.doc.addStructure(this.docEl);
    }
    this.measure = this.glyphs.measure;
    this.doc.font('regular');
    this.currentFont = 'regular';
  }

  private get left(): number { return this.g.left; }
  private get right(): number { return this.g.right; }
  private get width(): number { return this.g.right - this.g.left; }

  private setFont(font: FontKind, size: number): void {
    if (font !== this.currentFont) { this.doc.font(font); this.currentFont = font; }
    if (size !== this.currentSize) { this.doc.fontSize(size); this.currentSize = size; }
  }

  item(item: DrawItem, place: Place): void {
    while (this.page < place.page) this.newPage();
    if (place.skip) return;
    if (item.mark) this.markAt(item.mark, place.y);
    if (place.repeatY !== undefined && item.drawRepeat) { this.artifact(true); item.drawRepeat(this, place.repeatY); this.artifact(false); }
    if (!item.draw) return;
    this.cur = this.tagged ? TAGS.get(item) ?? null : null;
    this.cell = null;
    item.draw(this, place.y);
    this.cur = null;
  }

  /** Content that is not the document's text (rules, fills, the running header): outside the structure. */
  private artifact(on: boolean): void {
    if (!this.tagged) return;
    if (on && this.artifactDepth++ === 0) this.doc.addContent('/Artifact BMC');
    if (!on && --this.artifactDepth === 0) this.doc.addContent('EMC');
  }

  /** The element of `node`, opened with its ancestors when needed; elements of nodes left behind are ended. */
  private element(node: SNode): PDFKit.PDFStructureElement {
    const path: SNode[] = [];
    for (let n: SNode | null = node; n; n = n.parent) path.push(n);
    path.reverse();
    let k = 0;
    while (k < this.openNodes.length && k < path.length && this.openNodes[k] === path[k]) k++;
    for (let j = this.openNodes.length - 1; j >= k; j--) (this.openNodes[j] as SNode).el?.end();
    this.openNodes.length = k;
    for (let j = k; j < path.length; j++) {
      const n = path[j] as SNode;
      n.el = this.doc.struct(n.type);
      (j === 0 ? (this.docEl as PDFKit.PDFStructureElement) : ((path[j - 1] as SNode).el as PDFKit.PDFStructureElement)).add(n.el);
      this.openNodes.push(n);
    }
    return node.el as PDFKit.PDFStructureElement;
  }

  /** Where the text of a line at x belongs: its node's element (a table row: the cell at x), a P of its own, or nothing (an artifact). */
  private target(x: number): { el: PDFKit.PDFStructureElement; type: string } | null {
    if (!this.tagged || this.artifactDepth) return null;
    if (this.forced) return this.forced;
    const node = this.cur;
    if (!node) {
      // text drawn by no labelled item (a contents line): a paragraph of its own
      for (let j = this.openNodes.length - 1; j >= 0; j--) (this.openNodes[j] as SNode).el?.end();
      this.openNodes.length = 0;
      const el = this.doc.struct('P');
      (this.docEl as PDFKit.PDFStructureElement).add(el);
      return { el, type: 'P' };
    }
    const el = this.element(node);
    if (!node.cell) return { el, type: node.type };
    if (!this.cell || this.cell.x !== x) {
      this.cell?.el.end();
      this.cell = { x, el: this.doc.struct(node.cell), type: node.cell };
      el.add(this.cell.el);
    }
    return this.cell;
  }

  private newPage(): void {
    this.finishPage();
    this.doc.addPage();
    this.pageFonts.clear();
    this.page++;
    this.pageChapter = this.chapter;
    this.pageHasH1 = false;
    this.noHeader = false;
  }

  private markAt(m: Mark, y: number): void {
    if (m.kind === 'cover') { this.noHeader = true; return; }
    if (m.kind === 'anchor') { this.doc.addNamedDestination(m.name, 'XYZ', this.left, y, null); this.destPages.set(m.name, this.page); return; }
    const dest = this.dests.next(m.title);
    this.heading = m.level === 1 || !this.chapter ? m.title : `${this.chapter} › ${m.title}`;
    this.destPages.set(dest, this.page);
    if (m.level === 1) {
      this.h1Count++;
      this.h1Pages.push(this.page);
      this.doc.addNamedDestination(`chapter-${this.h1Count}`, 'XYZ', this.left, y, null);
      this.chapter = m.title;
      if (!this.pageHasH1) { this.pageChapter = m.title; this.pageHasH1 = true; }
    }
    this.doc.addNamedDestination(dest, 'XYZ', this.left, y, null);
    const opts = { top: y, left: this.g.pageWidth } as unknown as { expanded?: boolean };
    if (m.level === 1) this.outlineTop = this.doc.outline.addItem(m.title, opts);
    else if (m.level === 2 && this.outlineTop) this.outlineTop.addItem(m.title, opts);
  }

  /**
   * A laid-out line, written as text operators from the shaped runs (see
   * measure.ts): one BT..ET per line, a Tm and Tf per run of one font. The
   * page is flipped as pdfkit sets it up (y down), so text is flipped back
   * the way pdfkit's _fragment does it; y is the top of the line.
   */
  line(line: Line, x: number, y: number, size: number): void {
    const ps = this.glyphs.rightToLeft ? visualOrder(line.pieces) : line.pieces;
    const target = this.target(x);
    if (target && ps.length) {
      target.el.add(this.doc.markStructureContent(target.type));
      this.drawLine(ps, x, y, size);
      this.doc.endMarkedContent();
    } else this.drawLine(ps, x, y, size);
  }

  /**
   * The line's pieces as text operators from the shaped runs (see measure.ts):
   * a Tm per run of one font, its glyphs in TJ arrays, in the page's current
   * text object (content.ts), with a Tf where a fallback face takes over.
   */
  private drawLine(ps: Piece[], x: number, y: number, size: number): void {
    let cx = x;
    let i = 0;
    while (i < ps.length) {
      const p = ps[i] as Piece;
      if (p.pageRef) {
        // a form XObject, written when the page is known (it closes the text object)
        const name = p.pageRef;
        this.later(cx, y, p.width, size, 'left', () => (this.destPages.has(name) ? `, page ${(this.destPages.get(name) as number) + 1}` : ''));
        cx += p.width;
        i++;
        continue;
      }
      let j = i;
      while (j < ps.length && (ps[j] as Piece).font === p.font && (ps[j] as Piece).href === p.href && !(ps[j] as Piece).pageRef) j++;
      const w = this.run(ps, i, j, cx, y, size);
      if (p.href && /^https?:/.test(p.href)) this.doc.link(cx, y, w, size * LEADING, p.href);
      else if (p.href?.startsWith('#') && p.href.length > 1) this.doc.goTo(cx, y, w, size * LEADING, p.href.slice(1));
      cx += w;
      i = j;
    }
  }

  /**
   * Pieces i..j-1, all in one font, at (x, y): their text operators (the page
   * is flipped as pdfkit sets it up, y down, so text is flipped back the way
   * pdfkit's _fragment does it; y is the top of the line); returns their width.
   * The operators go to the page's content as the pieces' own glyph strings
   * (content.ts), not joined into strings of their own first.
   */
  private run(ps: Piece[], i: number, j: number, x: number, y: number, size: number): number {
    const kind = (ps[i] as Piece).font;
    const font = this.glyphs.font(kind);
    let w = 0;
    let fallback = false;
    for (let k = i; k < j; k++) {
      const q = ps[k] as Piece;
      w += q.width;
      const run = this.shaped(q);
      if (run.tj === null && !run.parts) fallback = true;
    }
    if (fallback) {
      // glyphs with offsets (rare marks): pdfkit positions them itself
      for (let k = i; k < j; k++) {
        const q = ps[k] as Piece;
        const run = this.shaped(q);
        if (!run.parts) continue;
        if (run.missing) this.noteMissing(q.text);
        let tf = font;
        for (const part of run.parts) if (part.font !== tf) { this.useFont(part.font); tf = part.font; }
      }
      this.setFont(kind, size);
      this.doc.text(ps.slice(i, j).map((q) => q.text).join(''), x, y, { lineBreak: false });
      return w;
    }
    const c = this.content;
    let started = false;
    let inTj = false;
    let tf = font;
    for (let k = i; k < j; k++) {
      const q = ps[k] as Piece;
      const run = this.shaped(q);
      if (run.parts) {
        if (run.missing) this.noteMissing(q.text);
        for (const part of run.parts) {
          if (part.font !== tf) {
            if (!started) { this.startRun(font, x, y, size); started = true; }
            if (inTj) { c.put('] TJ\n'); inTj = false; }
            this.useFont(part.font);
            c.put(this.fontOp(part.font, size));
            c.put('\n');
            tf = part.font;
          }
          if (part.tj === null) {
            if (!started) { this.startRun(font, x, y, size); started = true; }
            if (inTj) { c.put('] TJ\n'); inTj = false; }
            c.put(partOps(part, size));
            c.put('\n');
          } else if (part.tj) {
            if (!started) { this.startRun(font, x, y, size); started = true; }
            if (!inTj) { c.put('['); inTj = true; }
            c.put(part.tj);
          }
        }
      } else if (run.tj) {
        if (!started) { this.startRun(font, x, y, size); started = true; }
        if (tf !== font) {
          if (inTj) { c.put('] TJ\n'); inTj = false; }
          c.put(this.fontOp(font, size));
          c.put('\n');
          tf = font;
        }
        if (!inTj) { c.put('['); inTj = true; }
        c.put(run.tj);
      }
    }
    if (inTj) c.put('] TJ\n');
    if (started) {
      this.useFont(font);
      c.endText(this.fontOp(tf, size));
    }
    return w;
  }

  /** A piece's shaped glyphs: made when it was measured, else (a piece cut in the layout) now. */
  private shaped(q: Piece): MixedRun {
    return (q.run ?? this.glyphs.get(q.font, q.text)) as MixedRun;
  }

  /** Opens a run of text at (x, y) in `font`: the text object and font when not set, and its position. */
  private startRun(font: PdfkitFont, x: number, y: number, size: number): void {
    const by = this.g.pageHeight - y - (font.ascender / 1000) * size;
    this.content.startText(this.fontOp(font, size));
    this.content.put(`1 0 0 1 ${fmt(x)} ${fmt(by)} Tm\n`);
  }

  private readonly fontOps = new Map<PdfkitFont, Map<number, string>>();
  /** `/F1 9.5 Tf` for a font and size, made once. */
  private fontOp(font: PdfkitFont, size: number): string {
    let bySize = this.fontOps.get(font);
    if (!bySize) { bySize = new Map(); this.fontOps.set(font, bySize); }
    let op = bySize.get(size);
    if (op === undefined) { op = `/${font.id} ${num(size)} Tf`; bySize.set(size, op); }
    return op;
  }

  /** The font in the page's resources (once per page). */
  private useFont(font: PdfkitFont): void {
    if (this.pageFonts.has(font.id)) return;
    const page = this.doc.page as unknown as { fonts: Record<string, unknown> };
    page.fonts[font.id] ??= font.ref();
    this.pageFonts.add(font.id);
  }

  /** Text that prints as empty boxes: the first such piece and its place are kept for the one warning. */
  private noteMissing(text: string): void {
    if (this.missing) { this.missing.count++; return; }
    this.missing = { text, where: this.heading || 'the cover', page: this.page + 1, count: 1 };
  }

  /** The warning about text no face could draw, or null. */
  missingWarning(): string | null {
    const m = this.missing;
    if (!m) return null;
    const show = (t: string, n: number) => JSON.stringify(t.length > n ? `${[...t].slice(0, n).join('')}…` : t);
    const more = m.count > 1 ? ` and ${m.count - 1} more place(s)` : '';
    return `no font has glyphs for ${show(m.text, 40)} (page ${m.page}, under ${show(m.where, 80)})${more}: it prints as empty boxes; `
      + 'install the Debian packages fonts-noto-core and fonts-droid-fallback, or set EXBINDER_FONT_DIRS to a folder with a font that has them';
  }

  /** One line of plain text in one font, through the shaped runs like every other line. */
  text(text: string, font: FontKind, size: number, x: number, y: number): void {
    let li: SNode | null = null;
    for (let n = this.cur; n && this.tagged && !this.artifactDepth; n = n.parent) if (n.type === 'LI') { li = n; break; }
    if (li) {
      // drawn by a list item before its body: the item's label
      const el = this.doc.struct('Lbl');
      this.element(li).add(el);
      this.forced = { el, type: 'Lbl' };
    }
    const pieces = toPieces([{ text, font }], size, this.measure);
    this.line({ pieces, width: pieces.reduce((a, p) => a + p.width, 0) }, x, y, size);
    if (li) { this.forced?.el.end(); this.forced = null; }
  }

  /*
   * Boxes and rules as PDF operators directly, in pdfkit's page coordinates
   * (y down): the same paths pdfkit writes for rect/moveTo/lineTo, without its
   * per-call colour parsing and state bookkeeping (tables draw thousands).
   */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    this.doc.addContent(`${this.tagged ? '/Artifact BMC ' : ''}q ${rgb(color)} rg ${fmt(x)} ${fmt(y)} ${fmt(w)} ${fmt(h)} re f Q${this.tagged ? ' EMC' : ''}`);
  }

  strokeLine(x1: number, y1: number, x2: number, y2: number, width: number, color: string): void {
    this.doc.addContent(`${this.tagged ? '/Artifact BMC ' : ''}q ${fmt(width)} w ${rgb(color)} RG ${fmt(x1)} ${fmt(y1)} m ${fmt(x2)} ${fmt(y2)} l S Q${this.tagged ? ' EMC' : ''}`);
  }

  strokeRect(x: number, y: number, w: number, h: number, width: number, color: string): void {
    this.doc.addContent(`${this.tagged ? '/Artifact BMC ' : ''}q ${fmt(width)} w ${rgb(color)} RG ${fmt(x)} ${fmt(y)} ${fmt(w)} ${fmt(h)} re S Q${this.tagged ? ' EMC' : ''}`);
  }

  grid(x: number, y: number, widths: number[], h: number, width: number, color: string): void {
    const total = widths.reduce((a, b) => a + b, 0);
    let path = `${fmt(x)} ${fmt(y)} ${fmt(total)} ${fmt(h)} re`;
    let vx = x;
    for (let c = 0; c < widths.length - 1; c++) { vx += widths[c] as number; path += ` ${fmt(vx)} ${fmt(y)} m ${fmt(vx)} ${fmt(y + h)} l`; }
    this.doc.addContent(`${this.tagged ? '/Artifact BMC ' : ''}q ${fmt(width)} w ${rgb(color)} RG ${path} S Q${this.tagged ? ' EMC' : ''}`);
  }

  /** Drawn check box (a rectangle, not a form field: the binder is ticked with a pen). */
  checkbox(x: number, y: number, checked: boolean): void {
    const s = 7.5;
    this.artifact(true);
    this.doc.save().lineWidth(0.8).strokeColor('#000000').rect(x, y + 1.5, s, s).stroke();
    if (checked) {
      this.doc.lineWidth(1.2).moveTo(x + 1.5, y + 1.5 + s * 0.55).lineTo(x + s * 0.42, y + 1.5 + s - 1.5).lineTo(x + s - 1.2, y + 2.8).stroke();
    }
    this.doc.restore();
    this.artifact(false);
  }

  /**
   * A contents line: the i-th level-1 heading still to come, its title (known
   * from the outline scan), a dotted leader and its page, which is a form
   * filled in at the end. The link goes to the chapter's own destination.
   */
  tocLine(index: number, y: number): void {
    if (index === 0) this.tocIndex = this.h1Count;
    const title = this.tocTitles[index];
    if (title === undefined) return;
    const size = SIZE.body;
    const numW = this.measure('regular', '00000') * size;
    const clipped = clip(title, this.width - numW - 12, size, this.measure);
    this.text(clipped, 'regular', size, this.left, y);
    const chapter = this.tocIndex + index;
    this.artifact(true);
    this.later(this.right - numW, y, numW, size, 'right', () => String((this.h1Pages[chapter] ?? 0) + 1));
    this.artifact(false);
    const tw = this.measure('regular', clipped) * size;
    this.artifact(true);
    this.doc.save().lineWidth(0.5).dash(1, { space: 2 }).strokeColor('#aaaaaa')
      .moveTo(this.left + tw + 4, y + size).lineTo(this.right - this.measure('regular', '000') * size - 4, y + size).stroke().undash().restore();
    this.artifact(false);
    this.doc.goTo(this.left, y, this.width, size * LEADING, `chapter-${chapter + 1}`);
  }

  /** A box of text not known yet, drawn now at (x, y) and written when `finish` runs. */
  private later(x: number, y: number, w: number, size: number, align: 'left' | 'right', text: () => string): void {
    this.place(this.form(w, size, align, text), x, y, size);
  }

  private form(w: number, size: number, align: 'left' | 'right', text: () => string): Form {
    const h = size * LEADING;
    const font = this.glyphs.font('regular');
    const ref = this.doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, 0, num(w), num(h)], Resources: { Font: { [font.id]: font.ref() } } }) as unknown as PdfRef;
    const form = { name: `Xl${this.forms.length + 1}`, ref, w, h, size, align, text };
    this.forms.push(form);
    return form;
  }

  private place(form: Form, x: number, y: number, size: number): void {
    const page = this.doc.page as unknown as { xobjects: Record<string, unknown> };
    page.xobjects[form.name] = form.ref;
    this.doc.addContent(`q 1 0 0 -1 ${num(x)} ${num(y + size * LEADING)} cm /${form.name} Do Q`);
  }

  /** Writes the forms: every total and contents page number, now that the last page is drawn. */
  finish(): void {
    const font = this.glyphs.font('regular');
    for (const f of this.forms) {
      const text = f.text();
      const run = this.glyphs.get('regular', text);
      const tx = f.align === 'right' ? f.w - run.width * f.size : 0;
      const ty = f.h - (font.ascender / 1000) * f.size;
      f.ref.end(`BT /${font.id} ${num(f.size)} Tf 1 0 0 1 ${num(tx)} ${num(ty)} Tm [${run.tj ?? ''}] TJ ET`);
    }
  }

  /** Running header (organization, current chapter) and footer (snapshot, Page X of Y) of the page being finished. */
  finishPage(): void {
    const size = SIZE.small;
    const header = this.opts.header ?? this.opts.title;
    const saved = this.doc.page.margins.bottom;
    this.doc.page.margins.bottom = 0; // writing in the margin must not add pages
    this.artifact(true);
    this.doc.fillColor(GREY);
    if (!this.noHeader) {
      const chapter = this.pageChapter;
      const cw = Math.min(this.measure('bold', chapter) * size, this.width * 0.55);
      this.text(clip(header, this.width - cw - 16, size, this.measure), 'regular', size, this.left, MARGIN.top - 24);
      this.text(clip(chapter, this.width * 0.55, size, this.measure, 'bold'), 'bold', size, this.right - cw, MARGIN.top - 24);
      this.doc.save().lineWidth(0.5).strokeColor('#aaaaaa').moveTo(this.left, MARGIN.top - 12).lineTo(this.right, MARGIN.top - 12).stroke().restore();
    }
    const footY = this.g.pageHeight - MARGIN.bottom + 20;
    this.text(clip(this.opts.snapshotLabel, this.width * 0.6, size, this.measure), 'regular', size, this.left, footY);
    // "Page X of " then the total in a form filled in at the end, in a box as wide as four digits
    const totalW = this.measure('regular', '0000') * size;
    const pageText = `Page ${this.page + 1} of`;
    const spaceW = this.measure('regular', ' ') * size;
    this.text(pageText, 'regular', size, this.right - totalW - spaceW - this.measure('regular', pageText) * size, footY);
    this.totalForm ??= this.form(totalW, size, 'left', () => String(this.page + 1));
    this.place(this.totalForm, this.right - totalW, footY, size);
    this.doc.fillColor('#000000');
    this.artifact(false);
    this.doc.page.margins.bottom = saved;
  }
}

function clip(text: string, max: number, size: number, measure: Measure, font: FontKind = 'regular'): string {
  let t = text;
  while (t.length > 1 && measure(font, t) * size > max) t = t.slice(0, -2) + '…';
  return t;
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
      // TypedArray#set, not Buffer#copy: pdfkit writes tens of thousands of small chunks, and copy() is a native call each
      const n = Math.min(chunk.length - from, Sink.BLOCK - this.used);
      this.block.set(n === chunk.length ? chunk : chunk.subarray(from, from + n), this.used);
      from += n;
      this.used += n;
      if (this.used === Sink.BLOCK) { this.full.push(this.block); this.block = Buffer.allocUnsafe(Sink.BLOCK); this.used = 0; }
    }
  }

  bytes(): Buffer {
    return Buffer.concat([...this.full, this.block.subarray(0, this.used)]);
  }
}

export async function renderPdf(markdown: string, opts: PdfOptions): Promise<Buffer> {
  const doc = outline(markdown, contentsRange(markdown)); // the PDF draws its own contents, with page numbers
  const painter = new Painter(opts, doc.tocTitles);
  const sink = new Sink();
  painter.doc.on('data', (c: Buffer) => sink.write(c)); // attached before the first page is flushed
  // The stream starts flowing on the next turn of the event loop; until then
  // every chunk pdfkit writes would queue inside it, i.e. the whole PDF, since
  // the drawing below never yields. Let it start first.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const end = walk(doc, painter.measure, opts.paper, painter.tagged, (item, place) => painter.item(item, place));
  while (painter.page < end.page) painter.item({ h: 0 }, { page: end.page, y: 0, skip: true });
  painter.finishPage();
  painter.finish();
  const warning = painter.missingWarning();
  if (warning) (opts.onWarning ?? ((m: string) => process.stderr.write(`exbinder: warning: ${m}\n`)))(warning);
  const done = new Promise<void>((resolve, reject) => { painter.doc.on('end', resolve); painter.doc.on('error', reject); });
  painter.doc.end();
  await done;
  return sink.bytes();
}

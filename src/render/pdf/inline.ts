/**
 * Line layout for runs of mixed fonts. pdfkit's own wrapper breaks only at
 * spaces and hyphens; a recovery binder is full of long Windows paths, URLs
 * and address ranges that must wrap without losing a character, so lines are
 * laid out here.
 *
 * A word (everything between spaces, across runs: "`path`," stays whole) moves
 * to the next line when it does not fit. Only a word wider than a whole line
 * is broken, and then only after `\ / : , . ; -` (a run of them stays whole:
 * `\\nas1`, `::`, `https://` with its host), so an IPv6 range breaks between
 * groups and a URL never right after its scheme, or before the capital of a
 * camelCase attribute name (a word with no separator; a path's folder names stay whole). A piece still wider than a
 * line is cut between characters. Everything is linear in the text's length:
 * widths are measured once per (font, string) by the caller's cache, and the
 * character cut adds up per-character widths instead of re-measuring
 * prefixes (a 100,000-character token took minutes).
 */
import type { FontKind, Run } from './blocks.js';
import { ownCopy, type GlyphRun } from './measure.js';

export type Piece = {
  text: string; font: FontKind; width: number; space: boolean; newline?: boolean; href?: string;
  /** its glyphs, shaped when it was measured (when the measure shapes: measure.ts), so drawing looks nothing up */
  run?: GlyphRun;
  /** no break allowed before this piece (it touches the previous run: "`path`," must not leave the comma alone) */
  glued?: boolean;
  /** a break is allowed before this piece only when its word is wider than a line (after \ / : , . ; -) */
  inner?: boolean;
  /** ", page N" of this named destination, written when the last page is drawn (PAGE_REF is its room) */
  pageRef?: string;
};

/** The room a page reference takes on its line: the number is known only at the end. */
export const PAGE_REF = ', page 0000';
export type Line = { pieces: Piece[]; width: number };
/** Width at size 1; `glyphs`, when the measure shapes text (measure.ts GlyphRuns), gives the shaped run that width comes from. */
export type Measure = ((font: FontKind, text: string) => number) & { glyphs?: (font: FontKind, text: string) => GlyphRun };

const BREAK_AFTER = new Set(['\\', '/', ':', ',', '.', ';', '-']);

/**
 * A word cut where a long word may break: after a run of break characters,
 * unless that run is a URL scheme's `://` (the host stays with `https://`).
 * Linear: one pass over the characters.
 */
export function segments(word: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = word.length;
  // camelCase breaks are for a word without separators (an attribute name); a
  // path breaks at its separators only, never inside a folder name (Transport|Roles)
  let camel = true;
  for (let k = 0; k < n && camel; k++) if (BREAK_AFTER.has(word[k] as string)) camel = false;
  while (i < n) {
    if (!BREAK_AFTER.has(word[i] as string)) {
      // camelCase: an attribute name (msExchTransportMessageTrackingPath) breaks before a capital
      if (camel && i > start && /[a-z]/.test(word[i - 1] as string) && /[A-Z]/.test(word[i] as string)) { out.push(word.slice(start, i)); start = i; }
      i++;
      continue;
    }
    let j = i;
    while (j < n && BREAK_AFTER.has(word[j] as string)) j++;
    const scheme = word.slice(i, j).includes('://');
    if (j < n && !scheme) { out.push(word.slice(start, j)); start = j; }
    i = j;
  }
  if (start < n) out.push(word.slice(start));
  return out;
}

/**
 * `\s` as JavaScript's regular expressions define it, plus the other control
 * characters (a word starting with one used to be taken for a space whole).
 */
function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * A word's pieces at one font and size, shaped once and shared: a binder
 * repeats its words (names, paths, column values, attribute names) thousands
 * of times, and building the pieces again for each was the largest share of
 * the layout's garbage. Pieces are never changed after they are made (a glued
 * first piece is a copy), so sharing them is safe. Bounded like the glyph runs.
 */
class WordPieces {
  private static readonly LIMIT = 50_000;
  /** font → size → word → pieces */
  private readonly byStyle = new Map<FontKind, Map<number, Map<string, Piece[]>>>();
  /** the style looked up last (runs come in long stretches of one style) */
  private lastFont: FontKind | null = null;
  private lastSize = 0;
  private lastWords: Map<string, Piece[]> | null = null;

  constructor(private readonly measure: Measure) {}

  private words(font: FontKind, size: number): Map<string, Piece[]> {
    if (font === this.lastFont && size === this.lastSize) return this.lastWords as Map<string, Piece[]>;
    let sizes = this.byStyle.get(font);
    if (!sizes) { sizes = new Map(); this.byStyle.set(font, sizes); }
    let words = sizes.get(size);
    if (!words) { words = new Map(); sizes.set(size, words); }
    this.lastFont = font;
    this.lastSize = size;
    this.lastWords = words;
    return words;
  }

  get(font: FontKind, size: number, word: string): Piece[] {
    const words = this.words(font, size);
    let pieces = words.get(word);
    if (pieces === undefined) {
      const own = ownCopy(word); // not a slice of the section's source: that would keep it alive
      pieces = this.make(font, size, own);
      if (words.size >= WordPieces.LIMIT) words.clear();
      words.set(own, pieces);
    }
    return pieces;
  }

  space(font: FontKind, size: number): Piece { return (this.get(font, size, ' ')[0] as Piece); }

  private make(font: FontKind, size: number, word: string): Piece[] {
    if (word === ' ') return [this.piece(' ', font, size, true)];
    return segments(word).map((text, k) => {
      const p = this.piece(text, font, size, false);
      if (k > 0) p.inner = true;
      return p;
    });
  }

  private piece(text: string, font: FontKind, size: number, space: boolean): Piece {
    const glyphs = this.measure.glyphs;
    if (!glyphs) return { text, font, width: this.measure(font, text) * size, space };
    const run = glyphs(font, text);
    return { text, font, width: run.width * size, space, run };
  }
}

/** One word cache per measure (that is, per document being drawn), gone with it. */
const wordCaches = new WeakMap<Measure, WordPieces>();

function wordPieces(measure: Measure): WordPieces {
  let cache = wordCaches.get(measure);
  if (!cache) { cache = new WordPieces(measure); wordCaches.set(measure, cache); }
  return cache;
}

export function toPieces(runs: Run[], size: number, measure: Measure): Piece[] {
  const words = wordPieces(measure);
  const out: Piece[] = [];
  for (const run of runs) {
    if (run.text === '\n') { out.push({ text: '', font: run.font, width: 0, space: false, newline: true }); continue; }
    if (run.pageRef) { out.push({ text: '', font: 'regular', width: measure('regular', PAGE_REF) * size, space: false, glued: true, pageRef: run.pageRef }); continue; }
    const { text, font, href } = run;
    let i = 0;
    while (i < text.length) {
      const space = isSpace(text.charCodeAt(i));
      let j = i + 1;
      while (j < text.length && isSpace(text.charCodeAt(j)) === space) j++;
      if (space) {
        const p = words.space(font, size);
        out.push(href ? own(p, href, false) : p);
        i = j;
        continue;
      }
      const pieces = words.get(font, size, text.slice(i, j));
      // a run that starts mid-word ("`path`,") must not leave its first piece alone at a line start
      const prev = out[out.length - 1];
      const glued = i === 0 && prev !== undefined && !prev.space && !prev.newline;
      for (let k = 0; k < pieces.length; k++) {
        const p = pieces[k] as Piece;
        out.push(href || (glued && k === 0) ? own(p, href, glued && k === 0) : p);
      }
      i = j;
    }
  }
  return out;
}

/** A copy of a shared piece with its link and glue. */
function own(p: Piece, href: string | undefined, glued: boolean): Piece {
  const q: Piece = { ...p };
  if (href) q.href = href;
  if (glued) q.glued = true;
  return q;
}

/**
 * Cut a piece wider than a line into chunks that fit: per-character widths
 * (cached by the measure) added up, each chunk measured once as a whole to
 * allow for kerning. Linear in the piece's length.
 */
function cut(p: Piece, max: number, size: number, measure: Measure): Piece[] {
  const chars = [...p.text];
  const out: Piece[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let w = 0;
    while (end < chars.length) {
      const cw = measure(p.font, chars[end] as string) * size;
      if (end > start && w + cw > max) break;
      w += cw;
      end++;
    }
    let text = chars.slice(start, end).join('');
    let width = measure(p.font, text) * size;
    while (width > max + 0.01 && end > start + 1) { end--; text = chars.slice(start, end).join(''); width = measure(p.font, text) * size; }
    const q: Piece = { ...p, text, width, inner: true };
    delete q.run; // the whole piece's glyphs: drawing shapes the chunk itself
    out.push(q);
    start = end;
  }
  return out;
}

/** Index after the last piece of the word starting at i (a word ends at a space or a hard break). */
function wordEnd(pieces: Piece[], i: number): number {
  let j = i + 1;
  while (j < pieces.length && !(pieces[j] as Piece).space && !(pieces[j] as Piece).newline) j++;
  return j;
}

export function wrap(pieces: Piece[], max: number, size: number, measure: Measure): Line[] {
  const lines: Line[] = [];
  let cur: Piece[] = [];
  let width = 0;
  const flush = () => {
    while (cur.length && (cur[cur.length - 1] as Piece).space) width -= (cur.pop() as Piece).width;
    lines.push({ pieces: cur, width });
    cur = [];
    width = 0;
  };
  const push = (p: Piece) => { cur.push(p); width += p.width; };
  let i = 0;
  while (i < pieces.length) {
    const p = pieces[i] as Piece;
    if (p.newline) { flush(); i++; continue; }
    if (p.space) {
      if (cur.length && width + p.width <= max + 0.01) push(p);
      else if (cur.length) flush();
      i++;
      continue;
    }
    const end = wordEnd(pieces, i);
    let ww = 0;
    for (let k = i; k < end; k++) ww += (pieces[k] as Piece).width;
    if (width + ww <= max + 0.01) { for (let k = i; k < end; k++) push(pieces[k] as Piece); i = end; continue; }
    if (ww <= max + 0.01) { if (cur.length) flush(); for (let k = i; k < end; k++) push(pieces[k] as Piece); i = end; continue; }
    // a word wider than a line: fill lines at its inner breaks, cut what still does not fit
    for (let k = i; k < end; k++) {
      const q = pieces[k] as Piece;
      if (width + q.width <= max + 0.01) { push(q); continue; }
      if (cur.length) flush();
      if (q.width <= max + 0.01) { push(q); continue; }
      const chunks = cut(q, max, size, measure);
      chunks.forEach((c, n) => { push(c); if (n < chunks.length - 1) flush(); });
    }
    i = end;
  }
  if (cur.length || lines.length === 0) flush();
  return lines;
}

/**
 * Glyph runs, shaped once: every distinct piece of text (a word, a path
 * segment, a space) is shaped by the drawing document's font once, and both
 * its width (for layout, in both passes) and its encoded glyphs (the body of
 * a PDF `TJ` operator, for drawing) are kept. pdfkit's own `text()` shapes
 * every word again each time it is drawn, keeps a per-word layout cache of
 * fontkit objects, and goes through its line wrapper; the binder draws lines
 * it has already laid out, so it writes the text operators itself from here.
 *
 * The encoding is pdfkit's own (EmbeddedFont.encode: glyphs included in the
 * font subset, Identity-H two-byte codes, kerning as TJ adjustments, exactly
 * as its `_fragment` writes them), so the PDF is what pdfkit would write.
 * Memory stays bounded: a cache per font that starts over when full.
 */
import type { FontKind } from './blocks.js';
import type { Measure } from './inline.js';

/**
 * Distinct strings remembered per font before the cache starts over. Most
 * lookups repeat within a page or a table ("Mailbox", "E:\Databases\", column
 * headers), so starting over costs little; 50,000 runs are a few MB.
 */
const CACHE_LIMIT = 50_000;

/** The part of pdfkit's EmbeddedFont used here (js/pdfkit.js, class EmbeddedFont). */
type Position = { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number };
export type PdfkitFont = {
  id: string;
  ascender: number;
  encode(text: string): [string[], Position[]];
  ref(): unknown;
  /** its fontkit font, glyph subset and the tables encode() fills (read and filled by PairShaper as encode() does) */
  font?: FontkitLayout;
  subset?: { includeGlyph(id: number): number };
  widths?: number[];
  unicode?: number[][];
  scale?: number;
};

/** The part of fontkit's TTFFont and its results read by PairShaper. */
type FkGlyph = { id: number; advanceWidth: number; codePoints: number[] };
type FkRun = { glyphs: FkGlyph[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[]; script: string };
type FontkitLayout = {
  postscriptName: string;
  layout(text: string, features?: undefined, script?: string): FkRun;
  glyphForCodePoint(cp: number): FkGlyph;
  hasGlyphForCodePoint(cp: number): boolean;
};

/** A shaped run: width at size 1, and the TJ array body, or null when glyphs are offset (drawn by pdfkit then). */
export type GlyphRun = { width: number; tj: string | null };

const num = (n: number) => Math.round(n * 1e6) / 1e6; // pdfkit's PDFObject.number

export class GlyphRuns {
  private readonly caches = new Map<FontKind, Map<string, GlyphRun>>();

  /** `pairs`: plain text shaped by PairShaper (false: all of it by fontkit, for the tests that compare them) */
  constructor(private readonly fonts: Record<FontKind, PdfkitFont>, private readonly pairs = true) {
    for (const kind of Object.keys(fonts) as FontKind[]) this.caches.set(kind, new Map());
  }

  font(kind: FontKind): PdfkitFont { return this.fonts[kind]; }

  get(kind: FontKind, text: string): GlyphRun {
    const cache = this.caches.get(kind) as Map<string, GlyphRun>;
    let run = cache.get(text);
    if (run === undefined) {
      const font = this.fonts[kind];
      run = (this.pairs ? pairShaper(font)?.shape(text) : null) ?? shape(font, text);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(ownCopy(text), run);
    }
    return run;
  }

  readonly measure: Measure = Object.assign((font: FontKind, text: string) => this.get(font, text).width, {
    glyphs: (font: FontKind, text: string) => this.get(font, text),
  });
}

/**
 * A string that holds only its own characters. Text cut from the Markdown is
 * a slice of the string markdown-it parsed, a copy of the whole section it
 * makes for each parse; kept as a cache key, one short word kept that section
 * (kilobytes) alive to the end of the document: ~10 MB of retained sections
 * for the 2,000-page binder, all of it promoted to the old generation. A
 * concatenation is flattened into a new string when it is sliced, and the
 * slice's parent is then just that word.
 */
export function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * As pdfkit's `_fragment` positions glyphs, for one run of text: the glyph
 * codes with the kerning between them as TJ adjustments. The codes are
 * written as literal strings of their two bytes (Identity-H), not as hex,
 * half the bytes for zlib to compress, and a zero adjustment at the end is
 * left out, so runs can be written one after another in one TJ array.
 */
function shape(font: PdfkitFont, text: string): GlyphRun {
  if (text === '') return { width: 0, tj: '' };
  const [encoded, positions] = font.encode(text);
  let width = 0;
  let tj = '';
  let chunk = '';
  let offset = false;
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i] as Position;
    width += pos.xAdvance;
    if (pos.xOffset || pos.yOffset) offset = true;
    chunk += glyphBytes(encoded[i] as string);
    const kern = pos.xAdvance - pos.advanceWidth;
    if (kern !== 0) { tj += `(${chunk}) ${num(-kern)} `; chunk = ''; }
  }
  // one flat string: as built (a tree of concatenations) it would be walked again each time a page is written
  tj = ownCopy(chunk ? `${tj}(${chunk})` : tj.trimEnd());
  return { width: width / 1000, tj: offset ? null : tj };
}

/** A glyph code (four hex digits, as pdfkit encodes it) as the two bytes of a PDF literal string, escaped. */
function glyphBytes(hex: string): string {
  return codeBytes(parseInt(hex, 16));
}

function codeBytes(code: number): string {
  return literalByte(code >> 8) + literalByte(code & 0xff);
}

function literalByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  return String.fromCharCode(b);
}

/*
 * Shaping without fontkit's layout engine for plain text. fontkit builds a
 * shaping plan (script, features, lookups) for every string it lays out,
 * and a binder has ~15,000 distinct strings (GUIDs, paths, DNs): that was
 * most of the time spent on glyphs. For the characters below, in the DejaVu
 * faces, a run's glyphs are each character's own glyph and its advances are
 * each glyph's advance plus the kerning of the pair it starts: so each
 * character and each pair (per script, as fontkit picks the script from the
 * string) is laid out once by fontkit itself, and a string is put together
 * from those. Whatever does not fit that rule, a character or a pair whose
 * own layout substitutes glyphs, moves the second glyph or offsets any, goes
 * to fontkit as before; test/unit/render/pdf-shaping.test.ts compares both on
 * a binder's text. The side effects are pdfkit's encode(): glyphs added to the
 * subset in the same order, their widths and code points recorded.
 */

/** Code points the pair rule takes: printable ASCII, Latin-1 and Latin Extended-A, but not U+00A0 and U+00AD (fontkit treats those specially). */
const PAIR_MAX = 0x180;
const pairChar = (c: number) => (c >= 0x20 && c <= 0x7e) || (c > 0xa0 && c < PAIR_MAX && c !== 0xad);

type PairGlyph = { glyph: FkGlyph; script: string; code: string | null };

export class PairShaper {
  /** per code point: undefined until seen, null when fontkit must shape it */
  private readonly chars: (PairGlyph | null | undefined)[] = new Array(PAIR_MAX);
  /** (script, first, second) → kerning of the first glyph in font units, NaN when the pair needs fontkit */
  private readonly kerns = new Map<number, number>();
  private readonly scripts = new Map<string, number>();
  /** the script fontkit gives text with no letters (its "Unknown": Common characters only) */
  private readonly common: string;
  private readonly kern: number[] = [];

  constructor(
    private readonly fk: FontkitLayout,
    private readonly subset: { includeGlyph(id: number): number },
    private readonly widths: number[],
    private readonly unicode: number[][],
    private readonly scale: number,
  ) {
    this.common = fk.layout(' ').script;
  }

  /** The run as shape() makes it from pdfkit's encode(), or null when fontkit must shape it. */
  shape(text: string): GlyphRun | null {
    const n = text.length;
    for (let i = 0; i < n; i++) if (this.char(text.charCodeAt(i)) === null) return null;
    // pdfkit's layout() shapes the text in pieces that end after each space: kerning only within a piece
    const kern = this.kern;
    let from = 0;
    while (from < n) {
      let to = from;
      while (to < n && text.charCodeAt(to) !== 32) to++;
      if (to < n) to++;
      let script = this.common;
      for (let i = from; i < to; i++) {
        const s = (this.chars[text.charCodeAt(i)] as PairGlyph).script;
        if (s !== this.common) { script = s; break; }
      }
      for (let i = from; i < to - 1; i++) {
        const k = this.pair(script, text.charCodeAt(i), text.charCodeAt(i + 1));
        if (Number.isNaN(k)) return null;
        kern[i] = k;
      }
      kern[to - 1] = 0;
      from = to;
    }
    let width = 0;
    let tj = '';
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const g = this.chars[text.charCodeAt(i)] as PairGlyph;
      const xAdvance = (g.glyph.advanceWidth + (kern[i] as number)) * this.scale;
      width += xAdvance;
      chunk += g.code ?? this.include(g);
      const k = xAdvance - g.glyph.advanceWidth * this.scale;
      if (k !== 0) { tj += `(${chunk}) ${num(-k)} `; chunk = ''; }
    }
    tj = ownCopy(chunk ? `${tj}(${chunk})` : tj.trimEnd());
    return { width: width / 1000, tj };
  }

  /** The glyph in the subset, as encode() adds it; its code's bytes. */
  private include(g: PairGlyph): string {
    const gid = this.subset.includeGlyph(g.glyph.id);
    if (this.widths[gid] == null) this.widths[gid] = g.glyph.advanceWidth * this.scale;
    if (this.unicode[gid] == null) this.unicode[gid] = g.glyph.codePoints;
    g.code = codeBytes(gid);
    return g.code;
  }

  /** A character laid out alone: its glyph and script, or null when fontkit changes or moves its glyph. */
  private char(c: number): PairGlyph | null {
    if (!pairChar(c)) return null;
    let g = this.chars[c];
    if (g === undefined) {
      const glyph = this.fk.glyphForCodePoint(c);
      const run = this.fk.layout(String.fromCharCode(c));
      const p = run.positions[0];
      g = run.glyphs.length === 1 && run.glyphs[0] === glyph && p !== undefined && p.xAdvance === glyph.advanceWidth && !p.yAdvance && !p.xOffset && !p.yOffset
        ? { glyph, script: run.script, code: null }
        : null;
      this.chars[c] = g;
    }
    return g;
  }

  /** The kerning of a pair in a script, from fontkit's layout of the two characters; NaN when it does more than kern the first. */
  private pair(script: string, a: number, b: number): number {
    let s = this.scripts.get(script);
    if (s === undefined) { s = this.scripts.size; this.scripts.set(script, s); }
    const key = (s * PAIR_MAX + a) * PAIR_MAX + b;
    let k = this.kerns.get(key);
    if (k === undefined) {
      const ga = (this.chars[a] as PairGlyph).glyph;
      const gb = (this.chars[b] as PairGlyph).glyph;
      const run = this.fk.layout(String.fromCharCode(a, b), undefined, script);
      const [p, q] = run.positions;
      k = run.glyphs.length === 2 && run.glyphs[0] === ga && run.glyphs[1] === gb && p && q
        && !p.yAdvance && !p.xOffset && !p.yOffset && q.xAdvance === gb.advanceWidth && !q.yAdvance && !q.xOffset && !q.yOffset
        ? p.xAdvance - ga.advanceWidth
        : Number.NaN;
      this.kerns.set(key, k);
    }
    return k;
  }
}

const pairShapers = new WeakMap<PdfkitFont, PairShaper | null>();

/** The font's PairShaper, or null when it lacks what the pair rule needs (then fontkit shapes everything). */
function pairShaper(font: PdfkitFont): PairShaper | null {
  let p = pairShapers.get(font);
  if (p === undefined) {
    const { font: fk, subset, widths, unicode, scale } = font;
    p = fk && subset && widths && unicode && scale ? new PairShaper(fk, subset, widths, unicode, scale) : null;
    pairShapers.set(font, p);
  }
  return p;
}
